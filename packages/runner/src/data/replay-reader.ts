import { formatMicros, type Instrument, type Micros } from '@botplatform/sdk';
import duckdb from '@duckdb/node-bindings';
import { UserError } from '../cli/user-error.js';
import { ChunkPump } from './chunk-pump.js';
import { chunkToBatch } from './chunk-to-batch.js';
import type { DuckDbFile } from './duckdb-file.js';
import type { EventBatch } from './event-batch.js';
import { loadInstruments, type StoredInstrument } from './instrument-table.js';
import { META_UNSORTED } from './schema.js';
import { openTickStore } from './tick-store-file.js';

/** Chunks (2048 rows each) DuckDB may decode ahead of the replay: ~0.8 MB of copies at most. */
const PREFETCH_CHUNKS = 4;

export interface ReplayOptions {
  /** `SYMBOL` (any exchange) or `exchange:SYMBOL`; all instruments when absent or empty. */
  readonly symbols?: readonly string[];
  /** First `local_ts` included (µs). */
  readonly fromTs?: Micros;
  /** First `local_ts` excluded (µs): [fromTs, toTs) ranges tile without overlap. */
  readonly toTs?: Micros;
}

/**
 * Streams a tick store's `events` in file order (which the writer keeps in `local_ts` order),
 * one DuckDB data chunk (2048 rows) at a time, as columnar `EventBatch`es. Nothing is sorted or
 * held beyond two chunks.
 *
 * How the scan gets data out of DuckDB fast (measured on the 2-core build machine):
 * - @duckdb/node-api's row/value paths (`getRows`, `getRowObjects`, `vector.getItem`) box every
 *   value and read BIGINT as `bigint`; its typed vectors (`DuckDBDoubleVector.items` is a
 *   Float64Array) are fine but wrap each chunk in several objects and read validity bitmaps.
 * - @duckdb/node-bindings' `vector_get_data(vector, byteCount)` returns a Uint8Array holding a
 *   copy of the vector's data (in 1.5.6-r.1 writes to it do not reach DuckDB; it owns its own
 *   ArrayBuffer, so a batch stays valid after its chunk is freed). One call per column per chunk,
 *   viewed as the column's typed array: no per-value call at all. That is what this reader uses.
 * - Timestamps and sequence numbers are cast to DOUBLE in SQL, so JS never sees a `bigint`.
 * - Columns are NOT NULL, so validity masks are never read.
 * - `threads=1`, no ORDER BY (insertion order is kept), and a ChunkPump keeps up to
 *   PREFETCH_CHUNKS chunks decoded ahead on a libuv worker thread while the caller works.
 *   Fetches are chained, one at a time: concurrent fetches on one streaming result are
 *   serialized by DuckDB's context lock but can complete out of order (seen in testing), and
 *   replay order is the one thing this reader promises.
 * What remains is a fixed cost per chunk: each `fetch_chunk` is a round trip through the libuv
 * pool (~45 µs even for a trivial query) on top of DuckDB's decode (~25 ns/row for these 12
 * columns), about 100–150 µs per 2048-row chunk, i.e. ~9–11M rows/s on realistic data and
 * 12–17M rows/s on very regular data on the 2-core machine. A filter that leaves chunks
 * partly empty (a symbol subset) lowers rows/s accordingly. Behind a consumer that spends more
 * than that per chunk, the scan is hidden entirely.
 */
export class ReplayReader {
  /** The selected instruments; a batch's `sym` is an index into this array. */
  readonly instruments: readonly Instrument[];
  /** Rows in the selected range (for progress reporting). */
  readonly rowCount: number;
  /** `local_ts` of the first and last selected rows. */
  readonly firstTs: Micros;
  readonly lastTs: Micros;
  /**
   * Largest `local_ts − exch_ts` in the selection: an event with exchange time t can still
   * arrive up to this long after t, which bounds how far the kernel must look ahead to order
   * exchange-side events.
   */
  readonly maxFeedLatencyUs: number;
  private pump: ChunkPump | null = null;
  private closed = false;

  private constructor(
    private readonly file: DuckDbFile,
    selected: readonly StoredInstrument[],
    private readonly where: string,
    /** File sym id → index in `instruments`, or null when they are equal. */
    private readonly remap: Uint16Array | null,
    stats: { rowCount: number; firstTs: number; lastTs: number; maxFeedLatencyUs: number },
  ) {
    this.instruments = selected.map((s) => s.instrument);
    this.rowCount = stats.rowCount;
    this.firstTs = stats.firstTs;
    this.lastTs = stats.lastTs;
    this.maxFeedLatencyUs = stats.maxFeedLatencyUs;
  }

  get path(): string {
    return this.file.path;
  }

  /**
   * Opens a tick store for replay: selects instruments and range and reads the range's
   * statistics (one aggregate pass). A range with no rows is a UserError that shows the file's
   * actual range.
   */
  static async open(path: string, opts: ReplayOptions = {}): Promise<ReplayReader> {
    checkTs('fromTs', opts.fromTs);
    checkTs('toTs', opts.toTs);
    const file = await openTickStore(path, 'read');
    try {
      const unsorted = await file.conn.runAndReadAll(
        `SELECT count(*) FROM meta WHERE key = '${META_UNSORTED}'`,
      );
      if (Number(unsorted.getRowsJS()[0]?.[0] ?? 0) > 0) {
        throw new UserError(
          `data file ${path} was left unsorted by an interrupted write; re-run the import (or open it with any botp writer) to sort it`,
        );
      }
      const all = await loadInstruments(file.conn);
      const selected = selectInstruments(path, all, opts.symbols);
      const conds: string[] = [];
      if (opts.fromTs !== undefined) conds.push(`local_ts >= ${opts.fromTs}`);
      if (opts.toTs !== undefined) conds.push(`local_ts < ${opts.toTs}`);
      if (selected.length < all.length) conds.push(`sym IN (${selected.map((s) => s.sym).join(', ')})`);
      const where = conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '';
      // One thread throughout: a second one makes the aggregate ~2× faster (tens of ms) but
      // leaves its allocator arenas in the process for the whole run.
      const [stats] = (
        await file.conn.runAndReadAll(
          `SELECT count(*), CAST(min(local_ts) AS DOUBLE), CAST(max(local_ts) AS DOUBLE),
            CAST(max(local_ts - exch_ts) AS DOUBLE) FROM events ${where}`,
        )
      ).getRowsJS();
      const rowCount = Number(stats?.[0] ?? 0);
      if (rowCount === 0)
        throw await emptyRangeError(file, opts, selected.length < all.length ? selected : null);
      let remap: Uint16Array | null = null;
      if (selected.some((s, i) => s.sym !== i)) {
        remap = new Uint16Array(Math.max(...selected.map((s) => s.sym)) + 1);
        selected.forEach((s, i) => {
          remap![s.sym] = i;
        });
      }
      return new ReplayReader(file, selected, where, remap, {
        rowCount,
        firstTs: Number(stats?.[1]),
        lastTs: Number(stats?.[2]),
        maxFeedLatencyUs: Math.max(0, Number(stats?.[3])),
      });
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /**
   * The `order_latency` rows of the selected instruments, by request time: what the
   * `recorded` latency model replays. exch_ts ≤ 0 marks a request the exchange refused.
   */
  async orderLatencySamples(): Promise<Array<{ reqTs: Micros; exchTs: Micros; respTs: Micros }>> {
    const names = this.instruments.map(
      (i) => `('${i.exchange.replaceAll("'", "''")}', '${i.symbol.replaceAll("'", "''")}')`,
    );
    const rows = (
      await this.file.conn.runAndReadAll(
        `SELECT CAST(req_ts AS DOUBLE), CAST(exch_ts AS DOUBLE), CAST(resp_ts AS DOUBLE) FROM order_latency
         WHERE (exchange, symbol) IN (${names.join(', ')}) ORDER BY req_ts`,
      )
    ).getRowsJS();
    return rows.map((r) => ({ reqTs: Number(r[0]), exchTs: Number(r[1]), respTs: Number(r[2]) }));
  }

  /** Index into `instruments` of a symbol (`SYMBOL` or `exchange:SYMBOL`), or -1. */
  symIndex(symbol: string, exchange?: string): number {
    const [ex, sy] = splitSymbol(symbol, exchange);
    return this.instruments.findIndex((i) => i.symbol === sy && (ex === undefined || i.exchange === ex));
  }

  /**
   * Yields the selected rows in file (= `local_ts`) order. Each batch owns its arrays, so the
   * caller may keep one; scans run one at a time per reader.
   */
  async *batches(): AsyncGenerator<EventBatch> {
    const sql = `SELECT kind, sym, CAST(exch_ts AS DOUBLE), CAST(local_ts AS DOUBLE), CAST(seq AS DOUBLE),
      CAST(prev_seq AS DOUBLE), flags, side, price, qty, price2, qty2 FROM events ${this.where}`;
    if (this.closed) throw new Error(`ReplayReader for ${this.path} is closed`);
    const prepared = await duckdb.prepare(this.file.raw, sql);
    let pump: ChunkPump | null = null;
    try {
      const result = await duckdb.execute_prepared_streaming(prepared);
      // DuckDB decodes chunks ahead on its thread while the caller works.
      pump = new ChunkPump(result, PREFETCH_CHUNKS);
      this.pump = pump;
      for (;;) {
        const chunk = await pump.next();
        if (!chunk || this.closed) return;
        yield this.toBatch(chunk, duckdb.data_chunk_get_size(chunk));
      }
    } finally {
      // A caller that stops early must not leave a fetch running on a connection it may close.
      await pump?.stop();
      this.pump = null;
      duckdb.destroy_prepare_sync(prepared);
    }
  }

  /** Closes the file, after any fetch still in flight (from a scan left suspended) lands. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pump?.stop();
    this.file.close();
  }

  private toBatch(chunk: duckdb.DataChunk, n: number): EventBatch {
    const batch = chunkToBatch(chunk, n);
    const remap = this.remap;
    if (remap) {
      const sym = batch.sym;
      for (let i = 0; i < n; i++) sym[i] = remap[sym[i]!]!;
    }
    return batch;
  }
}

function checkTs(name: string, ts: number | undefined): void {
  if (ts !== undefined && !Number.isSafeInteger(ts)) {
    throw new UserError(
      `${name} ${ts} is not a whole number of microseconds since the epoch; pass an integer`,
    );
  }
}

function splitSymbol(symbol: string, exchange?: string): [string | undefined, string] {
  if (exchange !== undefined) return [exchange, symbol];
  const colon = symbol.lastIndexOf(':');
  return colon < 0 ? [undefined, symbol] : [symbol.slice(0, colon), symbol.slice(colon + 1)];
}

function selectInstruments(
  path: string,
  all: readonly StoredInstrument[],
  symbols: readonly string[] | undefined,
): StoredInstrument[] {
  if (!symbols || symbols.length === 0) return [...all];
  const chosen = new Set<StoredInstrument>();
  for (const s of symbols) {
    const [ex, sy] = splitSymbol(s);
    const hits = all.filter(
      (i) => i.instrument.symbol === sy && (ex === undefined || i.instrument.exchange === ex),
    );
    if (hits.length === 0) {
      const have = all.map((i) => `${i.instrument.exchange}:${i.instrument.symbol}`).join(', ') || 'none';
      throw new UserError(`symbol ${s} is not in data file ${path} (it holds: ${have}); pick one of those`);
    }
    for (const h of hits) chosen.add(h);
  }
  return all.filter((i) => chosen.has(i));
}

async function emptyRangeError(
  file: DuckDbFile,
  opts: ReplayOptions,
  symbols: readonly StoredInstrument[] | null,
): Promise<UserError> {
  const [row] = (
    await file.conn.runAndReadAll(
      'SELECT count(*), CAST(min(local_ts) AS DOUBLE), CAST(max(local_ts) AS DOUBLE) FROM events',
    )
  ).getRowsJS();
  if (Number(row?.[0] ?? 0) === 0) {
    return new UserError(
      `data file ${file.path} holds no events; import some with botp import normalized <events.jsonl> --db ${file.path}`,
    );
  }
  const from = opts.fromTs === undefined ? 'the start' : formatMicros(opts.fromTs);
  const to = opts.toTs === undefined ? 'the end' : formatMicros(opts.toTs);
  const which = symbols ? ` for ${symbols.map((s) => s.instrument.symbol).join(', ')}` : '';
  return new UserError(
    `no events in ${file.path} from ${from} to ${to}${which}; the file covers ${formatMicros(Number(row?.[1]))} to ${formatMicros(Number(row?.[2]))}`,
  );
}
