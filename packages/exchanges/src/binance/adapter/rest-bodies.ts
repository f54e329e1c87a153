import type { Micros, OrderType, Side, TimeInForce } from '@botplatform/sdk';
import { z } from 'zod';
import { millisField, rateField, sizeField, symbolField } from '../wire-fields.js';

/**
 * Response bodies of the USD-M REST endpoints the adapter calls (and of the WebSocket API
 * methods that return the same objects). Fields the adapter does not use are ignored.
 */

/** GET /fapi/v1/time: `{"serverTime": 1499827319559}`. */
export const serverTimeSchema = z.object({ serverTime: z.number().int().positive() });

/** POST and PUT /fapi/v1/listenKey: `{"listenKey": "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"}`. */
export const listenKeySchema = z.object({ listenKey: z.string().min(1) });

const orderSide = z.enum(['BUY', 'SELL']);

/**
 * An order as POST/PUT/DELETE /fapi/v1/order, GET /fapi/v1/openOrders and the WebSocket API's
 * order.place / order.modify / order.cancel return it: `orderId`, `clientOrderId`, `status`
 * (NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, EXPIRED_IN_MATCH), `price` and `origQty`,
 * `executedQty`, `avgPrice`, `updateTime` (ms).
 */
export const orderBodySchema = z.object({
  orderId: z.number().int().nonnegative(),
  symbol: symbolField,
  status: z.string().min(1),
  clientOrderId: z.string(),
  price: sizeField,
  avgPrice: sizeField.optional(),
  origQty: sizeField,
  executedQty: sizeField,
  timeInForce: z.string().optional(),
  type: z.string().min(1),
  reduceOnly: z.boolean().optional(),
  side: orderSide,
  updateTime: millisField.optional(),
  time: millisField.optional(),
});

export type BinanceOrderBody = z.output<typeof orderBodySchema>;

/** An order the exchange holds, as reconciliation needs it. Times in µs. */
export interface BinanceOpenOrder {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  /** Binance's type (LIMIT, MARKET, STOP…): only LIMIT and MARKET are SDK order types. */
  readonly type: OrderType | string;
  readonly timeInForce: TimeInForce | string | undefined;
  readonly price: number;
  readonly qty: number;
  readonly filledQty: number;
  /** NaN until something filled. */
  readonly avgFillPrice: number;
  /** Binance's status (NEW, PARTIALLY_FILLED…). */
  readonly status: string;
  readonly reduceOnly: boolean;
  readonly updateTs: Micros;
}

export function openOrderOf(o: BinanceOrderBody): BinanceOpenOrder {
  const avg = o.avgPrice ?? 0;
  return {
    clientOrderId: o.clientOrderId,
    exchangeOrderId: String(o.orderId),
    symbol: o.symbol,
    side: o.side === 'BUY' ? 'buy' : 'sell',
    type: o.type === 'LIMIT' ? 'limit' : o.type === 'MARKET' ? 'market' : o.type,
    timeInForce: o.timeInForce,
    price: o.price === 0 ? Number.NaN : o.price,
    qty: o.origQty,
    filledQty: o.executedQty,
    avgFillPrice: o.executedQty > 0 && avg > 0 ? avg : Number.NaN,
    status: o.status,
    reduceOnly: o.reduceOnly ?? false,
    updateTs: o.updateTime ?? o.time ?? 0,
  };
}

/**
 * One row of GET /fapi/v3/positionRisk (only symbols with a position or open orders): signed
 * `positionAmt`, `entryPrice`, `markPrice`, `unRealizedProfit`, `positionSide` (BOTH in
 * one-way mode, LONG/SHORT in hedge mode), `updateTime`.
 */
export const positionRiskRowSchema = z.object({
  symbol: symbolField,
  positionSide: z.string().min(1),
  positionAmt: rateField,
  entryPrice: sizeField,
  markPrice: sizeField.optional(),
  unRealizedProfit: rateField.optional(),
  updateTime: millisField.optional(),
});
export const positionRiskSchema = z.array(positionRiskRowSchema);

/** A position the exchange holds. `qty` is signed (short < 0). */
export interface BinancePosition {
  readonly symbol: string;
  readonly positionSide: string;
  readonly qty: number;
  /** NaN when flat. */
  readonly entryPrice: number;
  readonly markPrice: number;
  readonly unrealizedPnl: number;
  readonly updateTs: Micros;
}

export function positionOf(r: z.output<typeof positionRiskRowSchema>): BinancePosition {
  return {
    symbol: r.symbol,
    positionSide: r.positionSide,
    qty: r.positionAmt,
    entryPrice: r.positionAmt === 0 ? Number.NaN : r.entryPrice,
    markPrice: r.markPrice ?? Number.NaN,
    unrealizedPnl: r.unRealizedProfit ?? 0,
    updateTs: r.updateTime ?? 0,
  };
}

/**
 * One row of GET /fapi/v1/userTrades (Account Trade List): an execution of one of our orders.
 * `commission` is charged in `commissionAsset` (the quote asset, or BNB with the fee discount);
 * `maker` says which side of the trade we were; `time` is the trade time (ms).
 */
export const userTradeSchema = z.object({
  id: z.number().int().nonnegative(),
  orderId: z.number().int().nonnegative(),
  symbol: symbolField,
  side: orderSide,
  price: sizeField,
  qty: sizeField,
  commission: rateField,
  commissionAsset: z.string().min(1),
  maker: z.boolean(),
  realizedPnl: rateField.optional(),
  time: millisField,
});

export type BinanceUserTrade = z.output<typeof userTradeSchema>;

/** One execution of an order, as reconciliation replays it. Times in µs; `fee` in the quote asset. */
export interface BinanceOrderFill {
  readonly tradeId: number;
  readonly price: number;
  readonly qty: number;
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
  readonly exchTs: Micros;
}
