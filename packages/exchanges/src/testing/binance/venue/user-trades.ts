import { z } from 'zod';
import { BinanceError } from '../binance-error.js';
import type { WireDecimals } from '../market/wire-decimal.js';
import { money } from '../market/wire-decimal.js';
import { optionalParam, orderIdParam, type RawParams, requiredParam, symbolParam } from './order-params.js';

/** One execution of the account's, as the Account Trade List returns it. */
export interface UserTradeRow {
  readonly id: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: number;
  readonly qty: number;
  /** Commission paid in USDT; negative is a rebate. */
  readonly fee: number;
  readonly maker: boolean;
  readonly realizedPnl: number;
  /** Trade time, ms. */
  readonly time: number;
}

export interface UserTradesQuery {
  readonly symbol: string;
  readonly orderId: number | undefined;
  readonly fromId: number | undefined;
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;
/** Executions kept for queries; older ones are forgotten (Binance keeps 6 months). */
const KEEP = 100_000;

const millis = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/**
 * `GET /fapi/v1/userTrades` parameters, with Binance's rules: `symbol` mandatory; `orderId`
 * only with `symbol`; `fromId` not with `startTime`/`endTime`; the window at most 7 days;
 * `limit` 1–1000, default 500.
 */
export function readUserTradesQuery(raw: RawParams): UserTradesQuery {
  const q = {
    symbol: requiredParam(raw, 'symbol', symbolParam),
    orderId: optionalParam(raw, 'orderId', orderIdParam),
    fromId: optionalParam(raw, 'fromId', orderIdParam),
    startTime: optionalParam(raw, 'startTime', millis),
    endTime: optionalParam(raw, 'endTime', millis),
    limit: optionalParam(raw, 'limit', millis) ?? DEFAULT_LIMIT,
  };
  if (q.limit < 1 || q.limit > MAX_LIMIT)
    throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
  if (q.fromId !== undefined && (q.startTime !== undefined || q.endTime !== undefined))
    throw new BinanceError(400, -1128, 'Combination of optional parameters invalid.');
  if (q.startTime !== undefined && q.endTime !== undefined && q.endTime - q.startTime > WEEK_MS)
    throw new BinanceError(400, -4166, 'Search window is restricted to recent 7 days only.');
  return q;
}

/**
 * The account's executions in trade-id order, answering the Account Trade List: `fromId`
 * pages forward from an id; otherwise the newest `limit` in the window (the last 7 days when
 * no time is given), oldest first.
 */
export class UserTradeLog {
  private readonly rows: UserTradeRow[] = [];

  add(row: UserTradeRow): void {
    this.rows.push(row);
    if (this.rows.length > KEEP) this.rows.splice(0, this.rows.length - KEEP);
  }

  query(q: UserTradesQuery, nowMs: number): UserTradeRow[] {
    const from = q.startTime ?? (q.endTime !== undefined ? q.endTime - WEEK_MS : nowMs - WEEK_MS);
    const to = q.endTime ?? (q.startTime !== undefined ? q.startTime + WEEK_MS : nowMs);
    const match = (r: UserTradeRow) =>
      r.symbol === q.symbol && (q.orderId === undefined || r.orderId === q.orderId);
    if (q.fromId !== undefined) {
      const out: UserTradeRow[] = [];
      for (const r of this.rows) {
        if (r.id >= q.fromId && match(r)) out.push(r);
        if (out.length === q.limit) break;
      }
      return out;
    }
    const inWindow = this.rows.filter((r) => match(r) && r.time >= from && r.time <= to);
    return inWindow.slice(-q.limit);
  }
}

/** A row as the REST body: decimal strings, one-way mode's `positionSide: BOTH`. */
export function userTradeJson(r: UserTradeRow, d: WireDecimals) {
  return {
    buyer: r.side === 'BUY',
    commission: money(r.fee),
    commissionAsset: 'USDT',
    id: r.id,
    maker: r.maker,
    orderId: r.orderId,
    price: d.price(r.price),
    qty: d.qty(r.qty),
    quoteQty: d.quote(r.price * r.qty),
    realizedPnl: money(r.realizedPnl),
    side: r.side,
    positionSide: 'BOTH',
    symbol: r.symbol,
    time: r.time,
  };
}
