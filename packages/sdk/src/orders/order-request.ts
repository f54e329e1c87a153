import type { Side } from '../events/side.js';

export type OrderType = 'limit' | 'market';

/** GTC good-till-cancel, IOC immediate-or-cancel, FOK fill-or-kill, GTX post-only. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX';

/** What a strategy asks for. `price` is required for limit orders and ignored for market. */
export interface OrderRequest {
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: number;
  readonly price?: number;
  readonly timeInForce?: TimeInForce;
  readonly reduceOnly?: boolean;
  readonly clientOrderId?: string;
  /** Free text carried on the order and its fills (the leg engine uses it for leg ids). */
  readonly tag?: string;
}

/**
 * An order as it leaves the ExecutionEngine for a venue: every field resolved, price and
 * quantity already on the instrument's grid (NaN price for market orders).
 */
export interface OrderCommand {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: number;
  readonly price: number;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
}

export interface CancelCommand {
  readonly clientOrderId: string;
  readonly symbol: string;
}

/** What `ctx.modifyOrder` may change on a resting limit order. */
export interface OrderChanges {
  readonly price?: number;
  /** New total quantity (filled part included), as Binance's order.modify takes it. */
  readonly qty?: number;
}

/**
 * Amends a resting limit order in place (Binance `order.modify` / PUT /fapi/v1/order).
 * Queue priority: a price change or a quantity increase goes to the back of the queue; a
 * quantity decrease keeps its place.
 */
export interface ModifyCommand {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly qty: number;
}
