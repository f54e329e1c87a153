import type { Instrument, MarketEvent } from '@botplatform/sdk';
import { UserError } from '../cli/user-error.js';
import { appendEventRows } from './append-event-rows.js';
import type { DuckDbFile } from './duckdb-file.js';
import { encodeEvent } from './encode-event.js';
import { EventRowBuffer } from './event-row-buffer.js';
import type { Gap } from './gap.js';
import { loadInstruments, MAX_SYM, upsertInstrument } from './instrument-table.js';
import type { OrderLatencySample } from './order-latency-sample.js';
import { EVENTS_COLUMNS_DDL, META_UNSORTED } from './schema.js';
import { openTickStore } from './tick-store-file.js';

/** Rows buffered before `append` writes them on its own. */
export const FLUSH_ROWS = 50_000;

/**
 * Appends market events to a tick store (`botp record`, `botp import`). Events are buffered
 * column-wise and written in data chunks through DuckDB's appender. The store's promise is that
 * `events` is in `local_ts` order so replay never sorts: the writer tracks the newest `local_ts`
 * in the file, and when an append goes back in time it marks the file unsorted and rewrites
 * `events` sorted once, on close (ties keep insertion order).
 */
export class TickStoreWriter {
  private readonly rows = new EventRowBuffer(FLUSH_ROWS);
  private gaps: Gap[] = [];
  private latencies: OrderLatencySample[] = [];
  /** exchange → symbol → sym id. */
  private syms = new Map<string, Map<string, number>>();
  private nextSym = 0;
  private maxLocalTs = Number.NEGATIVE_INFINITY;
  /** Some row went back in time: `events` must be rewritten sorted before the file is done. */
  private needsSort = false;
  /** The unsorted mark is in `meta` (it is written by `flush`, cleared by the sort). */
  private unsortedMarked = false;
  private inTransaction = false;
  private closed = false;

  private constructor(private readonly file: DuckDbFile) {}

  /** Opens (creating the file and schema if absent) a tick store for appending. */
  static async open(path: string): Promise<TickStoreWriter> {
    const file = await openTickStore(path, 'write');
    const writer = new TickStoreWriter(file);
    try {
      await writer.loadState();
    } catch (err) {
      file.close();
      throw err;
    }
    return writer;
  }

  get path(): string {
    return this.file.path;
  }

  /** Rows waiting for the next flush. */
  get bufferedRows(): number {
    return this.rows.length;
  }

  /** The sym id of an instrument already added, or undefined. */
  symOf(exchange: string, symbol: string): number | undefined {
    return this.syms.get(exchange)?.get(symbol);
  }

  /** Adds or updates an instrument; returns its sym id (stable once assigned). */
  async addInstrument(inst: Instrument): Promise<number> {
    this.assertOpen();
    const known = this.symOf(inst.exchange, inst.symbol);
    const sym = known ?? this.nextSym;
    if (sym > MAX_SYM) {
      throw new UserError(
        `${this.path} already holds ${MAX_SYM + 1} instruments, the most a tick store can; split the data over several files`,
      );
    }
    await upsertInstrument(this.file.conn, inst, sym);
    if (known === undefined) {
      this.remember(inst.exchange, inst.symbol, sym);
      this.nextSym = sym + 1;
    }
    return sym;
  }

  /** Buffers one event (synchronous); writes the buffer once it holds `FLUSH_ROWS` rows. */
  append(event: MarketEvent): void {
    this.assertOpen();
    const sym = this.syms.get(event.exchange)?.get(event.symbol);
    if (sym === undefined) {
      throw new UserError(
        `no instrument ${event.exchange} ${event.symbol} in ${this.path}; add it (an "instrument" line or addInstrument) before its events`,
      );
    }
    if (event.localTs < this.maxLocalTs) this.needsSort = true;
    else this.maxLocalTs = event.localTs;
    encodeEvent(this.rows, event, sym);
    if (this.rows.length >= FLUSH_ROWS) this.writeRows();
  }

  /** Records data the recorder lost, so replays and users can see the hole. */
  appendGap(gap: Gap): void {
    this.assertOpen();
    this.gaps.push(gap);
  }

  /** Records one measured order round trip (live runs; feeds the recorded latency model). */
  appendOrderLatency(sample: OrderLatencySample): void {
    this.assertOpen();
    this.latencies.push(sample);
  }

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    this.assertOpen();
    this.writeRows();
    if (this.needsSort && !this.unsortedMarked) {
      await this.file.conn.run(`INSERT OR REPLACE INTO meta VALUES ('${META_UNSORTED}', 'true')`);
      this.unsortedMarked = true;
    }
    if (this.gaps.length > 0) {
      const gaps = this.gaps;
      this.gaps = [];
      const app = await this.file.conn.createAppender('gaps');
      for (const g of gaps) {
        app.appendVarchar(g.exchange);
        app.appendVarchar(g.symbol);
        app.appendVarchar(g.stream);
        app.appendBigInt(BigInt(g.fromTs));
        app.appendBigInt(BigInt(g.toTs));
        app.appendVarchar(g.reason);
        app.endRow();
      }
      app.closeSync();
    }
    if (this.latencies.length > 0) {
      const samples = this.latencies;
      this.latencies = [];
      const app = await this.file.conn.createAppender('order_latency');
      for (const s of samples) {
        app.appendVarchar(s.exchange);
        app.appendVarchar(s.symbol);
        app.appendBigInt(BigInt(s.reqTs));
        app.appendBigInt(BigInt(s.exchTs));
        app.appendBigInt(BigInt(s.respTs));
        app.endRow();
      }
      app.closeSync();
    }
  }

  /**
   * Runs `fn` in one DuckDB transaction: everything it adds (instruments, events, its own SQL
   * through `run`) is committed together after a final flush, or, if it throws, discarded
   * together, buffered rows included, and the writer's state reloaded from the file.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.inTransaction) throw new Error('TickStoreWriter.transaction does not nest');
    await this.flush();
    await this.file.conn.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await fn();
      await this.flush();
      await this.file.conn.run('COMMIT');
      return result;
    } catch (err) {
      this.rows.clear();
      this.gaps = [];
      this.latencies = [];
      await this.file.conn.run('ROLLBACK');
      await this.loadState();
      throw err;
    } finally {
      this.inTransaction = false;
    }
  }

  /** Runs a statement on the store's connection (inside `transaction` it joins it). */
  async run(sql: string, values?: readonly (string | number | null)[]): Promise<void> {
    this.assertOpen();
    await this.file.conn.run(sql, values ? [...values] : undefined);
  }

  /** Runs a query on the store's connection and returns its rows as plain JS values. */
  async query(sql: string, values?: readonly (string | number | null)[]): Promise<unknown[][]> {
    this.assertOpen();
    const reader = await this.file.conn.runAndReadAll(sql, values ? [...values] : undefined);
    return reader.getRowsJS();
  }

  /** Flushes, sorts `events` by `local_ts` if appends went back in time, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
      if (this.needsSort) await this.sortEvents();
    } finally {
      this.closed = true;
      this.file.close();
    }
  }

  /**
   * Rewrites `events` in `local_ts` order once ("sort once at import so replay never sorts").
   * Ties keep insertion order (rowid), so the rows of one depth message stay together and in
   * order. The views read `events` by name and survive the swap.
   */
  private async sortEvents(): Promise<void> {
    const { conn } = this.file;
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(`CREATE TABLE events_sorted ${EVENTS_COLUMNS_DDL}`);
      await conn.run('INSERT INTO events_sorted SELECT * FROM events ORDER BY local_ts, rowid');
      await conn.run('DROP TABLE events');
      await conn.run('ALTER TABLE events_sorted RENAME TO events');
      await conn.run(`DELETE FROM meta WHERE key = '${META_UNSORTED}'`);
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK');
      throw err;
    }
    await conn.run('CHECKPOINT');
    this.needsSort = false;
    this.unsortedMarked = false;
  }

  private writeRows(): void {
    if (this.rows.length === 0) return;
    appendEventRows(this.file.raw, this.rows);
    this.rows.clear();
  }

  private async loadState(): Promise<void> {
    this.syms = new Map();
    this.nextSym = 0;
    for (const { sym, instrument } of await loadInstruments(this.file.conn)) {
      this.remember(instrument.exchange, instrument.symbol, sym);
      this.nextSym = Math.max(this.nextSym, sym + 1);
    }
    const [stats] = await this.query(
      `SELECT CAST(max(local_ts) AS DOUBLE), (SELECT count(*) FROM meta WHERE key = '${META_UNSORTED}') FROM events`,
    );
    const max = stats?.[0];
    this.maxLocalTs = typeof max === 'number' ? max : Number.NEGATIVE_INFINITY;
    this.unsortedMarked = Number(stats?.[1] ?? 0) > 0;
    this.needsSort = this.unsortedMarked;
  }

  private remember(exchange: string, symbol: string, sym: number): void {
    let bySymbol = this.syms.get(exchange);
    if (!bySymbol) {
      bySymbol = new Map();
      this.syms.set(exchange, bySymbol);
    }
    bySymbol.set(symbol, sym);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`TickStoreWriter for ${this.path} is closed`);
  }
}
