import duckdb from '@duckdb/node-bindings';
import type { EventBatch } from './event-batch.js';
import { EVENT_COLUMNS } from './schema.js';

const TWO_32 = 4294967296;

/**
 * Writes rows to `events` through DuckDB's appender, one data chunk (2048 rows) at a time: each
 * column is memcpy'd into the chunk's vector with `copy_data_to_vector`, so the cost per row is
 * a few typed-array stores, not a binding call per value. The BIGINT columns are produced from
 * the doubles as two 32-bit words (little-endian, as on every platform DuckDB ships for)
 * instead of through `BigInt`. Runs synchronously: inside an open transaction the rows join it,
 * otherwise closing the appender commits them.
 */
export function appendEventRows(raw: duckdb.Connection, rows: EventBatch): void {
  if (rows.length === 0) return;
  const appender = duckdb.appender_create(raw, null, 'events');
  try {
    const types = EVENT_COLUMNS.map((_, i) => duckdb.appender_column_type(appender, i));
    const chunk = duckdb.create_data_chunk(types);
    const size = duckdb.vector_size();
    const words = new Int32Array(size * 2);
    const int64 = (col: number, src: Float64Array, from: number, n: number): void => {
      for (let i = 0; i < n; i++) {
        const x = src[from + i]!;
        const hi = Math.floor(x / TWO_32);
        words[2 * i] = (x - hi * TWO_32) | 0;
        words[2 * i + 1] = hi;
      }
      copy(col, words, 0, n * 8);
    };
    const copy = (col: number, src: ArrayBufferView, byteOffset: number, byteCount: number): void => {
      duckdb.copy_data_to_vector(
        duckdb.data_chunk_get_vector(chunk, col),
        0,
        src.buffer as ArrayBuffer,
        src.byteOffset + byteOffset,
        byteCount,
      );
    };
    for (let from = 0; from < rows.length; from += size) {
      const n = Math.min(size, rows.length - from);
      duckdb.data_chunk_reset(chunk);
      copy(0, rows.kind, from, n);
      copy(1, rows.sym, from * 2, n * 2);
      int64(2, rows.exchTs, from, n);
      int64(3, rows.localTs, from, n);
      int64(4, rows.seq, from, n);
      int64(5, rows.prevSeq, from, n);
      copy(6, rows.flags, from, n);
      copy(7, rows.side, from, n);
      copy(8, rows.price, from * 8, n * 8);
      copy(9, rows.qty, from * 8, n * 8);
      copy(10, rows.price2, from * 8, n * 8);
      copy(11, rows.qty2, from * 8, n * 8);
      duckdb.data_chunk_set_size(chunk, n);
      duckdb.append_data_chunk(appender, chunk);
    }
  } finally {
    duckdb.appender_close_sync(appender);
  }
}
