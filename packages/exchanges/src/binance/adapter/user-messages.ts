import type { Micros } from '@botplatform/sdk';
import { z } from 'zod';
import { BinanceParseError } from '../parse-error.js';
import { parseWith } from '../parse-with.js';
import { idField, millisField, rateField, sizeField, symbolField } from '../wire-fields.js';

/**
 * USD-M user data stream events (`wss://fstream.binance.com/private/ws/<listenKey>`), as
 * "User Data Streams" documents them. Unknown fields are dropped; event types the adapter does
 * not use (MARGIN_CALL, ACCOUNT_CONFIG_UPDATE, TRADE_LITE, ALGO_UPDATE…) come back as `other`.
 */

/**
 * ORDER_TRADE_UPDATE's order object: `x` execution type (NEW, CANCELED, CALCULATED, EXPIRED,
 * TRADE, AMENDMENT), `X` status, `l`/`z`/`L` last qty, cumulative qty, last price, `n`/`N`
 * commission and its asset ("will not push if no commission"; positive = paid), `m` maker,
 * `T` trade time, `t` trade id, `er` expiry reason code.
 */
export const orderTradeUpdateSchema = z.object({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: millisField,
  T: millisField,
  o: z.object({
    s: symbolField,
    c: z.string(),
    S: z.enum(['BUY', 'SELL']),
    o: z.string().min(1),
    f: z.string().min(1),
    q: sizeField,
    p: sizeField,
    ap: sizeField.optional(),
    x: z.string().min(1),
    X: z.string().min(1),
    i: idField,
    l: sizeField,
    z: sizeField,
    L: sizeField,
    N: z.string().optional(),
    n: rateField.optional(),
    T: millisField,
    t: z.number().int(),
    m: z.boolean(),
    R: z.boolean().optional(),
    rp: rateField.optional(),
    er: z.union([z.string(), z.number()]).transform(String).optional(),
  }),
});
export type OrderTradeUpdate = z.output<typeof orderTradeUpdateSchema>;

/**
 * ACCOUNT_UPDATE: `a.m` reason (ORDER, FUNDING_FEE, …), `a.B` balances (`bc` the balance change
 * other than PnL and commission — the funding fee itself on a FUNDING_FEE event), `a.P`
 * changed positions (`pa` signed amount, `ep` entry price, `ps` position side).
 */
export const accountUpdateSchema = z.object({
  e: z.literal('ACCOUNT_UPDATE'),
  E: millisField,
  T: millisField,
  a: z.object({
    m: z.string(),
    S: symbolField.optional(),
    B: z
      .array(z.object({ a: z.string(), wb: rateField, cw: rateField.optional(), bc: rateField.optional() }))
      .default([]),
    P: z
      .array(
        z.object({
          s: symbolField,
          pa: rateField,
          ep: sizeField,
          up: rateField.optional(),
          ps: z.string().default('BOTH'),
        }),
      )
      .default([]),
  }),
});
export type AccountUpdate = z.output<typeof accountUpdateSchema>;

/**
 * `{"e":"listenKeyExpired","E":"1576653824250","listenKey":"…"}`: no more events on this key.
 * Binance's documentation shows `E` as a string here (a number everywhere else): take both.
 */
export const listenKeyExpiredSchema = z.object({
  e: z.literal('listenKeyExpired'),
  E: z.union([millisField, z.string().regex(/^\d+$/).transform(Number).pipe(millisField)]),
  listenKey: z.string().optional(),
});

export type UserStreamEvent =
  | { readonly kind: 'order'; readonly event: OrderTradeUpdate; readonly localTs: Micros }
  | { readonly kind: 'account'; readonly event: AccountUpdate; readonly localTs: Micros }
  | { readonly kind: 'listenKeyExpired'; readonly exchTs: Micros }
  | { readonly kind: 'other'; readonly eventType: string | undefined };

/** Parses one user-stream frame; a known event type of the wrong shape throws BinanceParseError. */
export function parseUserStreamMessage(text: string, localTs: Micros): UserStreamEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BinanceParseError('user stream frame', `not JSON (${(err as Error).message})`);
  }
  // Some deployments wrap events as a combined stream would.
  if (isObject(json) && typeof json.stream === 'string' && isObject(json.data)) json = json.data;
  const e = isObject(json) && typeof json.e === 'string' ? json.e : undefined;
  switch (e) {
    case 'ORDER_TRADE_UPDATE':
      return { kind: 'order', event: parseWith(orderTradeUpdateSchema, json, e), localTs };
    case 'ACCOUNT_UPDATE':
      return { kind: 'account', event: parseWith(accountUpdateSchema, json, e), localTs };
    case 'listenKeyExpired':
      return { kind: 'listenKeyExpired', exchTs: parseWith(listenKeyExpiredSchema, json, e).E };
    default:
      return { kind: 'other', eventType: e };
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
