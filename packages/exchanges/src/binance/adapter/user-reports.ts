import {
  type Liquidity,
  type Micros,
  type OrderReport,
  type RejectReason,
  rejectReason,
} from '@botplatform/sdk';
import type { AccountUpdate, OrderTradeUpdate } from './user-messages.js';

/**
 * Quote-currency value of a commission charged in another asset (BNB fee discount, say), for
 * the fill at `notional`. The default knows only the quote asset itself.
 */
export type FeeInQuote = (
  symbol: string,
  asset: string,
  amount: number,
  notional: number,
  liquidity: Liquidity,
) => number;

/** Commission in the symbol's quote asset (BTCUSDT/USDT) as is; any other asset needs a converter. */
export const quoteAssetFeeOnly: FeeInQuote = (symbol, asset, amount) => {
  if (symbol.endsWith(asset)) return amount;
  throw new RangeError(`Binance commission in ${asset} on ${symbol}: no converter to the quote asset`);
};

/**
 * The SDK ExecutionReports one ORDER_TRADE_UPDATE stands for, by execution type `x`:
 * NEW → accepted; TRADE (and CALCULATED, a liquidation's execution) → fill with price `L`,
 * qty `l`, fee `n` (positive = paid, in quote), maker when `m`, leaves `q − z`; CANCELED →
 * canceled; EXPIRED (status EXPIRED or EXPIRED_IN_MATCH) → expired with the reason its time in
 * force and expiry code `er` imply; AMENDMENT → modified (`p`, `q`). exchTs is the trade time `T`.
 */
export function reportsOfOrderUpdate(
  u: OrderTradeUpdate,
  feeInQuote: FeeInQuote = quoteAssetFeeOnly,
): OrderReport[] {
  const o = u.o;
  const clientOrderId = o.c;
  const exchTs: Micros = o.T;
  switch (o.x) {
    case 'NEW':
      return [{ kind: 'accepted', clientOrderId, exchangeOrderId: String(o.i), exchTs }];
    case 'TRADE':
    case 'CALCULATED': {
      const liquidity: Liquidity = o.m ? 'maker' : 'taker';
      const commission = o.n ?? 0;
      const fee =
        commission === 0 || o.N === undefined ? 0 : feeInQuote(o.s, o.N, commission, o.L * o.l, liquidity);
      return [
        {
          kind: 'fill',
          clientOrderId,
          price: o.L,
          qty: o.l,
          fee,
          liquidity,
          leavesQty: Math.max(0, clean(o.q - o.z)),
          exchTs,
        },
      ];
    }
    case 'CANCELED':
      return [{ kind: 'canceled', clientOrderId, exchTs }];
    case 'EXPIRED':
      return [{ kind: 'expired', clientOrderId, reason: expiryReason(o), exchTs }];
    case 'AMENDMENT':
      return [{ kind: 'modified', clientOrderId, price: o.p, qty: o.q, exchTs }];
    default:
      return [];
  }
}

/** Why Binance expired an order ("Expiry Reason" codes, then the order's own terms). */
export function expiryReason(o: OrderTradeUpdate['o']): RejectReason {
  switch (o.er) {
    case '1':
    case '3':
      return rejectReason('VENUE_ERROR', 'Binance expired the order: self-trade prevention');
    case '4':
      return rejectReason(
        'REDUCE_ONLY_REJECTED',
        'Binance expired the reduce-only order: it would open or reverse a position',
      );
    case '5':
      return rejectReason('VENUE_ERROR', 'Binance expired the order: the account was liquidated');
    case '7':
      return rejectReason('VENUE_ERROR', 'Binance canceled the order: the symbol is delisted');
  }
  if (o.X === 'EXPIRED_IN_MATCH')
    return rejectReason('VENUE_ERROR', 'Binance expired the order in match (self-trade prevention)');
  if (o.f === 'GTX')
    return rejectReason(
      'POST_ONLY_WOULD_CROSS',
      'Binance expired the post-only (GTX) order: it would have taken liquidity',
      -5022,
    );
  if (o.f === 'FOK')
    return rejectReason('FOK_NOT_FILLED', 'Binance expired the FOK order: not fillable in full', -5021);
  if (o.f === 'IOC' || o.o === 'MARKET')
    return rejectReason(
      'IOC_NOT_FILLED',
      `Binance expired the rest of the ${o.o === 'MARKET' ? 'market' : 'IOC'} order: no more liquidity`,
    );
  return rejectReason('VENUE_ERROR', `Binance expired the order (expiry reason ${o.er ?? 'none'})`);
}

/** A position as an ACCOUNT_UPDATE reports it. `qty` signed. */
export interface PositionUpdate {
  readonly symbol: string;
  readonly positionSide: string;
  readonly qty: number;
  /** NaN when flat. */
  readonly entryPrice: number;
  readonly exchTs: Micros;
}

/** Funding settled on the account (ACCOUNT_UPDATE reason FUNDING_FEE): `amount` paid, negative = received. */
export interface FundingPayment {
  /** The symbol when Binance names it (`a.S`, or the one isolated position pushed with it). */
  readonly symbol: string | undefined;
  readonly asset: string;
  readonly amount: number;
  readonly exchTs: Micros;
}

export function positionsOfAccountUpdate(u: AccountUpdate): PositionUpdate[] {
  return u.a.P.map((p) => ({
    symbol: p.s,
    positionSide: p.ps,
    qty: p.pa,
    entryPrice: p.pa === 0 ? Number.NaN : p.ep,
    exchTs: u.T,
  }));
}

export function fundingOfAccountUpdate(u: AccountUpdate): FundingPayment[] {
  if (u.a.m !== 'FUNDING_FEE') return [];
  const symbol = u.a.S ?? (u.a.P.length === 1 ? u.a.P[0]!.s : undefined);
  // `bc` is the balance change: what was paid is its negation.
  return u.a.B.filter((b) => b.bc !== undefined && b.bc !== 0).map((b) => ({
    symbol,
    asset: b.a,
    amount: -(b.bc as number),
    exchTs: u.T,
  }));
}

/** Drops float noise from a difference of decimals (0.3 − 0.1 → 0.2). */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}
