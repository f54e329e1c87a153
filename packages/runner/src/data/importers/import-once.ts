import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../cli/user-error.js';
import type { TickStoreWriter } from '../tick-store-writer.js';
import { ImportSink, type RowCounts } from './import-sink.js';

/** How one input file's import ended. */
export type ImportOnceResult =
  | {
      readonly status: 'imported';
      readonly lines: number;
      /** Rows added per logical table (`instruments` counts instruments added or updated). */
      readonly rows: RowCounts;
      /** Remarks for the user (rows skipped and why, assumptions made). */
      readonly notes: readonly string[];
    }
  | {
      /** The same content (sha256 and size) is already in this store: nothing was added. */
      readonly status: 'already-imported';
      /** Lines the file had when it was first imported. */
      readonly lines: number;
    };

export interface ImportOnceOptions {
  /** Called every PROGRESS_EVERY lines and once at the end with the lines read so far. */
  onProgress?(lines: number): void;
}

/**
 * Imports one input file at most once into an open tick store, atomically:
 *
 * 1. hashes the file as it is on disk (sha256 + size; a .zip or .gz is hashed compressed), and
 *    returns `already-imported` if the store's `imports` table has that content, whatever its
 *    name: re-running an import never duplicates data;
 * 2. otherwise runs `body` inside one transaction of `writer` and records the file in
 *    `imports` in the same transaction. If `body` throws (e.g. a UserError naming
 *    `<file>:<line>`), everything it wrote is rolled back and the store is as it was.
 *
 * `body` reads the file and writes through the `ImportSink` it is given, which counts lines
 * (`countLine`) and rows per table. The writer stays open: callers import several files through
 * one writer and close it once (which sorts `events` once if the files went back in time).
 */
export async function importOnce(
  file: string,
  writer: TickStoreWriter,
  body: (sink: ImportSink) => Promise<void>,
  opts: ImportOnceOptions = {},
): Promise<ImportOnceResult> {
  assertInputFile(file);
  const size = statSync(file).size;
  const sha256 = await hashFile(file);
  const [previous] = await writer.query('SELECT lines FROM imports WHERE sha256 = $1 AND size = $2', [
    sha256,
    size,
  ]);
  if (previous) return { status: 'already-imported', lines: Number(previous[0]) };
  return writer.transaction(async () => {
    const sink = new ImportSink(writer, opts.onProgress);
    await body(sink);
    sink.finishProgress();
    await writer.run('INSERT INTO imports (sha256, size, file, lines) VALUES ($1, $2, $3, $4)', [
      sha256,
      size,
      resolve(file),
      sink.lines,
    ]);
    return { status: 'imported', lines: sink.lines, rows: sink.rows, notes: sink.notes };
  });
}

/** Refuses a path that is not a readable file, before any store is opened or touched. */
export function assertInputFile(file: string): void {
  if (!existsSync(file)) throw new UserError(`input file ${file} not found; check the path`);
  if (!statSync(file).isFile()) throw new UserError(`input file ${file} is not a file; pass a data file`);
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
