import type { Side } from '../events/side.js';
import type { Micros } from '../time.js';
import type { OrderType, TimeInForce } from './order-request.js';
import type { OrderStatus } from './order-status.js';
import type { RejectReason } from './reject-reason.js';

/**
 * One of our orders as of its latest change: an immutable snapshot, delivered to
 * `onOrderUpdate` on every state change and returned by `ctx.openOrders()`.
 */
export interface Order {
  readonly clientOrderId: string;
  readonly exchangeOrderId?: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Limit price; NaN for market orders. */
  readonly price: number;
  readonly qty: number;
  readonly filledQty: number;
  /** Volume-weighted fill price; NaN until the first fill. */
  readonly avgFillPrice: number;
  readonly status: OrderStatus;
  readonly reduceOnly: boolean;
  readonly tag?: string;
  /** Local time the strategy placed it. */
  readonly createdTs: Micros;
  /** Local time of this snapshot's change. */
  readonly updatedTs: Micros;
  /** Set on `rejected`, on `expired`, and on a refused cancel. */
  readonly reason?: RejectReason;
}

/** What `placeOrder` returns at once: the order in state `pending` (or `rejected` if denied locally). */
export type OrderHandle = Order;
