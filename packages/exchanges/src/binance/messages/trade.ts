import type { Micros, Trade } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import { parseWith } from '../parse-with.js';
import { idField, millisField, priceField, sizeField, symbolField } from '../wire-fields.js';

/**
 * `<symbol>@trade` on the USD-M `/public` endpoint: one fill. The shape is taken from real
 * captures (ccxt's "linear swap trades"): `t` trade id, `T` trade time, `m` buyer is maker,
 * `X` the trade's origin ("MARKET"; kept out of the normalized event).
 */
export const tradeSchema = z.object({
  e: z.literal('trade'),
  E: millisField,
  T: millisField,
  s: symbolField,
  t: idField,
  p: priceField,
  q: sizeField.refine((q) => q > 0, 'expected a quantity > 0'),
  m: z.boolean(),
});

/** exchTs is the trade time `T`. */
export function parseTrade(payload: unknown, localTs: Micros): Trade {
  const m = parseWith(tradeSchema, payload, 'trade');
  return {
    type: 'trade',
    exchange: BINANCE_FUTURES_ID,
    symbol: m.s,
    exchTs: m.T,
    localTs,
    tradeId: m.t,
    price: m.p,
    qty: m.q,
    // Buyer is maker ⇒ the aggressor sold.
    side: m.m ? 'sell' : 'buy',
  };
}
