import type { AggressorVolume } from '../signals/aggressor-volume.js';
import type { Microprice } from '../signals/microprice.js';
import type { OpenInterestChange } from '../signals/open-interest-change.js';
import type { OrderBookImbalance, OrderBookImbalanceOptions } from '../signals/order-book-imbalance.js';
import type { TradeFlowImbalance } from '../signals/trade-flow-imbalance.js';
import type { TradeRate } from '../signals/trade-rate.js';
import type { Micros } from '../time.js';

/** Anything fed one number at a time (SMA, EMA, RSI, MACD, …). */
export interface NumberFed {
  update(x: number): unknown;
}

export interface SampleOptions {
  /** Feed the indicator once per this much local time (a bar of that length). */
  readonly everyUs: Micros;
  /** The price fed: the book's mid (default) or the latest mark price. */
  readonly source?: 'mid' | 'markPrice';
}

/**
 * `ctx.signals`: built-in signals bound to the feed. The SignalsEngine updates each one on the
 * events it reads, before the strategy's callback for that event, identically in backtest and
 * live; the strategy only reads `.value`.
 */
export interface SignalsApi {
  /** Order-book imbalance, updated on each book update of the symbol (default top 5 levels). */
  obi(symbol: string, opts?: OrderBookImbalanceOptions): OrderBookImbalance;
  /** Microprice, updated on each book update of the symbol. */
  microprice(symbol: string): Microprice;
  /** Trade-flow imbalance over a sliding window of local time, updated on each trade. */
  tradeFlow(symbol: string, windowUs: Micros): TradeFlowImbalance;
  /** Buy − sell aggressor volume over a sliding window, updated on each trade. */
  aggressorVolume(symbol: string, windowUs: Micros): AggressorVolume;
  /** Trades per second over a sliding window, updated on each trade. */
  tradeRate(symbol: string, windowUs: Micros): TradeRate;
  /** Open-interest change over a window, updated on each open-interest event. */
  openInterestChange(symbol: string, windowUs: Micros): OpenInterestChange;
  /**
   * Feeds `indicator.update(price)` once per `everyUs` of local time: on the first book update
   * at or after each boundary (k·everyUs), with the price of that moment. Returns the indicator.
   */
  sampled<T extends NumberFed>(symbol: string, indicator: T, opts: SampleOptions): T;
}
