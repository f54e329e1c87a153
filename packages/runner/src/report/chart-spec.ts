/**
 * The charts as the report page receives them (embedded JSON). The page turns each into one
 * uPlot chart; a chart with no points shows its `empty` note instead.
 */
export type SeriesKind = 'line' | 'step' | 'area' | 'buy' | 'sell' | 'bar';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly kind: SeriesKind;
  /** Aligned with the chart's x; null = no value at that x. */
  readonly values: readonly (number | null)[];
}

export interface ChartSpec {
  /** Unique, safe in an HTML id. */
  readonly id: string;
  readonly title: string;
  /** One line under the title saying what is drawn. */
  readonly caption: string;
  /**
   * 'run': µs offsets from the payload's t0; these charts zoom together and are downsampled.
   * 'day': µs offsets of UTC midnights. 'hour': 0–23. 'value': a numeric axis (histogram bins).
   */
  readonly xKind: 'run' | 'day' | 'hour' | 'value';
  readonly x: readonly number[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Bar charts: the x distance between neighbouring bars. */
  readonly barWidth?: number;
  readonly series: readonly ChartSeries[];
  /** Why there is nothing to draw, shown instead of the chart when x is empty. */
  readonly empty: string;
}

export interface ReportPayload {
  /** µs since the epoch that 'run' and 'day' x values count from. */
  readonly t0: number;
  /** The most points a 'run' chart draws at once (more are downsampled). */
  readonly pointBudget: number;
  readonly charts: readonly ChartSpec[];
}

/** Palette shared by the page's charts. */
export const COLORS = {
  equity: '#2563eb',
  drawdown: '#dc2626',
  bid: '#0e7490',
  ask: '#b45309',
  buy: '#15803d',
  sell: '#be123c',
  position: '#7c3aed',
  gain: '#16a34a',
  loss: '#dc2626',
  neutral: '#475569',
} as const;

/** A DOM-id-safe form of a symbol or name. */
export function chartId(...parts: readonly string[]): string {
  return parts
    .join('-')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .toLowerCase();
}
