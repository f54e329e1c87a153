import type { Micros, Trade } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import { parseWith } from '../parse-with.js';
import { idField, millisField, priceField, sizeField, symbolField } from '../wire-fields.js';

/**
 * `<symbol>@aggTrade` (USD-M "Aggregate Trade Streams"): fills of one taker order at one price
 * within 100 ms. `a` is the aggregate trade id, `f`/`l` the first/last trade ids, `T` the
 * trade time, `m` whether the buyer was the maker. Early captures (2019) have no `a`.
 */
export const aggTradeSchema = z.object({
  e: z.literal('aggTrade'),
  E: millisField,
  T: millisField,
  s: symbolField,
  a: idField.optional(),
  f: idField,
  l: idField,
  p: priceField,
  q: sizeField.refine((q) => q > 0, 'expected a quantity > 0'),
  m: z.boolean(),
});

/** exchTs is the trade time `T` (the matching engine's), not the push time `E`. */
export function parseAggTrade(payload: unknown, localTs: Micros): Trade {
  const m = parseWith(aggTradeSchema, payload, 'aggTrade');
  return {
    type: 'trade',
    exchange: BINANCE_FUTURES_ID,
    symbol: m.s,
    exchTs: m.T,
    localTs,
    // Without `a`, the aggregate's first trade id names it (unique and increasing as well).
    tradeId: m.a ?? m.f,
    price: m.p,
    qty: m.q,
    // Buyer is maker ⇒ the seller took liquidity: the aggressor sold.
    side: m.m ? 'sell' : 'buy',
  };
}
