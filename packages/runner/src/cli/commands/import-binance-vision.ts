import type { Command } from 'commander';
import { z } from 'zod';
import { archiveKindSchema } from '../../data/importers/binance-vision/archive-kind.js';
import { importBinanceVisionFile } from '../../data/importers/binance-vision/import-binance-vision.js';
import {
  addInstrumentOptions,
  FlagInstrumentResolver,
  type InstrumentFlagValues,
} from '../instrument-flags.js';
import { UserError } from '../user-error.js';
import { importFiles, parseFlags } from './import-files.js';

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

export function registerImportBinanceVision(cmd: Command): void {
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
