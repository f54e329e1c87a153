import type { OrderBookView } from '../book/order-book-view.js';
import type { Instrument } from '../instrument/instrument.js';
import type { Order, OrderHandle } from '../orders/order.js';
import type { OrderChanges, OrderRequest } from '../orders/order-request.js';
import type { Micros } from '../time.js';
import type { JsonValue } from './json.js';
import type { LegsApi } from './legs-api.js';
import type { Logger } from './logger.js';
import type { Position } from './position.js';
import type { SignalsApi } from './signals-api.js';

export type RunMode = 'backtest' | 'paper' | 'live';

/**
 * Everything a strategy may touch. Identical in backtest, paper and live: only the clock,
 * the data source and the venue behind it change.
 */
export interface StrategyContext {
  readonly mode: RunMode;
  /** Local time in µs: the replay clock in a backtest, the wall clock live. */
  now(): Micros;
  readonly symbols: readonly string[];
  instrument(symbol: string): Instrument;
  /** The local order book, as of the last depth update received. */
  book(symbol: string): OrderBookView;
  position(symbol: string): Position;
  /** Orders not yet in a terminal state, optionally of one symbol. */
  openOrders(symbol?: string): readonly Order[];
  /**
   * Sends an order through the execution engine. Price is rounded to the tick and quantity to
   * the step (passively: buys down, sells up, quantity down); an order that still breaks the
   * instrument's filters is returned `rejected` with the reason, and reported to
   * `onOrderUpdate` after the current callback returns.
   */
  placeOrder(req: OrderRequest): OrderHandle;
  /** Requests a cancel; false if no open order has that id. */
  cancelOrder(clientOrderId: string): boolean;
  /**
   * Amends a resting limit order's price and/or total quantity (rounded like placeOrder).
   * A price change or a quantity increase loses the order's place in the queue; a decrease
   * keeps it. The outcome arrives through `onOrderUpdate`; false if no open order has that id.
   */
  modifyOrder(clientOrderId: string, changes: OrderChanges): boolean;
  /** Cancels every open order (of one symbol); returns how many cancels were sent. */
  cancelAll(symbol?: string): number;
  /** Calls `onTimer(name)` once at local time `atUs` (replaces a timer of the same name). */
  setTimer(name: string, atUs: Micros): void;
  /** Calls `onTimer(name)` every `everyUs` from now on (replaces a timer of the same name). */
  setInterval(name: string, everyUs: Micros): void;
  clearTimer(name: string): void;
  /** Built-in signals bound to the feed, updated before the callbacks that see the same event. */
  readonly signals: SignalsApi;
  /** The leg engine: directional position components driven by fills tagged with their id. */
  readonly legs: LegsApi;
  /** A JSON-serializable store that survives live restarts. */
  readonly state: Record<string, JsonValue>;
  /** Records a named value in the run's signal history. */
  emit(name: string, value: number | JsonValue): void;
  readonly log: Logger;
}
