import type { Instrument } from '@botplatform/sdk';

/** What the synthetic market looks like. Only `seed` and `durationUs` are required. */
export interface SyntheticMarketOptions {
  /** PRNG seed: the same options and seed give the identical event sequence. */
  seed: number;
  /** Length of the generated market, µs of exchange time. */
  durationUs: number;
  /** Default 'BTCUSDT'. */
  symbol?: string;
  /** Default 'binance-futures'. */
  exchange?: string;
  /** Exchange time of the first event, µs since the epoch. Default 1_700_000_000_000_000. */
  startTs?: number;
  /** Default 0.1. */
  tickSize?: number;
  /** Default 0.001 (also the instrument's minQty). */
  stepSize?: number;
  /** Default 50_000. */
  startPrice?: number;
  /** Annualized volatility of the latent fair price in a normal regime. Default 0.5. */
  annualVol?: number;
  /** Mean trade prints per second in a normal regime (sweeps print once per level). Default 40. */
  tradesPerSecond?: number;
  /** Median taker order size, base units. Default 0.015. */
  medianTradeQty?: number;
  /** Typical resting size of a level ~10 ticks from the touch, base units. Default 1.5. */
  levelQty?: number;
  /** Ticks of book kept on each side of the touch (~80% of them quoted). Default 40. */
  bookWidthTicks?: number;
  /** Limit-order events (quote, cancel, resize) per second. Default 150. */
  quoteEventsPerSecond?: number;
  /** Depth diff cadence. Default 100_000 (100 ms, as Binance `@depth@100ms`). */
  depthIntervalUs?: number;
  /**
   * Book-ticker throttle, µs. 0 (default): a book ticker on every change of the best bid/offer,
   * as Binance's real-time `@bookTicker`. > 0: at most one per interval, published on the
   * interval's grid (exchange time `startTs + k × interval`) when the best bid/offer changed
   * since the last one, carrying the book's best bid/offer at that instant (a conflated stream).
   */
  bookTickerIntervalUs?: number;
  /** Mark-price cadence. Default 1_000_000 (1 s). */
  markIntervalUs?: number;
  /** Mean feed latency, µs (streams spread ±1 ms around it, plus jitter). Default 3_000. */
  feedLatencyUs?: number;
  /** Latency spikes of 50–300 ms every 30–90 s. Default true. */
  latencySpikes?: boolean;
  /** Funding rate the slow drift starts from and reverts to. Default 0.0001. */
  fundingRate?: number;
}

export type ResolvedSyntheticOptions = Required<SyntheticMarketOptions>;

export const SYNTHETIC_DEFAULTS: Omit<ResolvedSyntheticOptions, 'seed' | 'durationUs'> = {
  symbol: 'BTCUSDT',
  exchange: 'binance-futures',
  startTs: 1_700_000_000_000_000,
  tickSize: 0.1,
  stepSize: 0.001,
  startPrice: 50_000,
  annualVol: 0.5,
  tradesPerSecond: 40,
  medianTradeQty: 0.015,
  levelQty: 1.5,
  bookWidthTicks: 40,
  quoteEventsPerSecond: 150,
  depthIntervalUs: 100_000,
  bookTickerIntervalUs: 0,
  markIntervalUs: 1_000_000,
  feedLatencyUs: 3_000,
  latencySpikes: true,
  fundingRate: 0.0001,
};

/**
 * The `pnpm bench` market, a tick-store row mix of ~70% depth level updates, ~25% trades and
 * ~5% book tickers (the defaults give ~73 / 5 / 22): busier takers (180 prints/s in a normal
 * regime instead of 40), a book 100 ticks deep a side instead of 40 (so depth diffs have room
 * to grow with activity instead of saturating) and book tickers conflated to at most one per
 * 14 ms. Seed 1 measures 69.9 / 26.0 / 4.1 over 16 hours (~1,700 rows/s). The mix follows the
 * volatility regime: a 10-minute window ranges from ~68 / 22 / 10 (calm: the ticker cap is a
 * larger share of fewer rows) to ~69 / 29 / 2 (busy).
 */
export const SYNTHETIC_BENCH_OPTIONS = {
  tradesPerSecond: 180,
  bookWidthTicks: 100,
  bookTickerIntervalUs: 14_000,
} as const satisfies Partial<SyntheticMarketOptions>;

/** Applies defaults and checks ranges; throws a RangeError naming the bad option. */
export function resolveSyntheticOptions(opts: SyntheticMarketOptions): ResolvedSyntheticOptions {
  const o: ResolvedSyntheticOptions = {
    ...SYNTHETIC_DEFAULTS,
    ...stripUndefined(opts),
  } as ResolvedSyntheticOptions;
  const positive: Array<keyof ResolvedSyntheticOptions> = [
    'durationUs',
    'tickSize',
    'stepSize',
    'startPrice',
    'tradesPerSecond',
    'medianTradeQty',
    'levelQty',
    'quoteEventsPerSecond',
    'depthIntervalUs',
    'markIntervalUs',
    'feedLatencyUs',
  ];
  for (const key of positive) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new RangeError(`synthetic market: ${key} must be a finite number > 0, got ${String(v)}`);
    }
  }
  if (!Number.isFinite(o.seed))
    throw new RangeError(`synthetic market: seed must be a finite number, got ${o.seed}`);
  if (!Number.isSafeInteger(o.startTs) || o.startTs < 0) {
    throw new RangeError(`synthetic market: startTs must be a non-negative integer (µs), got ${o.startTs}`);
  }
  if (!(o.annualVol >= 0 && o.annualVol < 10)) {
    throw new RangeError(`synthetic market: annualVol must be in [0, 10), got ${o.annualVol}`);
  }
  if (!(Number.isInteger(o.bookWidthTicks) && o.bookWidthTicks >= 5 && o.bookWidthTicks <= 500)) {
    throw new RangeError(
      `synthetic market: bookWidthTicks must be an integer in [5, 500], got ${o.bookWidthTicks}`,
    );
  }
  if (!(Number.isSafeInteger(o.bookTickerIntervalUs) && o.bookTickerIntervalUs >= 0)) {
    throw new RangeError(
      `synthetic market: bookTickerIntervalUs must be a whole number of µs ≥ 0 (0 = every change), got ${o.bookTickerIntervalUs}`,
    );
  }
  if (!(Math.abs(o.fundingRate) < 0.01)) {
    throw new RangeError(`synthetic market: fundingRate must be within ±0.01, got ${o.fundingRate}`);
  }
  return o;
}

/** The instrument the synthetic market trades (USDT-margined linear perpetual). */
export function syntheticInstrument(o: ResolvedSyntheticOptions): Instrument {
  return {
    exchange: o.exchange,
    symbol: o.symbol,
    tickSize: o.tickSize,
    stepSize: o.stepSize,
    minQty: o.stepSize,
    minNotional: 100,
    makerFee: 0.0002,
    takerFee: 0.0005,
    contractSize: 1,
  };
}

function stripUndefined(opts: SyntheticMarketOptions): Partial<SyntheticMarketOptions> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) out[k] = v;
  return out as Partial<SyntheticMarketOptions>;
}
