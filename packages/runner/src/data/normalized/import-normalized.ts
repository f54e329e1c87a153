import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { MarketEventType } from '@botplatform/sdk';
import type { z } from 'zod';
import { UserError } from '../../cli/user-error.js';
import { encodedRowCount } from '../encode-event.js';
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
  /** Called every `PROGRESS_EVERY` lines and at the end with the lines read so far. */
  onProgress?(lines: number): void;
}

const PROGRESS_EVERY = 100_000;

const TABLE_OF: Record<MarketEventType, string> = {
  trade: 'trades',
  depth: 'depth',
  bookTicker: 'book_ticker',
  markPrice: 'mark_price',
  openInterest: 'open_interest',
};

/**
 * Imports a normalized event file (one JSON object per line, DESIGN.md "Normalized event
 * lines") into a tick store. The file is streamed; every line is validated, and the first bad
 * one stops the import with `<file>:<line>: <what is wrong>`. The whole file goes in as one
 * transaction, so a failed import leaves the store as it was. A file already imported (same
 * size and sha256, recorded in `imports`) is skipped, so re-running an import never duplicates
 * data.
 */
export async function importNormalized(
  file: string,
  dbPath: string,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UserError(`input file ${file} not found; pass a normalized .jsonl file`);
  }
  const size = statSync(file).size;
  const sha256 = await hashFile(file);
  const writer = await TickStoreWriter.open(dbPath);
  try {
    const [previous] = await writer.query('SELECT lines FROM imports WHERE sha256 = $1 AND size = $2', [
      sha256,
      size,
    ]);
    if (previous) return { lines: Number(previous[0]), rows: {}, skipped: true };
    return await writer.transaction(async () => {
      const result = await readLines(file, writer, opts);
      await writer.run('INSERT INTO imports (sha256, size, file, lines) VALUES ($1, $2, $3, $4)', [
        sha256,
        size,
        resolve(file),
        result.lines,
      ]);
      return result;
    });
  } finally {
    // Also sorts `events` once if this file's events went back in time vs the store.
    await writer.close();
  }
}

async function readLines(file: string, writer: TickStoreWriter, opts: ImportOptions): Promise<ImportResult> {
  const rows: Record<string, number> = { instruments: 0 };
  for (const table of Object.values(TABLE_OF)) rows[table] = 0;
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let prevLocalTs = Number.NEGATIVE_INFINITY;
  const fail = (what: string): UserError => new UserError(`${file}:${lineNo}: ${what}`);
  try {
    for await (const text of lines) {
      lineNo++;
      if (lineNo % PROGRESS_EVERY === 0) opts.onProgress?.(lineNo);
      if (text.trim() === '') continue;
      const record = parseLine(text, fail);
      if (record.kind === 'instrument') {
        await writer.addInstrument(record.instrument);
        rows.instruments!++;
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
      writer.append(ev);
      rows[TABLE_OF[ev.type]]! += encodedRowCount(ev);
    }
  } finally {
    lines.close();
    input.destroy();
  }
  opts.onProgress?.(lineNo);
  return { lines: lineNo, rows, skipped: false };
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

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
