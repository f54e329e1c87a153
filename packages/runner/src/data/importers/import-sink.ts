import type { Instrument, MarketEvent, MarketEventType } from '@botplatform/sdk';
import { encodedRowCount } from '../encode-event.js';
import type { TickStoreWriter } from '../tick-store-writer.js';

/** The logical tables an import reports rows for, in the order the CLI prints them. */
export const IMPORT_TABLES = [
  'instruments',
  'trades',
  'depth',
  'book_ticker',
  'mark_price',
  'open_interest',
] as const;
export type ImportTable = (typeof IMPORT_TABLES)[number];
export type RowCounts = Record<ImportTable, number>;

const TABLE_OF: Record<MarketEventType, ImportTable> = {
  trade: 'trades',
  depth: 'depth',
  bookTicker: 'book_ticker',
  markPrice: 'mark_price',
  openInterest: 'open_interest',
};

/** Lines between two progress reports. */
export const PROGRESS_EVERY = 100_000;

/**
 * What one file's import writes through: the tick-store writer plus the counts the CLI reports
 * (lines read, rows per logical table) and notes for the user (rows skipped and why). Every
 * importer writes through a sink so the counts mean the same thing for every format.
 */
export class ImportSink {
  readonly rows: RowCounts = {
    instruments: 0,
    trades: 0,
    depth: 0,
    book_ticker: 0,
    mark_price: 0,
    open_interest: 0,
  };
  readonly notes: string[] = [];
  /** Lines read so far (advance with `countLine`). */
  lines = 0;

  constructor(
    readonly writer: TickStoreWriter,
    private readonly onProgress?: (lines: number) => void,
  ) {}

  /** Buffers one event and counts the rows it becomes. */
  append(ev: MarketEvent): void {
    this.writer.append(ev);
    this.rows[TABLE_OF[ev.type]] += encodedRowCount(ev);
  }

  /** Adds or updates an instrument (counted as one `instruments` row). */
  async addInstrument(inst: Instrument): Promise<number> {
    const sym = await this.writer.addInstrument(inst);
    this.rows.instruments++;
    return sym;
  }

  /** Counts one line read; reports progress every PROGRESS_EVERY lines. */
  countLine(): void {
    if (++this.lines % PROGRESS_EVERY === 0) this.onProgress?.(this.lines);
  }

  /** Reports the final line count (called once the file is read). */
  finishProgress(): void {
    this.onProgress?.(this.lines);
  }

  /** A remark for the user about this file (e.g. rows skipped and why). */
  note(message: string): void {
    this.notes.push(message);
  }
}
