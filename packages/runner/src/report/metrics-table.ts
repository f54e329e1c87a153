import { METRIC_LABELS, type RunMetrics } from '../run-store/run-metrics.js';
import { formatMetric } from './format.js';
import { escapeHtml } from './html.js';

/** Metrics whose sign is the news (a positive fee is just a cost). */
const SIGNED: ReadonlySet<keyof RunMetrics> = new Set(['net_pnl', 'gross_pnl', 'return_pct', 'expectancy']);

/** The first metric of the second column: PnL and risk on the left, trading behaviour on the right. */
const SECOND_COLUMN_FROM: keyof RunMetrics = 'round_trips';

function rowHtml([key, label, unit]: (typeof METRIC_LABELS)[number], metrics: RunMetrics): string {
  const value = metrics[key];
  const cls =
    SIGNED.has(key) && typeof value === 'number' && value !== 0 ? (value > 0 ? ' pos' : ' neg') : '';
  return `<tr><th scope="row">${escapeHtml(label)}</th><td class="num${cls}" title="${escapeHtml(String(value))}">${escapeHtml(formatMetric(value, unit))}</td></tr>`;
}

/** The metrics as two HTML tables in METRIC_LABELS order; each cell's title holds the raw value. */
export function metricsTableHtml(metrics: RunMetrics): string {
  const split = Math.max(
    0,
    METRIC_LABELS.findIndex(([key]) => key === SECOND_COLUMN_FROM),
  );
  const table = (labels: typeof METRIC_LABELS) =>
    `<table class="metrics"><tbody>\n${labels.map((l) => rowHtml(l, metrics)).join('\n')}\n</tbody></table>`;
  return `<div class="metric-columns">\n${table(METRIC_LABELS.slice(0, split))}\n${table(METRIC_LABELS.slice(split))}\n</div>`;
}
