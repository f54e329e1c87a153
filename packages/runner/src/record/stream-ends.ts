import type { MarketEventType, Micros } from '@botplatform/sdk';
import { EventKind } from '../data/schema.js';
import type { TickStoreWriter } from '../data/tick-store-writer.js';

const TYPE_OF_KIND: Readonly<Record<number, MarketEventType>> = {
  [EventKind.Trade]: 'trade',
  [EventKind.Depth]: 'depth',
  [EventKind.BookTicker]: 'bookTicker',
  [EventKind.MarkPrice]: 'markPrice',
  [EventKind.OpenInterest]: 'openInterest',
};

/** Key of one symbol's stream, e.g. `depth:BTCUSDT`. */
export const streamKey = (type: string, symbol: string): string => `${type}:${symbol}`;

/**
 * The newest `local_ts` per symbol and stream an exchange already has in the store: where an
 * earlier recording (or import) stopped, so the recorder can mark the hole up to its own first
 * event of each stream.
 */
export async function queryStreamEnds(
  writer: TickStoreWriter,
  exchange: string,
): Promise<Map<string, Micros>> {
  const rows = await writer.query(
    `SELECT i.symbol, e.kind, CAST(max(e.local_ts) AS DOUBLE)
     FROM events e JOIN instruments i ON e.sym = i.sym
     WHERE i.exchange = ? GROUP BY i.symbol, e.kind`,
    [exchange],
  );
  const ends = new Map<string, Micros>();
  for (const [symbol, kind, ts] of rows) {
    const type = TYPE_OF_KIND[Number(kind)];
    if (type !== undefined && typeof ts === 'number') ends.set(streamKey(type, String(symbol)), ts);
  }
  return ends;
}
