import { type ChartSeries, type ChartSpec, COLORS } from './chart-spec.js';
import { histogram } from './histogram.js';
import { pnlByDay, pnlByHourOfDay } from './pnl-buckets.js';
import type { RunData } from './run-data.js';

const US_PER_DAY = 86_400_000_000;

/** Gains and losses as two bar series (null where the other applies), so each gets its colour. */
function signedBars(values: readonly number[], gain: string, loss: string): ChartSeries[] {
  return [
    { label: gain, color: COLORS.gain, kind: 'bar', values: values.map((v) => (v >= 0 ? v : null)) },
    { label: loss, color: COLORS.loss, kind: 'bar', values: values.map((v) => (v < 0 ? v : null)) },
  ];
}

/** Round-trip PnL histogram, PnL by hour of day and by day, order→fill latency histogram. */
export function breakdownCharts(run: RunData, t0: number): ChartSpec[] {
  const pnlHist = histogram(run.tradePnl);
  const centers = pnlHist.counts.map((_, i) => pnlHist.lo + (i + 0.5) * pnlHist.width);
  const byHour = pnlByHourOfDay(run.equity.ts, run.equity.equity);
  const byDay = pnlByDay(run.equity.ts, run.equity.equity);
  const latencyMs = run.orderToFillUs.map((us) => us / 1000);
  const latHist = histogram(latencyMs);
  return [
    {
      id: 'trade-pnl',
      title: 'Round-trip PnL distribution',
      caption: `Net PnL of each of the ${run.tradePnl.length} round trips (after fees and funding), binned.`,
      xKind: 'value',
      x: centers,
      xLabel: 'net PnL per round trip',
      yLabel: 'round trips',
      barWidth: pnlHist.width,
      series: [
        {
          label: 'winning',
          color: COLORS.gain,
          kind: 'bar',
          values: pnlHist.counts.map((c, i) => ((centers[i] as number) >= 0 ? c : null)),
        },
        {
          label: 'losing',
          color: COLORS.loss,
          kind: 'bar',
          values: pnlHist.counts.map((c, i) => ((centers[i] as number) < 0 ? c : null)),
        },
      ],
      empty: 'no round trips (no position was closed) in this run',
    },
    {
      id: 'pnl-hour',
      title: 'PnL by hour of day (UTC)',
      caption: 'Change of equity within each UTC hour of the day, summed over the run’s days.',
      xKind: 'hour',
      x: byHour.keys,
      xLabel: 'hour of day (UTC)',
      yLabel: 'PnL',
      barWidth: 1,
      series: signedBars(byHour.pnl, 'gain', 'loss'),
      empty: 'no equity samples in this run',
    },
    {
      id: 'pnl-day',
      title: 'PnL by day (UTC)',
      caption: 'Change of equity within each UTC day.',
      xKind: 'day',
      // Each bar centred on its day's noon, so it spans the day between two midnight ticks.
      x: byDay.keys.map((d) => d + US_PER_DAY / 2 - t0),
      xLabel: 'day (UTC)',
      yLabel: 'PnL',
      barWidth: US_PER_DAY,
      series: signedBars(byDay.pnl, 'gain', 'loss'),
      empty: 'no equity samples in this run',
    },
    {
      id: 'order-latency',
      title: 'Order → first fill latency',
      caption: `Time from placing an order to its first fill (local clock), ${run.orderToFillUs.length} filled orders.`,
      xKind: 'value',
      x: latHist.counts.map((_, i) => latHist.lo + (i + 0.5) * latHist.width),
      xLabel: 'latency (ms)',
      yLabel: 'orders',
      barWidth: latHist.width,
      series: [{ label: 'orders', color: COLORS.neutral, kind: 'bar', values: latHist.counts }],
      empty: 'no order was filled in this run',
    },
  ];
}
