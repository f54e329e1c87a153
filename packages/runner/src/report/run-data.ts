/** A per-symbol time series of best bid/ask (nulls where a side was empty). */
export interface PriceSeries {
  readonly ts: readonly number[];
  readonly bid: readonly (number | null)[];
  readonly ask: readonly (number | null)[];
}

export interface PositionSeries {
  readonly ts: readonly number[];
  readonly qty: readonly number[];
}

export interface RunFill {
  readonly ts: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly qty: number;
}

/** What the report reads from a run's run.duckdb; timestamps in µs since the epoch. */
export interface RunData {
  /** run_meta as key → value (JSON values stay strings here). */
  readonly meta: ReadonlyMap<string, string>;
  readonly equity: {
    readonly ts: readonly number[];
    readonly equity: readonly number[];
    readonly drawdown: readonly number[];
  };
  /** Keyed by symbol, in symbol order. */
  readonly prices: ReadonlyMap<string, PriceSeries>;
  readonly positions: ReadonlyMap<string, PositionSeries>;
  /** In local-time order. */
  readonly fills: readonly RunFill[];
  /** net_pnl of every round trip, in exit order. */
  readonly tradePnl: readonly number[];
  /** first_fill_ts − created_ts of every order that filled, µs. */
  readonly orderToFillUs: readonly number[];
}
