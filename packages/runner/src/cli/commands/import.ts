import type { Command } from 'commander';
import { z } from 'zod';
import { archiveKindSchema } from '../../data/importers/binance-vision/archive-kind.js';
import { importBinanceVisionFile } from '../../data/importers/binance-vision/import-binance-vision.js';
import { assertInputFile, type ImportOnceResult } from '../../data/importers/import-once.js';
import { IMPORT_TABLES } from '../../data/importers/import-sink.js';
import { importRawFile, RAW_EXCHANGES } from '../../data/importers/raw/import-raw.js';
import { importTardisFile } from '../../data/importers/tardis/import-tardis.js';
import { importNormalized } from '../../data/normalized/import-normalized.js';
import { TickStoreWriter } from '../../data/tick-store-writer.js';
import {
  addInstrumentOptions,
  FlagInstrumentResolver,
  type InstrumentFlagValues,
} from '../instrument-flags.js';
import { UserError } from '../user-error.js';

interface ImportNormalizedFlags {
  db: string;
}

/** `botp import <format> ... --db <file.duckdb>`: fills a tick store from outside data. */
export function registerImportCommand(program: Command): void {
  const cmd = program.command('import').description('import market data into a tick store (DuckDB file)');
  cmd
    .command('normalized')
    .description('import a normalized event file: one JSON event per line, in localTs order')
    .argument(
      '<file>',
      'normalized .jsonl file (instrument, depth, trade, bookTicker, markPrice, openInterest lines)',
    )
    .requiredOption('--db <file.duckdb>', 'tick store to import into (created if absent)')
    .action(async (file: string, flags: ImportNormalizedFlags) => {
      const progress = process.stderr.isTTY
        ? (lines: number) => process.stderr.write(`\r  import ${lines.toLocaleString('en-US')} lines`)
        : undefined;
      const result = await importNormalized(file, flags.db, progress ? { onProgress: progress } : {});
      if (progress) process.stderr.write('\n');
      if (result.skipped) {
        process.stdout.write(`${file} was already imported into ${flags.db} (same content); skipped\n`);
        return;
      }
      process.stdout.write(`imported ${result.lines} lines from ${file} into ${flags.db}\n`);
      printRows(result.rows);
    });
  registerBinanceVision(cmd);
  registerTardis(cmd);
  registerRaw(cmd);
}

// ---------------------------------------------------------------------------------------------
// binance-vision

const BINANCE_VISION_HELP = `
Reads the public USD-M futures archives of https://data.binance.vision (daily or monthly),
zipped or unzipped, with or without their header row. Kind and symbol come from the file name
(BTCUSDT-aggTrades-2024-01-01.zip) unless --kind/--symbol say otherwise.

  aggTrades, trades  -> trades       (is_buyer_maker=true: the aggressor sold, side -1;
                                      import one of the two, not both: they are the same trades)
  bookTicker         -> book_ticker  (seq = update_id)
  bookDepth          -> nothing: it is cumulative depth per +-1..5% band, not price levels,
                        so it cannot feed the depth table the simulator matches against.
                        Such files are skipped with a message.

Timestamps: ms, or µs in newer spot files (told apart by size). The archives hold exchange
time only: exch_ts = trade/transaction time, local_ts = the time Binance sent it (bookTicker
event_time, else the trade time) + --feed-latency. With the default 0 the strategy sees every
event the instant it happened: model latency with --feed-latency and a constant --latency in
botp backtest (feed-multiple latency would see 0).

Trading rules are not in the archives: give --exchange-info (saved GET /fapi/v1/exchangeInfo)
or --instrument, once per store; later imports find the instrument in the store.

Example:
  botp import binance-vision BTCUSDT-aggTrades-2024-01-0*.zip BTCUSDT-bookTicker-2024-01-01.zip \\
    --db btc.duckdb --exchange-info exchangeInfo.json --feed-latency 5000
`;

const binanceVisionFlagsSchema = z.object({
  db: z.string().min(1),
  kind: archiveKindSchema.optional(),
  symbol: z.string().trim().min(1).optional(),
  exchange: z.string().trim().min(1).default('binance-futures'),
  feedLatency: z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number of µs (e.g. 5000 for 5 ms)' })
    .transform(Number)
    .optional(),
});

function registerBinanceVision(cmd: Command): void {
  const sub = cmd
    .command('binance-vision')
    .description('import data.binance.vision USD-M futures archives (aggTrades, trades, bookTicker)')
    .argument('<files...>', 'archives: .zip holding one CSV, or the .csv')
    .requiredOption('--db <file.duckdb>', 'tick store to import into (created if absent)')
    .option('--kind <kind>', 'aggTrades | trades | bookTicker | bookDepth (default: from the file name)')
    .option('--symbol <symbol>', 'symbol of every file (default: from the file name)')
    .option('--exchange <id>', 'exchange id to store the rows under', 'binance-futures')
    .option('--feed-latency <µs>', 'added to the exchange time to make local_ts (default 0: see below)');
  addInstrumentOptions(sub)
    .addHelpText('after', BINANCE_VISION_HELP)
    .action(async (files: string[], raw: Record<string, unknown>) => {
      const flags = parseFlags(binanceVisionFlagsSchema, raw);
      const resolver = FlagInstrumentResolver.fromFlags(raw as InstrumentFlagValues);
      const results = await importFiles(files, flags.db, (file, writer, onProgress) =>
        importBinanceVisionFile(file, writer, {
          exchange: flags.exchange,
          ...(flags.kind ? { kind: flags.kind } : {}),
          ...(flags.symbol ? { symbol: flags.symbol } : {}),
          feedLatencyUs: flags.feedLatency ?? 0,
          resolver,
          ...(onProgress ? { onProgress } : {}),
        }),
      );
      if (results.every((r) => r.status === 'unsupported')) {
        throw new UserError(
          `nothing imported: ${files.length === 1 ? 'the file is' : 'all files are'} bookDepth, which botp does not import (see botp import binance-vision --help)`,
        );
      }
      if (flags.feedLatency === undefined && results.some((r) => r.status === 'imported')) {
        process.stderr.write(
          'botp: warning: binance-vision archives hold exchange time only, so local_ts = exch_ts (no feed latency) and the strategy sees each event the instant it happened; pass --feed-latency <µs> and model order latency with a constant --latency in botp backtest\n',
        );
      }
    });
}

// ---------------------------------------------------------------------------------------------
// tardis

const TARDIS_HELP = `
Reads tardis.dev CSV datasets (.csv.gz or .csv), told apart by their header row:

  trades               -> trades         (side unknown: skipped)
  incremental_book_L2  -> depth          (consecutive rows with the same timestamps are one
                                          message; a run of is_snapshot rows is a snapshot that
                                          replaces the book; rows before a symbol's first
                                          snapshot are skipped. tardis has no update ids, so
                                          messages get seq 1, 2, 3... per symbol, prev_seq = seq-1)
  book_snapshot_25     -> depth          (each row is a snapshot of the top 25 levels a side
                                          that replaces the whole book)
  quotes, book_ticker  -> book_ticker
  derivative_ticker    -> mark_price     (mark_price, index_price, funding_rate,
                                          funding_timestamp -> next_funding_ts, when present and
                                          changed) and open_interest (when present and changed)

exch_ts = timestamp, local_ts = local_timestamp (tardis' receive time: real feed latency).
Exchange ids and symbols are taken from the rows (binance-futures, BTCUSDT, ...); their
instruments come from --exchange-info (binance-futures), --instrument, or the store.

Example:
  botp import tardis binance-futures_incremental_book_L2_2024-01-01_BTCUSDT.csv.gz \\
    binance-futures_trades_2024-01-01_BTCUSDT.csv.gz --db btc.duckdb --exchange-info exchangeInfo.json
`;

const tardisFlagsSchema = z.object({ db: z.string().min(1) });

function registerTardis(cmd: Command): void {
  const sub = cmd
    .command('tardis')
    .description(
      'import tardis.dev CSV datasets (trades, incremental_book_L2, book_snapshot_25, quotes, derivative_ticker)',
    )
    .argument('<files...>', 'datasets: .csv.gz or .csv')
    .requiredOption('--db <file.duckdb>', 'tick store to import into (created if absent)');
  addInstrumentOptions(sub)
    .addHelpText('after', TARDIS_HELP)
    .action(async (files: string[], raw: Record<string, unknown>) => {
      const flags = parseFlags(tardisFlagsSchema, raw);
      const resolver = FlagInstrumentResolver.fromFlags(raw as InstrumentFlagValues);
      await importFiles(files, flags.db, (file, writer, onProgress) =>
        importTardisFile(file, writer, { resolver, ...(onProgress ? { onProgress } : {}) }),
      );
    });
}

// ---------------------------------------------------------------------------------------------
// raw

const RAW_HELP = `
Reads raw captures of exchange WebSocket messages (plain, .gz or a .zip of one file), one
message per line, each prefixed by the time it was received:

  1700000000.123456 {"stream":"btcusdt@aggTrade","data":{"e":"aggTrade",...}}
  2023-11-14T22:13:20.1234567Z: {"e":"depthUpdate",...}

The time (unix seconds with a fraction, or ISO-8601; no zone means UTC; an optional colon
after it) becomes local_ts; exch_ts is the message's matching-engine time. Frames are parsed
by the live adapter's parser (binance-futures: aggTrade, trade, bookTicker, markPriceUpdate,
depthUpdate; combined-stream envelopes or raw frames):

  aggTrade, trade   -> trades        (m = buyer is maker: the aggressor sold, side -1)
  bookTicker        -> book_ticker   (seq = u)
  markPriceUpdate   -> mark_price
  depthUpdate       -> depth         (seq = u, prev_seq = pu), from a REST snapshot on
  {"stream":"btcusdt@depthSnapshot","data":<GET /fapi/v1/depth body>}     -> depth snapshot
  {"stream":"btcusdt@openInterest","data":<GET /fapi/v1/openInterest body>} -> open_interest

Depth follows Binance's local-book procedure: diffs before a symbol's first snapshot line,
and diffs a snapshot already holds, are not imported; a break of the pu chain is recorded
in gaps and diffs wait for the next snapshot. A capture without snapshot lines imports no
depth (the import says so). Acks, error frames and other event types are skipped and counted.

Example:
  botp import raw capture-2024-01-01.log.gz --exchange binance-futures --db btc.duckdb \\
    --exchange-info exchangeInfo.json
`;

const rawFlagsSchema = z.object({
  db: z.string().min(1),
  exchange: z.enum(RAW_EXCHANGES as [string, ...string[]], {
    error: `raw captures can be read for ${RAW_EXCHANGES.join(', ')} only`,
  }),
});

function registerRaw(cmd: Command): void {
  const sub = cmd
    .command('raw')
    .description('import raw WebSocket captures: one "<receive time> <message>" per line (binance-futures)')
    .argument('<files...>', 'captures: plain text, .gz, or a .zip holding one file')
    .requiredOption('--exchange <id>', `whose wire format the messages are in (${RAW_EXCHANGES.join(', ')})`)
    .requiredOption('--db <file.duckdb>', 'tick store to import into (created if absent)');
  addInstrumentOptions(sub)
    .addHelpText('after', RAW_HELP)
    .action(async (files: string[], raw: Record<string, unknown>) => {
      const flags = parseFlags(rawFlagsSchema, raw);
      const resolver = FlagInstrumentResolver.fromFlags(raw as InstrumentFlagValues);
      await importFiles(files, flags.db, (file, writer, onProgress) =>
        importRawFile(file, writer, {
          exchange: flags.exchange,
          resolver,
          ...(onProgress ? { onProgress } : {}),
        }),
      );
    });
}

// ---------------------------------------------------------------------------------------------
// shared by the importers of files

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
function printRows(rows: Partial<Record<string, number>>): void {
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
function parseFlags<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag =
    issue?.path[0] === undefined
      ? ''
      : `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
  throw new UserError(`${flag}${issue?.message ?? 'invalid flags'}; see botp import --help`);
}
