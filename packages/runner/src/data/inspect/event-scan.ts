import duckdb from '@duckdb/node-bindings';
import { ChunkPump } from '../chunk-pump.js';
import { chunkToBatch } from '../chunk-to-batch.js';
import type { DuckDbFile } from '../duckdb-file.js';
import type { EventBatch } from '../event-batch.js';

/** Chunks DuckDB may decode ahead of the checks (as the replay reader does). */
const PREFETCH_CHUNKS = 4;

/**
 * Streams every `events` row in file order, one DuckDB chunk at a time, with the file's own
 * `sym` ids. Unlike ReplayReader it refuses nothing: verify must see unsorted files and rows
 * whose instrument is missing, which a replay rejects or remaps. Same fast path as the replay
 * (typed-array copies per column, timestamps cast to DOUBLE, no ORDER BY).
 */
export async function* scanEvents(file: DuckDbFile): AsyncGenerator<EventBatch> {
  const sql = `SELECT kind, sym, CAST(exch_ts AS DOUBLE), CAST(local_ts AS DOUBLE), CAST(seq AS DOUBLE),
    CAST(prev_seq AS DOUBLE), flags, side, price, qty, price2, qty2 FROM events`;
  const prepared = await duckdb.prepare(file.raw, sql);
  let pump: ChunkPump | null = null;
  try {
    const result = await duckdb.execute_prepared_streaming(prepared);
    pump = new ChunkPump(result, PREFETCH_CHUNKS);
    for (;;) {
      const chunk = await pump.next();
      if (!chunk) return;
      yield chunkToBatch(chunk, duckdb.data_chunk_get_size(chunk));
    }
  } finally {
    // A caller that stops early must not leave a fetch running on a connection it may close.
    await pump?.stop();
    duckdb.destroy_prepare_sync(prepared);
  }
}
