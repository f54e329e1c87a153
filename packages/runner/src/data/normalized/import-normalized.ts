import { existsSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { UserError } from '../../cli/user-error.js';
import { importOnce } from '../importers/import-once.js';
import type { ImportSink } from '../importers/import-sink.js';
import { inputLineBatches } from '../importers/input-lines.js';
import { TickStoreWriter } from '../tick-store-writer.js';
import {
  isNormalizedLineType,
  NORMALIZED_LINE_TYPES,
  type NormalizedLine,
  type NormalizedRecord,
  normalizedLineSchemas,
  toNormalizedRecord,
} from './normalized-line.js';

export interface ImportResult {
  /** Lines read (for a skipped file: lines it had when first imported). */
  lines: number;
  /** Rows added per logical table (`instruments`, `trades`, `depth`, ...). */
  rows: Record<string, number>;
  /** The same file (size and sha256) was imported into this store before; nothing was added. */
  skipped: boolean;
}

export interface ImportOptions {
  /** Called every 100,000 lines and at the end with the lines read so far. */
  onProgress?(lines: number): void;
}

/**
 * Imports a normalized event file (one JSON object per line, DESIGN.md "Normalized event
 * lines") into a tick store. The file is streamed; every line is validated, and the first bad
 * one stops the import with `<file>:<line>: <what is wrong>`. The whole file goes in as one
 * transaction, so a failed import leaves the store as it was. A file already imported (same
 * size and sha256, recorded in `imports`) is skipped, so re-running an import never duplicates
 * data (see importOnce).
 */
export async function importNormalized(
  file: string,
  dbPath: string,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UserError(`input file ${file} not found; pass a normalized .jsonl file`);
  }
  const writer = await TickStoreWriter.open(dbPath);
  try {
    const result = await importOnce(file, writer, (sink) => readLines(file, sink), opts);
    return result.status === 'imported'
      ? { lines: result.lines, rows: result.rows, skipped: false }
      : { lines: result.lines, rows: {}, skipped: true };
  } finally {
    // Also sorts `events` once if this file's events went back in time vs the store.
    await writer.close();
  }
}

async function readLines(file: string, sink: ImportSink): Promise<void> {
  const { writer } = sink;
  let lineNo = 0;
  let prevLocalTs = Number.NEGATIVE_INFINITY;
  const fail = (what: string): UserError => new UserError(`${file}:${lineNo}: ${what}`);
  for await (const batch of inputLineBatches(file)) {
    for (const text of batch) {
      lineNo++;
      sink.countLine();
      if (text.trim() === '') continue;
      const record = parseLine(text, fail);
      if (record.kind === 'instrument') {
        await sink.addInstrument(record.instrument);
        continue;
      }
      const ev = record.event;
      if (ev.localTs < prevLocalTs) {
        throw fail(
          `localTs ${ev.localTs} is before the previous line's ${prevLocalTs}; lines must be in localTs order`,
        );
      }
      if (ev.localTs < ev.exchTs) {
        throw fail(
          `localTs ${ev.localTs} is before exchTs ${ev.exchTs}; an event cannot be received before the exchange sent it (check the clocks or the field order)`,
        );
      }
      if (writer.symOf(ev.exchange, ev.symbol) === undefined) {
        throw fail(
          `no instrument ${ev.exchange} ${ev.symbol}; declare it with a {"type":"instrument",...} line before its events`,
        );
      }
      prevLocalTs = ev.localTs;
      sink.append(ev);
    }
  }
}

function parseLine(text: string, fail: (what: string) => UserError): NormalizedRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw fail(
      `not valid JSON (${err instanceof Error ? err.message : String(err)}); each line must be one JSON object`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw fail('not a JSON object; each line must be one {"type":...} object');
  }
  const type = (json as { type?: unknown }).type;
  if (!isNormalizedLineType(type)) {
    const got = type === undefined ? 'no "type" field' : `unknown type ${JSON.stringify(type)}`;
    throw fail(`${got}; expected one of ${NORMALIZED_LINE_TYPES.join(', ')}`);
  }
  const schema: z.ZodType = normalizedLineSchemas[type];
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw fail(`invalid ${type} line: ${where}${issue?.message ?? 'does not match the schema'}`);
  }
  return toNormalizedRecord(parsed.data as NormalizedLine);
}
