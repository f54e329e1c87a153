import { DuckDBConnection } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { UserError } from '../cli/user-error.js';

/**
 * One open DuckDB file. `raw` is the binding-level connection for the hot paths (chunk appends,
 * streaming scans); `conn` wraps the same connection in @duckdb/node-api for everything else.
 */
export interface DuckDbFile {
  readonly path: string;
  readonly raw: duckdb.Connection;
  readonly conn: DuckDBConnection;
  close(): void;
}

export interface OpenDuckDbOptions {
  readonly readOnly?: boolean;
  /** DuckDB worker threads; replay uses 1 so the scan never competes with the JS thread. */
  readonly threads?: number;
  /** DuckDB's buffer-pool cap (e.g. '128MB'); its default is 80% of RAM, which a long scan fills. */
  readonly memoryLimit?: string;
}

/** Opens a DuckDB file, turning DuckDB's open errors into messages that name the fix. */
export async function openDuckDbFile(path: string, opts: OpenDuckDbOptions = {}): Promise<DuckDbFile> {
  const config = duckdb.create_config();
  if (opts.readOnly) duckdb.set_config(config, 'access_mode', 'READ_ONLY');
  if (opts.threads !== undefined) duckdb.set_config(config, 'threads', String(opts.threads));
  if (opts.memoryLimit !== undefined) duckdb.set_config(config, 'memory_limit', opts.memoryLimit);
  let db: duckdb.Database;
  try {
    db = await duckdb.open(path, config);
  } catch (err) {
    throw openError(path, err);
  }
  const raw = await duckdb.connect(db);
  let closed = false;
  return {
    path,
    raw,
    conn: new DuckDBConnection(raw),
    close() {
      if (closed) return;
      closed = true;
      duckdb.disconnect_sync(raw);
      duckdb.close_sync(db);
    },
  };
}

function openError(path: string, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  if (/lock/i.test(msg)) {
    return new UserError(
      `data file ${path} is in use by another process; stop it (or copy the file) and retry`,
    );
  }
  if (/not a valid DuckDB database file/i.test(msg)) {
    return new UserError(
      `${path} is not a BotPlatform tick store (not a DuckDB file); pass a file written by botp record or botp import`,
    );
  }
  if (/serialization|storage version|version/i.test(msg)) {
    return new UserError(
      `${path} was written by another version of DuckDB and is not a BotPlatform tick store this version can read; re-import the data`,
    );
  }
  return new UserError(`cannot open data file ${path}: ${msg.split('\n')[0]}`);
}
