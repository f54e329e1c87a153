import type { MarkPrice, Micros } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import { parseWith } from '../parse-with.js';
import { millisField, priceField, rateField, symbolField } from '../wire-fields.js';

/**
 * `<symbol>@markPrice[@1s]` (USD-M "Mark Price Stream"): mark `p`, index `i`, estimated settle
 * price `P` (ignored), funding rate `r`, next funding time `T`. Captures from 2019 have no `i`;
 * delivery contracts send `T` 0 and (COIN-M documents) `r` "" — they have no funding.
 */
export const markPriceUpdateSchema = z.object({
  e: z.literal('markPriceUpdate'),
  E: millisField,
  s: symbolField,
  p: priceField,
  i: priceField.optional(),
  r: z.union([z.literal('').transform(() => 0), rateField]),
  T: millisField,
});

/**
 * exchTs is the event time `E`: this message's `T` is the next funding time, not a
 * transaction time. A missing index price is NaN (not reported), never a made-up value;
 * no funding (delivery contracts) is rate 0 with nextFundingTs 0.
 */
export function parseMarkPriceUpdate(payload: unknown, localTs: Micros): MarkPrice {
  const m = parseWith(markPriceUpdateSchema, payload, 'markPriceUpdate');
  return {
    type: 'markPrice',
    exchange: BINANCE_FUTURES_ID,
    symbol: m.s,
    exchTs: m.E,
    localTs,
    markPrice: m.p,
    indexPrice: m.i ?? Number.NaN,
    fundingRate: m.r,
    nextFundingTs: m.T,
  };
}
