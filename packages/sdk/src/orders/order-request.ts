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
