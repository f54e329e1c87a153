import { z } from 'zod';
import { BinanceError } from '../binance-error.js';
import { optionalParam, orderIdParam, type RawParams, requiredParam, symbolParam } from './order-params.js';

export interface AllOrdersQuery {
  readonly symbol: string;
  readonly orderId: number | undefined;
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;
const millis = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/**
 * `GET /fapi/v1/allOrders` parameters, with Binance's rules: `symbol` mandatory; `orderId`
 * returns orders from that id on; the window at most 7 days; `limit` 1–1000, default 500.
 */
export function readAllOrdersQuery(raw: RawParams): AllOrdersQuery {
  const q = {
    symbol: requiredParam(raw, 'symbol', symbolParam),
    orderId: optionalParam(raw, 'orderId', orderIdParam),
    startTime: optionalParam(raw, 'startTime', millis),
    endTime: optionalParam(raw, 'endTime', millis),
    limit: optionalParam(raw, 'limit', millis) ?? 500,
  };
  if (q.limit < 1 || q.limit > 1000)
    throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
  if (q.startTime !== undefined && q.endTime !== undefined && q.endTime - q.startTime > WEEK_MS)
    throw new BinanceError(400, -4166, 'Search window is restricted to recent 7 days only.');
  return q;
}

/**
 * Which of the account's orders (ascending by id, each with its creation time) the query
 * selects: from `orderId` on, the first `limit`; otherwise the newest `limit` in the window
 * (the last 7 days when no time is given).
 */
export function selectOrders<
  T extends { readonly orderId: number; readonly symbol: string; readonly time: number },
>(orders: readonly T[], q: AllOrdersQuery, nowMs: number): T[] {
  const from = q.startTime ?? (q.endTime !== undefined ? q.endTime - WEEK_MS : nowMs - WEEK_MS);
  const to = q.endTime ?? (q.startTime !== undefined ? q.startTime + WEEK_MS : nowMs);
  const mine = orders.filter((o) => o.symbol === q.symbol);
  if (q.orderId !== undefined) {
    const id = q.orderId;
    return mine
      .filter((o) => o.orderId >= id && (q.startTime === undefined || o.time >= from))
      .slice(0, q.limit);
  }
  return mine.filter((o) => o.time >= from && o.time <= to).slice(-q.limit);
}
