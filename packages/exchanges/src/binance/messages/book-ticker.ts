import type { BookTicker, Micros } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import { parseWith } from '../parse-with.js';
import { idField, millisField, priceField, sizeField, symbolField } from '../wire-fields.js';

/**
 * `<symbol>@bookTicker` (USD-M "Individual Symbol Book Ticker Streams"): best bid `b`/`B` and
 * ask `a`/`A`, `u` the order-book update id, `T` transaction time, `E` push time.
 */
export const bookTickerSchema = z.object({
  e: z.literal('bookTicker'),
  E: millisField,
  T: millisField,
  s: symbolField,
  u: idField,
  b: priceField,
  B: sizeField,
  a: priceField,
  A: sizeField,
});

/** exchTs is the transaction time `T`; `seq` is the book update id `u`. */
export function parseBookTicker(payload: unknown, localTs: Micros): BookTicker {
  const m = parseWith(bookTickerSchema, payload, 'bookTicker');
  return {
    type: 'bookTicker',
    exchange: BINANCE_FUTURES_ID,
    symbol: m.s,
    exchTs: m.T,
    localTs,
    seq: m.u,
    bidPrice: m.b,
    bidQty: m.B,
    askPrice: m.a,
    askQty: m.A,
  };
}
