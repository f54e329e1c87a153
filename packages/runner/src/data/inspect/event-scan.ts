import duckdb from '@duckdb/node-bindings';
import { ChunkPump } from '../chunk-pump.js';
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
      yield toBatch(chunk, duckdb.data_chunk_get_size(chunk));
    }
  } finally {
    // A caller that stops early must not leave a fetch running on a connection it may close.
    await pump?.stop();
    duckdb.destroy_prepare_sync(prepared);
  }
}

function toBatch(chunk: duckdb.DataChunk, n: number): EventBatch {
  const bytes = (col: number, width: number): Uint8Array => {
    const data = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, col), n * width);
    // Typed-array views need aligned offsets; the copy normally starts at 0.
    return data.byteOffset % 8 === 0 ? data : data.slice();
  };
  const f64 = (col: number): Float64Array => {
    const b = bytes(col, 8);
    return new Float64Array(b.buffer, b.byteOffset, n);
  };
  const sym = bytes(1, 2);
  const side = bytes(7, 1);
  return {
    length: n,
    kind: bytes(0, 1),
    sym: new Uint16Array(sym.buffer, sym.byteOffset, n),
    exchTs: f64(2),
    localTs: f64(3),
    seq: f64(4),
    prevSeq: f64(5),
    flags: bytes(6, 1),
    side: new Int8Array(side.buffer, side.byteOffset, n),
    price: f64(8),
    qty: f64(9),
    price2: f64(10),
    qty2: f64(11),
  };
}
