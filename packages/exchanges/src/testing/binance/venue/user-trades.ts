import { BinanceError } from '../binance-error.js';
import type { WireDecimals } from '../market/wire-decimal.js';
import { money } from '../market/wire-decimal.js';
import { type HistoryWindow, readHistoryWindow, windowBounds } from './history-window.js';
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

export interface UserTradesQuery extends HistoryWindow {
  readonly symbol: string;
  readonly orderId: number | undefined;
  readonly fromId: number | undefined;
}

/** Executions kept for queries; older ones are forgotten (Binance keeps 6 months). */
const KEEP = 100_000;

/**
 * `GET /fapi/v1/userTrades` parameters, with Binance's rules: `symbol` mandatory; `orderId`
 * only with `symbol`; `fromId` not with `startTime`/`endTime` (-1128).
 */
export function readUserTradesQuery(raw: RawParams): UserTradesQuery {
  const q = {
    symbol: requiredParam(raw, 'symbol', symbolParam),
    orderId: optionalParam(raw, 'orderId', orderIdParam),
    fromId: optionalParam(raw, 'fromId', orderIdParam),
    ...readHistoryWindow(raw),
  };
  if (q.fromId !== undefined && (q.startTime !== undefined || q.endTime !== undefined))
    throw new BinanceError(400, -1128, 'Combination of optional parameters invalid.');
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
    const { from, to } = windowBounds(q, nowMs);
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
