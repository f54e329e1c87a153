import duckdb from '@duckdb/node-bindings';
import type { EventBatch } from './event-batch.js';

/**
 * Views one DuckDB data chunk of `events` (columns in EVENTS_COLUMNS_DDL order, timestamps and
 * sequence numbers cast to DOUBLE by the scan) as an EventBatch: typed arrays over the chunk's
 * vectors, no per-row work. `sym` holds the file's sym ids; a reader that renumbers symbols
 * rewrites it in place.
 */
export function chunkToBatch(chunk: duckdb.DataChunk, n: number): EventBatch {
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
