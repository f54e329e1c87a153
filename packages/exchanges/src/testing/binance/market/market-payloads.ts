import type { BookTicker, MarkPrice, Trade } from '@botplatform/sdk';
import type { DepthEvent } from './depth-aggregator.js';
import type { WireDecimals } from './wire-decimal.js';

/**
 * Market-stream payloads in Binance USD-M's documented shapes (developers.binance.com
 * …/usds-margined-futures/websocket-market-streams): `E` is the push time (the loopback
 * clock), `T` the transaction time of the data, both in ms; prices and sizes are decimal
 * strings with the symbol's precision.
 */

const ms = (us: number): number => Math.floor(us / 1000);

/** `<symbol>@aggTrade`: one aggregate per data trade (`f` = `l`); `nq` equals `q` (no RPI orders here). */
export function aggTradePayload(t: Trade, aggId: number, tradeId: number, nowMs: number, d: WireDecimals) {
  const q = d.qty(t.qty);
  return {
    e: 'aggTrade',
    E: nowMs,
    s: t.symbol,
    a: aggId,
    p: d.price(t.price),
    q,
    nq: q,
    f: tradeId,
    l: tradeId,
    T: ms(t.exchTs),
    // Buyer is maker ⇔ the aggressor sold.
    m: t.side === 'sell',
  };
}

/** `<symbol>@trade` (the `/public` trade stream). */
export function tradePayload(t: Trade, tradeId: number, nowMs: number, d: WireDecimals) {
  return {
    e: 'trade',
    E: nowMs,
    T: ms(t.exchTs),
    s: t.symbol,
    t: tradeId,
    p: d.price(t.price),
    q: d.qty(t.qty),
    X: 'MARKET',
    m: t.side === 'sell',
  };
}

/** `<symbol>@depth[@100ms|@500ms]`. */
export function depthUpdatePayload(symbol: string, ev: DepthEvent, nowMs: number, d: WireDecimals) {
  return {
    e: 'depthUpdate',
    E: nowMs,
    T: ms(ev.exchTs),
    s: symbol,
    U: ev.first,
    u: ev.last,
    pu: ev.prevLast,
    b: ev.bids.map(([p, q]) => [d.price(p), d.qty(q)]),
    a: ev.asks.map(([p, q]) => [d.price(p), d.qty(q)]),
  };
}

/** `<symbol>@bookTicker`: `u` is the order-book update id the quote belongs to. */
export function bookTickerPayload(b: BookTicker, updateId: number, nowMs: number, d: WireDecimals) {
  return {
    e: 'bookTicker',
    u: updateId,
    E: nowMs,
    T: ms(b.exchTs),
    s: b.symbol,
    b: d.price(b.bidPrice),
    B: d.qty(b.bidQty),
    a: d.price(b.askPrice),
    A: d.qty(b.askQty),
  };
}

/** `<symbol>@markPrice[@1s]`: `T` is the next funding time; `P` (estimated settle price) repeats the mark. */
export function markPricePayload(m: MarkPrice, nowMs: number) {
  // Mark prices carry 8 decimals whatever the tick (Binance: "11794.15000000").
  const mark = m.markPrice.toFixed(8);
  const index = Number.isFinite(m.indexPrice) ? m.indexPrice.toFixed(8) : mark;
  return {
    e: 'markPriceUpdate',
    E: nowMs,
    s: m.symbol,
    p: mark,
    ap: mark,
    P: mark,
    i: index,
    r: Number.isFinite(m.fundingRate) ? m.fundingRate.toFixed(8) : '',
    T: Number.isFinite(m.nextFundingTs) ? ms(m.nextFundingTs) : 0,
  };
}
