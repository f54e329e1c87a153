import { money, type WireDecimals } from '../market/wire-decimal.js';
import type { Position } from '../venue/account.js';
import type { OrderRecord } from '../venue/order-record.js';

/** ORDER_TRADE_UPDATE execution types the loopback produces. */
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'AMENDMENT';

export interface FillInfo {
  readonly qty: number;
  readonly price: number;
  /** Commission paid; negative is a rebate. */
  readonly fee: number;
  readonly maker: boolean;
  readonly tradeId: number;
  readonly realized: number;
}

/**
 * `ORDER_TRADE_UPDATE` (USD-M user data stream "Event: Order Update"), one per order state
 * change. `N` / `n` (commission) are pushed only with a trade, as the docs say ("will not push
 * if no commission"); `b` / `a` are the symbol's open bid / ask notional.
 */
export function orderTradeUpdate(
  o: OrderRecord,
  x: ExecutionType,
  fill: FillInfo | undefined,
  eventMs: number,
  txMs: number,
  notional: { readonly bid: number; readonly ask: number },
  d: WireDecimals,
) {
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: eventMs,
    T: txMs,
    o: {
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: d.qty(o.origQty),
      p: d.price(Number.isNaN(o.price) ? 0 : o.price),
      ap: d.price(o.avgPrice),
      sp: d.price(0),
      x,
      X: o.status,
      i: o.orderId,
      l: d.qty(fill?.qty ?? 0),
      z: d.qty(o.executedQty),
      L: d.price(fill?.price ?? 0),
      ...(fill ? { N: 'USDT', n: money(fill.fee) } : {}),
      T: txMs,
      t: fill?.tradeId ?? 0,
      b: money(notional.bid),
      a: money(notional.ask),
      m: fill?.maker ?? false,
      R: o.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: o.type,
      ps: 'BOTH',
      cp: false,
      pP: false,
      si: 0,
      ss: 0,
      rp: money(fill?.realized ?? 0),
      V: 'NONE',
      pm: 'NONE',
      gtd: 0,
    },
  };
}

export interface BalanceChange {
  readonly wallet: number;
  /** Balance change except PnL and commission (Binance `bc`); funding counts here. */
  readonly change: number;
}

/**
 * `ACCOUNT_UPDATE` ("Event: Balance and Position Update"): reason `m` ORDER after a fill (the
 * USDT balance and the symbol's position) or FUNDING_FEE (balance only, cross margin).
 */
export function accountUpdate(
  reason: 'ORDER' | 'FUNDING_FEE',
  balance: BalanceChange,
  positions: ReadonlyArray<{
    readonly symbol: string;
    readonly p: Position;
    readonly mark: number;
    readonly d: WireDecimals;
  }>,
  eventMs: number,
  txMs: number,
) {
  return {
    e: 'ACCOUNT_UPDATE',
    E: eventMs,
    T: txMs,
    a: {
      m: reason,
      B: [{ a: 'USDT', wb: money(balance.wallet), cw: money(balance.wallet), bc: money(balance.change) }],
      P: positions.map(({ symbol, p, mark, d }) => ({
        s: symbol,
        pa: d.qty(p.qty),
        ep: d.price(p.entry),
        bep: d.price(p.entry),
        cr: money(p.realized),
        up: money(Number.isFinite(mark) && p.qty !== 0 ? (mark - p.entry) * p.qty : 0),
        mt: 'cross',
        iw: money(0),
        ps: 'BOTH',
      })),
    },
  };
}

/**
 * `listenKeyExpired` ("Event: User Data Stream Expired"). The docs' example sends `E` as a
 * string ("1736996475556"); so does the loopback.
 */
export function listenKeyExpired(listenKey: string, eventMs: number) {
  return { e: 'listenKeyExpired', E: String(eventMs), listenKey };
}
