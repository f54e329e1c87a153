import { type HistoryWindow, readHistoryWindow, windowBounds } from './history-window.js';
import { optionalParam, orderIdParam, type RawParams, requiredParam, symbolParam } from './order-params.js';

export interface AllOrdersQuery extends HistoryWindow {
  readonly symbol: string;
  readonly orderId: number | undefined;
}

/** `GET /fapi/v1/allOrders` parameters: `symbol` mandatory; `orderId` returns orders from that id on. */
export function readAllOrdersQuery(raw: RawParams): AllOrdersQuery {
  return {
    symbol: requiredParam(raw, 'symbol', symbolParam),
    orderId: optionalParam(raw, 'orderId', orderIdParam),
    ...readHistoryWindow(raw),
  };
}

/**
 * Which of the account's orders (ascending by id, each with its creation time) the query
 * selects: from `orderId` on, the first `limit`; otherwise the newest `limit` in the window.
 */
export function selectOrders<
  T extends { readonly orderId: number; readonly symbol: string; readonly time: number },
>(orders: readonly T[], q: AllOrdersQuery, nowMs: number): T[] {
  const { from, to } = windowBounds(q, nowMs);
  const mine = orders.filter((o) => o.symbol === q.symbol);
  if (q.orderId !== undefined) {
    const id = q.orderId;
    return mine
      .filter((o) => o.orderId >= id && (q.startTime === undefined || o.time >= from))
      .slice(0, q.limit);
  }
  return mine.filter((o) => o.time >= from && o.time <= to).slice(-q.limit);
}
