import type { z } from 'zod';
import { assertInputFile, type ImportOnceResult } from '../../data/importers/import-once.js';
import { IMPORT_TABLES } from '../../data/importers/import-sink.js';
import { TickStoreWriter } from '../../data/tick-store-writer.js';
import { UserError } from '../user-error.js';

/** What importing one file can come to: importOnce's result, or a kind of file left alone. */
export type FileImportResult = ImportOnceResult | { readonly status: 'unsupported'; readonly reason: string };

export type ImportFile = (
  file: string,
  writer: TickStoreWriter,
  onProgress: ((lines: number) => void) | undefined,
) => Promise<FileImportResult>;

/**
 * Imports `files` in order through one writer on `db` (opened once; closed once, which sorts
 * `events` once if the files went back in time), printing each file's result as it completes.
 * Every path is checked before the store is opened. A file that fails stops the command with
 * its UserError; the files before it stay imported, the failing one leaves no trace.
 */
export async function importFiles(
  files: readonly string[],
  db: string,
  importFile: ImportFile,
): Promise<FileImportResult[]> {
  for (const file of files) assertInputFile(file);
  const results: FileImportResult[] = [];
  const writer = await TickStoreWriter.open(db);
  try {
    for (const file of files) {
      const progress = process.stderr.isTTY
        ? (lines: number) =>
            process.stderr.write(`\r  import ${file}: ${lines.toLocaleString('en-US')} lines`)
        : undefined;
      let result: FileImportResult;
      try {
        result = await importFile(file, writer, progress);
      } finally {
        if (progress) process.stderr.write('\n');
      }
      printResult(file, db, result);
      results.push(result);
    }
  } finally {
    await writer.close();
  }
  return results;
}

function printResult(file: string, db: string, result: FileImportResult): void {
  switch (result.status) {
    case 'already-imported':
      process.stdout.write(`${file} was already imported into ${db} (same content); skipped\n`);
      return;
    case 'unsupported':
      process.stderr.write(`botp: ${file} not imported: ${result.reason}\n`);
      return;
    case 'imported':
      process.stdout.write(`imported ${result.lines} lines from ${file} into ${db}\n`);
      printRows(result.rows);
      for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
  }
}

/** The tables that received rows, one line each (a file with none says so). */
export function printRows(rows: Partial<Record<string, number>>): void {
  const tables = IMPORT_TABLES.filter((t) => (rows[t] ?? 0) > 0);
  if (tables.length === 0) {
    process.stdout.write('  (no rows)\n');
    return;
  }
  const width = Math.max(...tables.map((t) => t.length));
  for (const table of tables) {
    process.stdout.write(`  ${table.padEnd(width)}  ${String(rows[table]).padStart(10)} rows\n`);
  }
}

/** Validates commander's option values; the first problem becomes a one-line UserError. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag =
    issue?.path[0] === undefined
      ? ''
      : `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
  throw new UserError(`${flag}${issue?.message ?? 'invalid flags'}; see botp import --help`);
}
