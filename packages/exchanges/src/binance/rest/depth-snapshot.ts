import type { DepthUpdate, Micros } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import { parseWith } from '../parse-with.js';
import { idField, levelField, millisField } from '../wire-fields.js';

/**
 * Body of `GET /fapi/v1/depth?symbol=…&limit=…` (USD-M "Order Book"): `lastUpdateId`, `E`
 * message output time, `T` transaction time, `bids`/`asks` as `[price, qty]` strings. The
 * body does not name the symbol: the caller passes the one it asked for.
 */
export const depthSnapshotSchema = z.object({
  lastUpdateId: idField,
  E: millisField,
  T: millisField,
  bids: z.array(levelField),
  asks: z.array(levelField),
});

/**
 * The snapshot as a DepthUpdate with `isSnapshot` (it replaces the book): `seq` is
 * `lastUpdateId`, which depth-sync bridges the diffs to; `prevSeq` is the same id, since a
 * snapshot continues nothing. exchTs is the transaction time `T`; `localTs` is when the
 * response arrived.
 */
export function parseDepthSnapshot(body: unknown, symbol: string, localTs: Micros): DepthUpdate {
  const m = parseWith(depthSnapshotSchema, body, '/fapi/v1/depth');
  return {
    type: 'depth',
    exchange: BINANCE_FUTURES_ID,
    symbol,
    exchTs: m.T,
    localTs,
    seq: m.lastUpdateId,
    prevSeq: m.lastUpdateId,
    isSnapshot: true,
    bids: m.bids,
    asks: m.asks,
  };
}
