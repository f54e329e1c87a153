import type { Command } from 'commander';
import { TickStoreWriter } from '../../data/tick-store-writer.js';
import { binanceRecordSource } from '../../record/binance-record-source.js';
import {
  DEFAULT_STREAMS,
  OPEN_INTEREST_EVERY_US,
  parseRecordFlags,
  RECORD_ENV,
  RECORD_STREAMS,
} from '../../record/record-flags.js';
import { createRecordStatus, formatSummary } from '../../record/record-status.js';
import { Recorder } from '../../record/recorder.js';
import { stopOnSignals } from '../../record/stop-on-signals.js';
import { createLogger } from '../logger.js';

const RECORD_HELP = `
Captures Binance USD-M futures market streams into a tick store, the format backtests read:

  depth         -> depth          diff depth @100ms, with a REST snapshot at the start and after
                                  every resync (the book is kept in sync per Binance's procedure)
  trade         -> trades         aggTrade
  bookTicker    -> book_ticker
  markPrice     -> mark_price     @1s, with funding rate and next funding time
  openInterest  -> open_interest  GET /fapi/v1/openInterest every ${OPEN_INTEREST_EVERY_US / 1_000_000} s (not by default)

Every message keeps both clocks: exch_ts (exchange time) and local_ts (when it arrived here).
Lost data (a broken depth chain, a dropped connection) is written to gaps; the adapter
reconnects and resyncs on its own and recording goes on. Rows are flushed at least every
second, so a killed process loses at most the last one; Ctrl-C (SIGINT) or SIGTERM stops
cleanly, a second one exits at once. The file may already hold data: new rows are added and
the time between the earlier data and this recording is marked in gaps.

Endpoints: mainnet by default; --testnet, or --rest-url / --ws-url (a stream host such as
wss://fstream.binance.com: /public and /market are appended unless --testnet). Environment:
${RECORD_ENV.restUrl}, ${RECORD_ENV.wsUrl}, ${RECORD_ENV.testnet}=1 (flags win). No API key is needed.

While running: per-stream message rates on a status line (stderr, on a terminal) or a log
line every 10 s (otherwise).

Example:
  botp record --exchange binance-futures --symbol BTCUSDT,ETHUSDT --db btc.duckdb --duration 1h
  botp data verify btc.duckdb
`;

/** `botp record --exchange binance-futures --symbol … --db <file> [--duration 1h]`. */
export function registerRecordCommand(program: Command): void {
  program
    .command('record')
    .description('record exchange market streams (depth, trades, book ticker, mark price) into a tick store')
    .requiredOption('--exchange <id>', 'exchange to record: binance-futures')
    .requiredOption('--symbol <symbols>', 'comma-separated symbols, e.g. BTCUSDT,ETHUSDT')
    .option('--streams <streams>', `comma-separated: ${RECORD_STREAMS.join(', ')}`, DEFAULT_STREAMS)
    .requiredOption('--db <file.duckdb>', 'tick store to write (created if absent, appended to if not)')
    .option('--duration <duration>', 'stop after this long, e.g. 30s, 10m, 1h (default: until Ctrl-C)')
    .option('--rest-url <url>', `REST base (default https://fapi.binance.com; env ${RECORD_ENV.restUrl})`)
    .option('--ws-url <url>', `stream host (default wss://fstream.binance.com; env ${RECORD_ENV.wsUrl})`)
    .option('--testnet', `use Binance's futures testnet endpoints (env ${RECORD_ENV.testnet}=1)`)
    .option('--log-level <level>', 'adapter and recorder log level on stderr', 'info')
    .addHelpText('after', RECORD_HELP)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseRecordFlags(raw, process.env);
      const logger = createLogger(flags.logLevel);
      const want = new Set(flags.streams);
      const source = binanceRecordSource({
        testnet: flags.testnet,
        ...(flags.restUrl ? { restUrl: flags.restUrl } : {}),
        ...(flags.wsUrl ? { wsUrl: flags.wsUrl } : {}),
        streams: {
          depth: want.has('depth'),
          trade: want.has('trade'),
          bookTicker: want.has('bookTicker'),
          markPrice: want.has('markPrice'),
        },
        ...(want.has('openInterest') ? { openInterestEveryUs: OPEN_INTEREST_EVERY_US } : {}),
        logger,
      });
      const writer = await TickStoreWriter.open(flags.db);
      const recorder = new Recorder({
        source,
        writer,
        symbols: flags.symbol,
        ...(flags.duration !== undefined ? { durationUs: flags.duration } : {}),
        logger,
      });
      const status = createRecordStatus({ tty: process.stderr.isTTY === true, logger });
      const uninstall = stopOnSignals(
        () => void recorder.stop('signal'),
        (signal) => {
          status.stop();
          process.stderr.write(
            `botp: ${signal} again: exiting without closing ${flags.db}; rows flushed so far are kept (botp record into it again sorts it)\n`,
          );
          process.exit(130);
        },
      );
      status.update(recorder.stats());
      const ticker = setInterval(() => status.update(recorder.stats()), status.everyUs / 1000);
      try {
        await recorder.start();
        const summary = await recorder.done;
        status.stop();
        process.stdout.write(`${formatSummary(summary)}\n`);
      } finally {
        clearInterval(ticker);
        status.stop();
        uninstall();
      }
    });
}
