import type { Command } from 'commander';
import { z } from 'zod';
import { importRawFile, RAW_EXCHANGES } from '../../data/importers/raw/import-raw.js';
import {
  addInstrumentOptions,
  FlagInstrumentResolver,
  type InstrumentFlagValues,
} from '../instrument-flags.js';
import { importFiles, parseFlags } from './import-files.js';

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

export function registerImportRaw(cmd: Command): void {
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
