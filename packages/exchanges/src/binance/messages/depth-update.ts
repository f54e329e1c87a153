import type { DepthUpdate, Micros } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import { parseWith } from '../parse-with.js';
import { idField, levelField, millisField, symbolField } from '../wire-fields.js';

/**
 * `<symbol>@depth[@500ms|@100ms]` (USD-M "Diff. Book Depth Streams"): `U` first and `u` final
 * update id in the event, `pu` the final update id of the previous event, `b`/`a` absolute
 * level sizes (0 removes the level).
 */
export const depthUpdateSchema = z
  .object({
    e: z.literal('depthUpdate'),
    E: millisField,
    T: millisField,
    s: symbolField,
    U: idField,
    u: idField,
    pu: idField,
    b: z.array(levelField),
    a: z.array(levelField),
  })
  .refine((m) => m.U <= m.u, { message: 'first update id U is after final update id u', path: ['U'] });

/**
 * A depth diff as the SDK's DepthUpdate (`seq` = u, `prevSeq` = pu) plus `firstUpdateId` (U),
 * which only the snapshot bridge needs (see depth-sync.ts). Futures update ids are not
 * consecutive: only `pu` = previous `u` proves nothing was lost.
 */
export interface BinanceDepthDiff extends DepthUpdate {
  readonly isSnapshot: false;
  readonly firstUpdateId: number;
}

/** exchTs is the transaction time `T` (the matching engine's), not the push time `E`. */
export function parseDepthUpdate(payload: unknown, localTs: Micros): BinanceDepthDiff {
  const m = parseWith(depthUpdateSchema, payload, 'depthUpdate');
  return {
    type: 'depth',
    exchange: BINANCE_FUTURES_ID,
    symbol: m.s,
    exchTs: m.T,
    localTs,
    seq: m.u,
    prevSeq: m.pu,
    firstUpdateId: m.U,
    isSnapshot: false,
    bids: m.b,
    asks: m.a,
  };
}
