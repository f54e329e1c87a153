import type { Command } from 'commander';
import { z } from 'zod';
import { importTardisFile } from '../../data/importers/tardis/import-tardis.js';
import {
  addInstrumentOptions,
  FlagInstrumentResolver,
  type InstrumentFlagValues,
} from '../instrument-flags.js';
import { importFiles, parseFlags } from './import-files.js';

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

export function registerImportTardis(cmd: Command): void {
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
