import { formatMicros } from '@botplatform/sdk';
import type { BacktestSummary } from '../backtest/summary.js';
import { formatMetric } from '../report/format.js';
import { METRIC_LABELS } from '../run-store/run-metrics.js';

/** Metrics shown at the end of a run (the rest are in summary.json and the report). */
const SHOWN: ReadonlySet<string> = new Set([
  'return_pct',
  'sharpe',
  'max_drawdown_pct',
  'round_trips',
  'win_rate',
  'profit_factor',
  'expectancy',
  'avg_holding_s',
  'fill_ratio',
  'exposure',
  'order_to_fill_p50_us',
  'unfilled_ratio_max',
]);

/** The human-readable end-of-run table. */
export function formatSummaryTable(s: BacktestSummary): string {
  const money = (x: number) => x.toFixed(4);
  const rows: Array<[string, string]> = [
    ['strategy', s.strategy],
    ['symbols', s.symbols.join(', ')],
    ['period', `${formatMicros(s.from_ts)} → ${formatMicros(s.to_ts)}`],
    ['latency / queue', `${s.latency} / ${s.queue}`],
    ['events', s.events.toLocaleString('en-US')],
    ['orders (rejected)', `${s.orders} (${s.orders_rejected})`],
    ['fills', String(s.fills)],
    ['volume', money(s.volume)],
    ['maker share', `${(s.maker_share * 100).toFixed(1)}%`],
    ['fees', money(s.fees)],
    ['realized pnl', money(s.realized_pnl)],
    ['unrealized pnl', money(s.unrealized_pnl)],
    ['net pnl', money(s.net_pnl)],
    ['max drawdown', money(s.max_drawdown)],
    [
      'final position',
      Object.entries(s.final_position)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ...METRIC_LABELS.filter(([key]) => SHOWN.has(key)).map(([key, label, unit]): [string, string] => [
      label.toLowerCase(),
      formatMetric(s.metrics[key], unit),
    ]),
    ['elapsed', `${s.elapsed_s.toFixed(2)} s (${s.events_per_s.toLocaleString('en-US')} events/s)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}
