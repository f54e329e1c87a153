import type { MarketEvent } from '@botplatform/sdk';
import { UserError } from '../../../cli/user-error.js';
import type { TickStoreWriter } from '../../tick-store-writer.js';
import { CsvRow } from '../csv-row.js';
import { assertInputFile, type ImportOnceResult, importOnce } from '../import-once.js';
import type { ImportSink } from '../import-sink.js';
import { inputLineBatches } from '../input-lines.js';
import type { InstrumentResolver } from '../instrument-resolver.js';
import {
  ARCHIVE_COLUMNS,
  ARCHIVE_KINDS,
  type ArchiveKind,
  archiveKindSchema,
  BOOK_DEPTH_REASON,
  isHeaderLine,
  OPTIONAL_TRAILING_COLUMN,
} from './archive-kind.js';
import { parseArchiveName } from './archive-name.js';

export interface BinanceVisionOptions {
  /** Exchange id the rows are stored under (USD-M futures: `binance-futures`). */
  readonly exchange: string;
  /** Overrides the kind read from the file name. */
  readonly kind?: ArchiveKind;
  /** Overrides the symbol read from the file name. */
  readonly symbol?: string;
  /** µs added to the exchange time to make `local_ts` (the archives have no receive time). */
  readonly feedLatencyUs: number;
  readonly resolver: InstrumentResolver;
  onProgress?(lines: number): void;
}

/** An archive kind with nothing the tick store can hold (bookDepth): the file was left alone. */
export interface UnsupportedArchive {
  readonly status: 'unsupported';
  readonly kind: ArchiveKind;
  readonly reason: string;
}

export type BinanceVisionResult = ImportOnceResult | UnsupportedArchive;

/**
 * Timestamps at or above this are µs, below it ms: 1e14 µs is 1973, 1e14 ms the year 5138.
 * Futures archives use ms; spot archives switched to µs on 2025-01-01.
 */
const MICROS_FROM = 1e14;

/**
 * Imports one data.binance.vision archive (`.zip` holding one CSV, or the `.csv`) into an open
 * tick store, once (see importOnce):
 *
 * - `aggTrades` and `trades` → `trades` (trade_id = agg_trade_id or id; `is_buyer_maker` true
 *   means the buyer was resting, so the aggressor sold: side −1);
 * - `bookTicker` → `book_ticker` (seq = update_id);
 * - `bookDepth` → nothing (returned as `unsupported`, see BOOK_DEPTH_REASON).
 *
 * Kind and symbol come from the file name unless overridden; the header row is optional.
 * The archives carry only exchange time: `exch_ts` is the trade/transaction time and
 * `local_ts` = the time the exchange published it (bookTicker event_time; for trades the
 * trade time) + `feedLatencyUs`. Rows need not be in time order: the writer sorts once on close.
 */
export async function importBinanceVisionFile(
  file: string,
  writer: TickStoreWriter,
  opts: BinanceVisionOptions,
): Promise<BinanceVisionResult> {
  assertInputFile(file);
  const { kind, symbol } = archiveIdentity(file, opts);
  if (kind === 'bookDepth') return { status: 'unsupported', kind, reason: BOOK_DEPTH_REASON };
  return importOnce(
    file,
    writer,
    async (sink) => {
      await opts.resolver.resolve(sink, opts.exchange, symbol, file);
      await readArchive(file, kind, sink, rowParser(kind, opts.exchange, symbol, opts.feedLatencyUs));
    },
    opts.onProgress ? { onProgress: opts.onProgress } : {},
  );
}

/** Kind and symbol from the flags, else from the file name; a UserError when neither tells. */
function archiveIdentity(file: string, opts: BinanceVisionOptions): { kind: ArchiveKind; symbol: string } {
  const name = parseArchiveName(file);
  const symbol = opts.symbol ?? name?.symbol;
  let kind = opts.kind;
  if (kind === undefined && name !== undefined) {
    const parsed = archiveKindSchema.safeParse(name.kind);
    if (!parsed.success) {
      throw new UserError(
        `${file}: "${name.kind}" archives are not supported; botp imports ${ARCHIVE_KINDS.join(', ')} (bookDepth is recognised and skipped)`,
      );
    }
    kind = parsed.data;
  }
  if (kind === undefined || symbol === undefined) {
    throw new UserError(
      `${file}: cannot tell the ${kind === undefined ? 'kind' : 'symbol'} from the file name (expected SYMBOL-KIND-DATE.zip, e.g. BTCUSDT-aggTrades-2024-01-01.zip); pass --kind and --symbol`,
    );
  }
  return { kind, symbol };
}

type RowParser = (row: CsvRow) => MarketEvent;

/** One parser per file (chosen once, not per row). */
function rowParser(kind: ArchiveKind, exchange: string, symbol: string, latency: number): RowParser {
  switch (kind) {
    case 'aggTrades':
      return (row) => {
        row.expectFields(7, 8);
        const exchTs = micros(row, 5, 'transact_time');
        return {
          type: 'trade',
          exchange,
          symbol,
          exchTs,
          localTs: exchTs + latency,
          tradeId: row.int(0, 'agg_trade_id'),
          price: row.positive(1, 'price'),
          qty: row.positive(2, 'quantity'),
          side: row.bool(6, 'is_buyer_maker') ? 'sell' : 'buy',
        };
      };
    case 'trades':
      return (row) => {
        row.expectFields(6, 7);
        const exchTs = micros(row, 4, 'time');
        return {
          type: 'trade',
          exchange,
          symbol,
          exchTs,
          localTs: exchTs + latency,
          tradeId: row.int(0, 'id'),
          price: row.positive(1, 'price'),
          qty: row.positive(2, 'qty'),
          side: row.bool(5, 'is_buyer_maker') ? 'sell' : 'buy',
        };
      };
    case 'bookTicker':
      return (row) => {
        row.expectFields(7);
        const exchTs = micros(row, 5, 'transaction_time');
        // The push left the exchange at event_time (never before the book changed).
        const sentTs = Math.max(exchTs, micros(row, 6, 'event_time'));
        return {
          type: 'bookTicker',
          exchange,
          symbol,
          exchTs,
          localTs: sentTs + latency,
          seq: row.int(0, 'update_id'),
          bidPrice: row.positive(1, 'best_bid_price'),
          bidQty: row.nonNegative(2, 'best_bid_qty'),
          askPrice: row.positive(3, 'best_ask_price'),
          askQty: row.nonNegative(4, 'best_ask_qty'),
        };
      };
    case 'bookDepth':
      throw new Error('bookDepth has no row parser: it is not imported');
  }
}

/** An epoch timestamp in ms or µs (told apart by magnitude) as µs. */
function micros(row: CsvRow, i: number, name: string): number {
  const v = row.int(i, name);
  if (v <= 0) throw row.fail(`column ${name}: ${v} is not a timestamp`);
  return v < MICROS_FROM ? v * 1000 : v;
}

async function readArchive(
  file: string,
  kind: ArchiveKind,
  sink: ImportSink,
  parse: RowParser,
): Promise<void> {
  const row = new CsvRow(file);
  let lineNo = 0;
  let first = true;
  for await (const batch of inputLineBatches(file)) {
    for (const text of batch) {
      lineNo++;
      sink.countLine();
      if (text === '') continue;
      if (first) {
        first = false;
        if (isHeaderLine(text)) {
          checkHeader(file, kind, text);
          continue;
        }
      }
      row.set(text, lineNo);
      sink.append(parse(row));
    }
  }
  if (first) sink.note(`${file} holds no rows`);
}

/** A header must be the kind's own (a trades file passed as aggTrades is caught here). */
function checkHeader(file: string, kind: ArchiveKind, text: string): void {
  const expected: readonly string[] = ARCHIVE_COLUMNS[kind];
  const got = text.split(',').map((c) => c.trim());
  const extra = OPTIONAL_TRAILING_COLUMN[kind];
  const matches =
    (got.length === expected.length || (got.length === expected.length + 1 && got.at(-1) === extra)) &&
    expected.every((c, i) => got[i] === c);
  if (!matches) {
    throw new UserError(
      `${file}:1: header "${text}" is not a ${kind} header (expected ${expected.join(',')}); check the file or --kind`,
    );
  }
}
