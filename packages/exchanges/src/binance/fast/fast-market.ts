import type { BookTicker, MarkPrice, Micros, Trade } from '@botplatform/sdk';
import type { BinanceMarketEvent } from '../binance-message.js';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import type { BinanceDepthDiff } from '../messages/depth-update.js';
import {
  fastId,
  fastLevels,
  fastMillisUs,
  fastPrice,
  fastRate,
  fastSize,
  fastSymbol,
} from './fast-fields.js';

/**
 * The four hot frames (depthUpdate, aggTrade, bookTicker, markPriceUpdate) validated and
 * normalized by hand: the same checks, conversions and output objects as their zod parsers in
 * ../messages/, at a fraction of the cost. undefined means "not sure": the caller then runs the
 * zod parser, which stays the reference and owns every error message (see fast-parity.test.ts).
 */
export function fastMarketEvent(
  e: string,
  m: Record<string, unknown>,
  localTs: Micros,
): BinanceMarketEvent | undefined {
  switch (e) {
    case 'aggTrade':
      return fastAggTrade(m, localTs);
    case 'bookTicker':
      return fastBookTicker(m, localTs);
    case 'depthUpdate':
      return fastDepthUpdate(m, localTs);
    case 'markPriceUpdate':
      return fastMarkPriceUpdate(m, localTs);
    default:
      return undefined;
  }
}

/** As parseAggTrade. */
function fastAggTrade(m: Record<string, unknown>, localTs: Micros): Trade | undefined {
  const E = fastMillisUs(m.E);
  const T = fastMillisUs(m.T);
  const symbol = fastSymbol(m.s);
  const f = fastId(m.f);
  const l = fastId(m.l);
  const a = m.a === undefined ? f : fastId(m.a);
  const price = fastPrice(m.p);
  const qty = fastSize(m.q);
  const maker = m.m;
  if (symbol === undefined || typeof maker !== 'boolean' || !(qty > 0)) return undefined;
  if (Number.isNaN(E) || Number.isNaN(T) || Number.isNaN(f) || Number.isNaN(l)) return undefined;
  if (Number.isNaN(a) || Number.isNaN(price)) return undefined;
  return {
    type: 'trade',
    exchange: BINANCE_FUTURES_ID,
    symbol,
    exchTs: T,
    localTs,
    tradeId: a,
    price,
    qty,
    side: maker ? 'sell' : 'buy',
  };
}

/** As parseBookTicker. */
function fastBookTicker(m: Record<string, unknown>, localTs: Micros): BookTicker | undefined {
  const E = fastMillisUs(m.E);
  const T = fastMillisUs(m.T);
  const symbol = fastSymbol(m.s);
  const seq = fastId(m.u);
  const bidPrice = fastPrice(m.b);
  const bidQty = fastSize(m.B);
  const askPrice = fastPrice(m.a);
  const askQty = fastSize(m.A);
  if (symbol === undefined || Number.isNaN(E) || Number.isNaN(T) || Number.isNaN(seq)) return undefined;
  if (Number.isNaN(bidPrice) || Number.isNaN(bidQty) || Number.isNaN(askPrice) || Number.isNaN(askQty))
    return undefined;
  return {
    type: 'bookTicker',
    exchange: BINANCE_FUTURES_ID,
    symbol,
    exchTs: T,
    localTs,
    seq,
    bidPrice,
    bidQty,
    askPrice,
    askQty,
  };
}

/** As parseDepthUpdate (U ≤ u included). */
function fastDepthUpdate(m: Record<string, unknown>, localTs: Micros): BinanceDepthDiff | undefined {
  const E = fastMillisUs(m.E);
  const T = fastMillisUs(m.T);
  const symbol = fastSymbol(m.s);
  const U = fastId(m.U);
  const u = fastId(m.u);
  const pu = fastId(m.pu);
  if (symbol === undefined || Number.isNaN(E) || Number.isNaN(T) || Number.isNaN(pu)) return undefined;
  if (!(U <= u)) return undefined; // also when either is NaN
  const bids = fastLevels(m.b);
  const asks = bids && fastLevels(m.a);
  if (bids === undefined || asks === undefined) return undefined;
  return {
    type: 'depth',
    exchange: BINANCE_FUTURES_ID,
    symbol,
    exchTs: T,
    localTs,
    seq: u,
    prevSeq: pu,
    firstUpdateId: U,
    isSnapshot: false,
    bids,
    asks,
  };
}

/** As parseMarkPriceUpdate: exchTs = E, no index price → NaN, rate "" → 0. */
function fastMarkPriceUpdate(m: Record<string, unknown>, localTs: Micros): MarkPrice | undefined {
  const E = fastMillisUs(m.E);
  const T = fastMillisUs(m.T);
  const symbol = fastSymbol(m.s);
  const markPrice = fastPrice(m.p);
  const indexPrice = m.i === undefined ? Number.NaN : fastPrice(m.i);
  const fundingRate = m.r === '' ? 0 : fastRate(m.r);
  if (symbol === undefined || Number.isNaN(E) || Number.isNaN(T) || Number.isNaN(markPrice)) return undefined;
  if (Number.isNaN(fundingRate) || (m.i !== undefined && Number.isNaN(indexPrice))) return undefined;
  return {
    type: 'markPrice',
    exchange: BINANCE_FUTURES_ID,
    symbol,
    exchTs: E,
    localTs,
    markPrice,
    indexPrice,
    fundingRate,
    nextFundingTs: T,
  };
}
