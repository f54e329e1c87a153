import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { FeedGap, Fill, Micros, Order } from '@botplatform/sdk';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { z } from 'zod';
import { UserError } from '../cli/user-error.js';
import { appendRow } from '../data/append-row.js';
import { fillRow } from '../data/fill-row.js';
import type { OrderLatencySample } from '../data/order-latency-sample.js';
import { type StrategySnapshot, strategySnapshotSchema } from '../kernel/strategy-snapshot.js';
import { orderOfRow } from './order-row.js';
import { RowBuffer } from './state-rows.js';
import {
  orderRowSchema,
  type PositionRow,
  positionRowSchema,
  SNAPSHOTS_KEPT,
  STATE_DDL,
  STATE_FORMAT,
  STATE_TABLES,
  STATE_VERSION,
  type StateMeta,
  stateMetaSchema,
} from './state-schema.js';

/** Who a state file belongs to: a restart must be the same bot. */
export interface BotIdentity {
  readonly strategy: string;
  readonly exchange: string;
  /** In the run's order: saved signal states refer to symbols by index. */
  readonly symbols: readonly string[];
  readonly paper: boolean;
}

/** What an earlier run left in the file, validated. */
export interface SavedState {
  /** Runs before this one. */
  readonly runs: number;
  readonly snapshot: StrategySnapshot | undefined;
  /** Orders whose latest recorded state is open, as the last run knew them. */
  readonly openOrders: readonly Order[];
  /** Every clientOrderId the file has recorded. */
  readonly usedIds: readonly string[];
  /** The latest recorded position per symbol. */
  readonly positions: readonly PositionRow[];
  /** The latest time anything was recorded (an order change, a fill, a run start): orders sent after it may be unknown to the file. */
  readonly lastRecordedTs: Micros | undefined;
}

export type PositionSource = 'fill' | 'reconcile';

/**
 * The `--state` DuckDB file (state-schema.ts) of one bot. Rows are buffered as they happen and
 * written in one transaction at each flush (every second with `startAutoFlush`, and on close),
 * so a kill loses at most the last second; DuckDB's WAL makes each committed flush durable.
 * The strategy snapshot is taken at flush time from `snapshotSource` and written when it
 * changed. Each start is a new `epoch`, committed before anything trades: generated order ids
 * carry it (`<prefix>.<epoch>-<n>`), so an id can never be reused even when the last second of
 * a killed run was lost.
 */
export class LiveStateStore {
  readonly meta: StateMeta;
  /** This run's number in the file (1 for a new file). */
  readonly epoch: number;
  readonly saved: SavedState | undefined;
  private readonly orders = new RowBuffer('orders', [
    'BIGINT',
    'INTEGER',
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'DOUBLE',
    'DOUBLE',
    'DOUBLE',
    'DOUBLE',
    'VARCHAR',
    'BOOLEAN',
    'VARCHAR',
    'BIGINT',
    'BIGINT',
    'VARCHAR',
    'VARCHAR',
    'INTEGER',
  ]);
  private readonly fills = new RowBuffer('fills', [
    'INTEGER',
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'DOUBLE',
    'DOUBLE',
    'DOUBLE',
    'VARCHAR',
    'BIGINT',
    'BIGINT',
    'VARCHAR',
    'DOUBLE',
  ]);
  private readonly positions = new RowBuffer('positions', [
    'BIGINT',
    'INTEGER',
    'BIGINT',
    'VARCHAR',
    'DOUBLE',
    'DOUBLE',
    'VARCHAR',
  ]);
  private readonly latency = new RowBuffer('order_latency', [
    'VARCHAR',
    'VARCHAR',
    'BIGINT',
    'BIGINT',
    'BIGINT',
  ]);
  private readonly gaps = new RowBuffer('gaps', [
    'VARCHAR',
    'VARCHAR',
    'VARCHAR',
    'BIGINT',
    'BIGINT',
    'VARCHAR',
  ]);
  private readonly snapshots = new RowBuffer('strategy_snapshots', [
    'BIGINT',
    'INTEGER',
    'BIGINT',
    'VARCHAR',
  ]);
  private orderSeq: number;
  private positionSeq: number;
  private snapshotSeq: number;
  private lastSnapshotJson = '';
  private snapshotSource: (() => StrategySnapshot) | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    init: {
      meta: StateMeta;
      epoch: number;
      saved: SavedState | undefined;
      orderSeq: number;
      positionSeq: number;
      snapshotSeq: number;
    },
  ) {
    this.meta = init.meta;
    this.epoch = init.epoch;
    this.saved = init.saved;
    this.orderSeq = init.orderSeq;
    this.positionSeq = init.positionSeq;
    this.snapshotSeq = init.snapshotSeq;
    if (init.saved?.snapshot) this.lastSnapshotJson = JSON.stringify(init.saved.snapshot);
  }

  /**
   * Opens (or creates) the state file of `bot` and starts a new run in it at local time `now`.
   * A file of another bot, a foreign DuckDB file, a corrupt one or one in use is refused with
   * one line naming the fix.
   */
  static async open(path: string, bot: BotIdentity, now: Micros): Promise<LiveStateStore> {
    const existed = existsSync(path);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, { threads: '1' });
    } catch (err) {
      throw openError(path, err);
    }
    const conn = await instance.connect();
    try {
      const tables = await tableNames(conn);
      let meta: StateMeta;
      let saved: SavedState | undefined;
      if (tables.size === 0) {
        meta = await createState(conn, bot);
      } else {
        const missing = STATE_TABLES.filter((t) => !tables.has(t));
        if (missing.length > 0)
          throw new UserError(
            `${path} is not a botp live state file (no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}); pass a new path or a file written by botp live --state`,
          );
        meta = await readMeta(conn, path);
        checkIdentity(path, meta, bot);
        saved = await readSaved(conn, path);
      }
      const seqs = await nextSeqs(conn);
      const epoch = (saved?.runs ?? 0) + 1;
      await conn.run(`INSERT INTO runs (epoch, started_at) VALUES (${epoch}, ${Math.round(now)})`);
      return new LiveStateStore(path, instance, conn, { meta, epoch, saved, ...seqs });
    } catch (err) {
      conn.closeSync();
      instance.closeSync();
      if (err instanceof UserError) throw err;
      throw new UserError(
        `state file ${path} ${existed ? 'could not be read' : 'could not be created'}: ${firstLine(err)}`,
      );
    }
  }

  /** The prefix of this run's generated clientOrderIds (the ExecutionEngine appends `-<n>`). */
  get runIdPrefix(): string {
    return `${this.meta.id_prefix}.${this.epoch}`;
  }

  /** Whether an id was generated by this bot (any run): the exchange's orders to adopt. */
  isOurs(clientOrderId: string): boolean {
    return clientOrderId.startsWith(`${this.meta.id_prefix}.`);
  }

  /** The highest `<n>` of the generated ids recorded so far (0 if none): the next run continues after it. */
  lastIdNumber(extraIds: Iterable<string> = []): number {
    let max = 0;
    const prefix = `${this.meta.id_prefix}.`;
    const scan = (id: string) => {
      if (!id.startsWith(prefix)) return;
      const n = Number(id.slice(id.lastIndexOf('-') + 1));
      if (Number.isSafeInteger(n) && n > max) max = n;
    };
    for (const id of this.saved?.usedIds ?? []) scan(id);
    for (const id of extraIds) scan(id);
    return max;
  }

  /** Where flush takes the strategy snapshot from (written when it changed). */
  setSnapshotSource(source: () => StrategySnapshot): void {
    this.snapshotSource = source;
  }

  recordOrder(o: Order): void {
    this.orders.push([
      this.orderSeq++,
      this.epoch,
      o.clientOrderId,
      o.exchangeOrderId ?? null,
      o.symbol,
      o.side,
      o.type,
      o.timeInForce,
      o.price,
      o.qty,
      o.filledQty,
      o.avgFillPrice,
      o.status,
      o.reduceOnly,
      o.tag ?? null,
      o.createdTs,
      o.updatedTs,
      o.reason?.code ?? null,
      o.reason?.message ?? null,
      o.reason?.exchangeCode ?? null,
    ]);
  }

  recordFill(f: Fill, positionAfter: number): void {
    this.fills.push([this.epoch, ...fillRow(f, positionAfter)]);
  }

  recordPosition(
    ts: Micros,
    symbol: string,
    qty: number,
    avgEntryPrice: number,
    source: PositionSource,
  ): void {
    this.positions.push([this.positionSeq++, this.epoch, ts, symbol, qty, avgEntryPrice, source]);
  }

  recordLatency(s: OrderLatencySample): void {
    this.latency.push([s.exchange, s.symbol, s.reqTs, s.exchTs, s.respTs]);
  }

  recordGap(g: FeedGap): void {
    this.gaps.push([g.exchange, g.symbol, g.stream, g.fromTs, g.toTs, g.reason]);
  }

  /** Rows buffered and not yet written. */
  get pendingRows(): number {
    return [this.orders, this.fills, this.positions, this.latency, this.gaps, this.snapshots].reduce(
      (n, b) => n + b.size,
      0,
    );
  }

  /** Flushes every `everyMs` until close; a failed flush keeps its rows for the next one and goes to `onError`. */
  startAutoFlush(everyMs: number, onError: (err: unknown) => void): void {
    this.timer = setInterval(() => {
      this.flush().catch(onError);
    }, everyMs);
  }

  /** Writes everything buffered (and the snapshot, if it changed) in one transaction. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.writeBuffered());
    // A failure is the caller's to handle; the chain itself goes on.
    this.flushing = next.catch(() => {});
    return next;
  }

  /** Final flush, the run's end in `runs`, checkpoint, close. */
  async close(endedAt: Micros, runDir?: string): Promise<void> {
    if (this.closed) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    try {
      await this.flush();
      await this.conn.run(
        `UPDATE runs SET ended_at = ${Math.round(endedAt)}, run_dir = ${runDir === undefined ? 'NULL' : sqlString(runDir)} WHERE epoch = ${this.epoch}`,
      );
      await this.conn.run('CHECKPOINT');
    } finally {
      this.closed = true;
      this.conn.closeSync();
      this.instance.closeSync();
    }
  }

  private async writeBuffered(): Promise<void> {
    if (this.closed) return;
    // Taken synchronously: kernel callbacks never interleave with this line.
    this.takeSnapshot();
    const buffers = [this.orders, this.fills, this.positions, this.latency, this.gaps, this.snapshots];
    const taken = buffers.map((b) => b.take());
    if (taken.every((rows) => rows.length === 0)) return;
    try {
      await this.conn.run('BEGIN TRANSACTION');
      for (const [i, rows] of taken.entries()) {
        if (rows.length === 0) continue;
        const buf = buffers[i]!;
        const app = await this.conn.createAppender(buf.table);
        for (const row of rows) appendRow(app, buf.types, row);
        app.closeSync();
      }
      if (taken[5]!.length > 0)
        await this.conn.run(
          `DELETE FROM strategy_snapshots WHERE seq < ${this.snapshotSeq - SNAPSHOTS_KEPT}`,
        );
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => {});
      taken.forEach((rows, i) => {
        buffers[i]!.restore(rows);
      });
      throw new Error(
        `state file ${this.path}: write failed (${firstLine(err)}); retrying at the next flush`,
      );
    }
  }

  private takeSnapshot(): void {
    if (this.snapshotSource === undefined) return;
    const snap = this.snapshotSource();
    const json = JSON.stringify(snap);
    if (json === this.lastSnapshotJson) return;
    this.lastSnapshotJson = json;
    this.snapshots.push([this.snapshotSeq++, this.epoch, snap.ts, json]);
  }
}

async function tableNames(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = (
    await conn.runAndReadAll(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()",
    )
  ).getRowsJS();
  return new Set(rows.map((r) => String(r[0])));
}

async function createState(conn: DuckDBConnection, bot: BotIdentity): Promise<StateMeta> {
  const meta: Record<string, string> = {
    format: STATE_FORMAT,
    version: String(STATE_VERSION),
    strategy: bot.strategy,
    exchange: bot.exchange,
    symbols: JSON.stringify(bot.symbols),
    paper: String(bot.paper),
    // Tells this bot's orders apart from anything else on the account (other bots, manual orders).
    id_prefix: `bp${randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0')}`,
    created_at: new Date().toISOString(),
  };
  await conn.run('BEGIN TRANSACTION');
  for (const ddl of STATE_DDL) await conn.run(ddl);
  for (const [k, v] of Object.entries(meta))
    await conn.run(`INSERT INTO state_meta VALUES (${sqlString(k)}, ${sqlString(v)})`);
  await conn.run('COMMIT');
  return stateMetaSchema.parse(meta);
}

async function readMeta(conn: DuckDBConnection, path: string): Promise<StateMeta> {
  const rows = (await conn.runAndReadAll('SELECT key, value FROM state_meta')).getRowsJS();
  const raw = Object.fromEntries(rows.map((r) => [String(r[0]), r[1]]));
  if (raw.format !== STATE_FORMAT)
    throw new UserError(
      `${path} is not a botp live state file (state_meta has no format '${STATE_FORMAT}'); pass a new path or a file written by botp live --state`,
    );
  return parseRows(path, 'state_meta', stateMetaSchema, [raw])[0]!;
}

function checkIdentity(path: string, meta: StateMeta, bot: BotIdentity): void {
  const fix = 'pass another --state file (or the options it was written with)';
  if (meta.strategy !== bot.strategy)
    throw new UserError(
      `state file ${path} belongs to strategy ${meta.strategy}, not ${bot.strategy}; ${fix}`,
    );
  if (meta.paper !== bot.paper)
    throw new UserError(
      `state file ${path} was written by a ${meta.paper ? '--paper' : 'real-money'} run and this is a ${bot.paper ? '--paper' : 'real-money'} run; ${fix}`,
    );
  if (meta.exchange !== bot.exchange)
    throw new UserError(`state file ${path} trades on ${meta.exchange}, not ${bot.exchange}; ${fix}`);
  if (meta.symbols.join(',') !== bot.symbols.join(','))
    throw new UserError(
      `state file ${path} trades ${meta.symbols.join(',')}, this run ${bot.symbols.join(',')}; ${fix}`,
    );
}

async function readSaved(conn: DuckDBConnection, path: string): Promise<SavedState> {
  const runs = Number(
    (await conn.runAndReadAll('SELECT CAST(coalesce(max(epoch), 0) AS DOUBLE) FROM runs')).getRowsJS()[0]![0],
  );
  const snapRows = (
    await conn.runAndReadAll('SELECT snapshot FROM strategy_snapshots ORDER BY seq DESC LIMIT 1')
  ).getRowsJS();
  let snapshot: StrategySnapshot | undefined;
  if (snapRows.length > 0) {
    let json: unknown;
    try {
      json = JSON.parse(String(snapRows[0]![0]));
    } catch {
      throw corrupt(path, 'strategy_snapshots', 'the latest snapshot is not JSON');
    }
    snapshot = parseRows(path, 'strategy_snapshots', strategySnapshotSchema, [json])[0] as StrategySnapshot;
  }
  const orderRows = await objects(
    conn,
    `SELECT client_order_id, exchange_order_id, symbol, side, type, time_in_force, price, qty, filled_qty,
       avg_fill_price, status, reduce_only, tag, CAST(created_ts AS DOUBLE) AS created_ts,
       CAST(updated_ts AS DOUBLE) AS updated_ts, reason_code, reason_message, reason_exchange_code
     FROM orders
     QUALIFY row_number() OVER (PARTITION BY client_order_id ORDER BY seq DESC) = 1
       AND status NOT IN ('filled', 'canceled', 'rejected', 'expired')
     ORDER BY client_order_id`,
  );
  const openOrders = parseRows(path, 'orders', orderRowSchema, orderRows).map(orderOfRow);
  const usedIds = (await conn.runAndReadAll('SELECT DISTINCT client_order_id FROM orders'))
    .getRowsJS()
    .map((r) => String(r[0]));
  const positionRows = await objects(
    conn,
    `SELECT symbol, qty, avg_entry_price FROM positions
     QUALIFY row_number() OVER (PARTITION BY symbol ORDER BY seq DESC) = 1 ORDER BY symbol`,
  );
  const positions = parseRows(path, 'positions', positionRowSchema, positionRows);
  const last = (
    await conn.runAndReadAll(
      `SELECT CAST(max(t) AS DOUBLE) FROM (
         SELECT max(updated_ts) AS t FROM orders UNION ALL
         SELECT max(local_ts) FROM fills UNION ALL
         SELECT max(started_at) FROM runs)`,
    )
  ).getRowsJS()[0]![0];
  const lastRecordedTs = typeof last === 'number' && Number.isFinite(last) ? last : undefined;
  return { runs, snapshot, openOrders, usedIds, positions, lastRecordedTs };
}

async function nextSeqs(
  conn: DuckDBConnection,
): Promise<{ orderSeq: number; positionSeq: number; snapshotSeq: number }> {
  const row = (
    await conn.runAndReadAll(
      `SELECT CAST(coalesce((SELECT max(seq) FROM orders), -1) + 1 AS DOUBLE),
              CAST(coalesce((SELECT max(seq) FROM positions), -1) + 1 AS DOUBLE),
              CAST(coalesce((SELECT max(seq) FROM strategy_snapshots), -1) + 1 AS DOUBLE)`,
    )
  ).getRowsJS()[0]!;
  return { orderSeq: Number(row[0]), positionSeq: Number(row[1]), snapshotSeq: Number(row[2]) };
}

async function objects(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

function parseRows<S extends z.ZodType>(
  path: string,
  table: string,
  schema: S,
  rows: unknown[],
): z.output<S>[] {
  return rows.map((row, i) => {
    const r = schema.safeParse(row);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw corrupt(path, table, `row ${i + 1}: ${where}${issue?.message ?? 'invalid'}`);
  });
}

function corrupt(path: string, table: string, what: string): UserError {
  return new UserError(
    `state file ${path} is corrupt (${table} ${what}); restore a backup or start with a new --state file`,
  );
}

function openError(path: string, err: unknown): UserError {
  const msg = firstLine(err);
  if (/lock/i.test(msg))
    return new UserError(
      `state file ${path} is in use by another process (another botp live on it?); stop that one first`,
    );
  if (/not a valid DuckDB database file|invalid|corrupt/i.test(msg))
    return new UserError(
      `${path} is not a botp live state file (not a DuckDB file); pass a new path or a file written by botp live --state`,
    );
  return new UserError(`cannot open state file ${path}: ${msg}`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
