import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { UserError } from '../cli/user-error.js';

/** The run.duckdb tables the report and `botp compare` read (see run-store/run-schema.ts). */
export const REPORT_TABLES = [
  'run_meta',
  'fills',
  'orders',
  'trades',
  'equity',
  'prices',
  'positions',
] as const;

export interface RunDb {
  readonly path: string;
  readonly conn: DuckDBConnection;
  close(): void;
}

/** Checks that `runDir` is a folder holding a run.duckdb; returns that file's path. */
export function runDbPath(runDir: string): string {
  if (!existsSync(runDir)) {
    throw new UserError(`run folder ${runDir} does not exist; pass a folder written by botp backtest --out`);
  }
  if (!statSync(runDir).isDirectory()) {
    throw new UserError(`${runDir} is not a folder; pass the run folder (the one holding run.duckdb)`);
  }
  const path = join(runDir, 'run.duckdb');
  if (!existsSync(path)) {
    throw new UserError(
      `${runDir} holds no run.duckdb; pass a run folder written by botp backtest --out (re-run the backtest if it was cut short)`,
    );
  }
  return path;
}

/**
 * Opens `<runDir>/run.duckdb` read-only and checks it is a run store. Not data/duckdb-file.ts:
 * its messages speak of tick stores, and a report never needs the raw binding.
 */
export async function openRunDb(runDir: string): Promise<RunDb> {
  const path = runDbPath(runDir);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', threads: '1' });
  } catch (err) {
    throw openError(path, err);
  }
  const conn = await instance.connect();
  const db: RunDb = {
    path,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
  try {
    const reader = await conn.runAndReadAll(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database()",
    );
    const tables = new Set(reader.getRowsJS().map((r) => String(r[0])));
    const missing = REPORT_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) {
      throw new UserError(
        `${path} is not a BotPlatform run store (no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}); pass a run folder written by botp backtest --out`,
      );
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openError(path: string, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(msg)) {
    return new UserError(
      `${path} is in use by another process (a run still writing it?); wait for it to finish and retry`,
    );
  }
  if (/not a valid DuckDB database file|serialization|storage version/i.test(msg)) {
    return new UserError(
      `${path} is not a DuckDB file this version can read; pass a run folder written by botp backtest --out`,
    );
  }
  return new UserError(`cannot open ${path}: ${msg.split('\n')[0]}`);
}
