import { relative, resolve } from 'node:path';
import { BinanceFuturesExchange } from '@botplatform/exchanges';
import { type Exchange, parseParams } from '@botplatform/sdk';
import { parseFillMode, parseLatencySpec, parseQueueSpec } from '@botplatform/sim';
import type { Command } from 'commander';
import { WallClock } from '../../kernel/clock.js';
import { BinanceLiveVenue } from '../../live/binance-venue.js';
import { type LiveFlags, resolveLiveSettings } from '../../live/live-settings.js';
import { PaperVenue } from '../../live/paper-venue.js';
import { runLive } from '../../live/run-live.js';
import { loadStrategy } from '../../loader/load-strategy.js';
import { renderReport } from '../../report/render-report.js';
import { createLogger } from '../logger.js';
import { loadRunConfig } from '../run-config.js';
import { defaultRunDir } from '../run-dir.js';
import { formatSummaryTable } from '../summary-table.js';
import { UserError } from '../user-error.js';

interface LiveCommandFlags extends LiveFlags {
  config?: string;
  out?: string;
  report: boolean;
  json?: boolean;
  logLevel: string;
}

export function registerLiveCommand(program: Command): void {
  program
    .command('live')
    .description('run a strategy on an exchange in real time (--paper: live market data, simulated fills)')
    .argument('[strategy]', 'strategy module (.ts or .js); default: the config\'s "strategy"')
    .option('--exchange <id>', 'exchange to trade on: binance-futures', 'binance-futures')
    .option('--symbol <symbols>', 'symbol or comma-separated symbols (or "symbols" in the config)')
    .option(
      '--paper',
      'paper trading: live market data, orders filled by the simulated exchange (no API keys)',
    )
    .option('--testnet', "the exchange's testnet endpoints")
    .option('--rest-url <url>', 'REST base URL (default: the exchange’s, or its testnet’s)')
    .option('--ws-url <url>', 'market and user stream base URL')
    .option('--ws-api-url <url>', 'WebSocket API URL (orders)')
    .option(
      '--state <file.duckdb>',
      'the bot’s state file: created on the first run, resumed from after a restart',
    )
    .option(
      '--config <file>',
      'run config (botp.config.json or .ts; default: one of those in the working directory)',
    )
    .option(
      '--params <json|@file>',
      'strategy params as JSON or @file.json (merged over the config\'s "params")',
    )
    .option(
      '--latency <model>',
      'with --paper: order latency, as in botp backtest (default constant:10000:10000)',
    )
    .option('--queue <model>', 'with --paper: queue position model (default risk-averse)')
    .option('--fills <mode>', 'with --paper: partial (default) or full')
    .option(
      '--keep-orders-on-exit',
      'leave open orders at the exchange on Ctrl-C (the next start adopts them)',
    )
    .option('--stop-timeout <ms>', 'on Ctrl-C, how long to wait for cancels to be answered', '5000')
    .option('--capital <quote>', 'capital for return and drawdown % (default: the largest exposure held)')
    .option('--out <dir>', 'run folder written on exit (default: runs/<strategy>-live-<UTC timestamp>)')
    .option('--no-report', 'do not render report.html')
    .option('--json', 'print the summary as JSON on stdout instead of a table')
    .option('--log-level <level>', 'log level on stderr (JSON lines)', 'info')
    .addHelpText('after', liveHelp())
    .action(async (strategyArg: string | undefined, flags: LiveCommandFlags) => {
      const loaded = await loadRunConfig(flags.config);
      const s = resolveLiveSettings(strategyArg, flags, loaded);
      const def = await loadStrategy(s.strategyPath);
      const parsed = parseParams(def, s.params);
      if (!parsed.ok) throw new UserError(`params for strategy ${def.name} are invalid: ${parsed.message}`);
      const logger = createLogger(flags.logLevel);
      const clock = new WallClock();

      // Keys only from the environment, never from flags or files, and never logged.
      const apiKey = process.env.BINANCE_API_KEY;
      const apiSecret = process.env.BINANCE_API_SECRET;
      if (!s.paper && !(apiKey && apiSecret))
        throw new UserError(
          'real trading needs BINANCE_API_KEY and BINANCE_API_SECRET in the environment (or --paper: live data, simulated fills, no keys)',
        );
      const adapter = new BinanceFuturesExchange({
        testnet: s.testnet,
        ...s.endpoints,
        ...(s.paper ? {} : { apiKey, apiSecret }),
        logger: logger.child({ component: 'binance' }),
      });
      const source = new BinanceLiveVenue(adapter);
      const venue: Exchange = s.paper
        ? new PaperVenue({
            source,
            latency: parseLatencySpec(s.models.latency),
            queue: parseQueueSpec(s.models.queue),
            fills: parseFillMode(s.models.fills),
            clock,
          })
        : source;

      const outDir = flags.out ?? defaultRunDir(loaded, `${def.name}-live`);
      const mode = s.paper ? 'paper' : s.testnet ? 'testnet' : 'REAL MONEY';
      const result = await runLive({
        strategy: def,
        params: parsed.params,
        venue,
        exchange: s.exchange,
        symbols: s.symbols,
        statePath: s.statePath,
        outDir,
        logger,
        clock,
        keepOrdersOnExit: s.keepOrdersOnExit,
        stopTimeoutMs: s.stopTimeoutMs,
        priceSampleUs: s.priceSampleUs,
        equitySampleUs: s.equitySampleUs,
        models: s.models,
        ...(s.risk ? { risk: s.risk } : {}),
        ...(s.capital !== undefined ? { capital: s.capital } : {}),
        meta: {
          strategy_path: resolve(s.strategyPath),
          argv: JSON.stringify(process.argv.slice(2)),
          config: JSON.stringify(s.config),
          endpoints: JSON.stringify(adapter.endpoints),
        },
        onStarted: ({ reconciliation: r }) => {
          const pos = r.positions.map((p) => `${p.symbol} ${p.qty}`).join(', ') || 'flat';
          process.stderr.write(
            `botp live: ${def.name} on ${s.exchange} (${mode}) ${s.symbols.join(',')}; state ${shown(s.statePath)}; position ${pos}; ${r.adopted.length} open order(s) adopted. Ctrl-C stops (${s.keepOrdersOnExit ? 'orders are kept' : 'open orders are canceled'}).\n`,
          );
        },
      });
      if (flags.report) await renderReport(outDir);
      const left = result.stop.openOrders;
      if (left.length > 0)
        process.stderr.write(
          `botp live: ${left.length} order(s) still open at the exchange (${left.map((o) => o.clientOrderId).join(', ')}); the next start with --state ${shown(s.statePath)} adopts them\n`,
        );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
        return;
      }
      process.stdout.write(`\n${formatSummaryTable(result.summary)}\n`);
      process.stdout.write(
        `\n  run folder ${shown(outDir)}: summary.json fills.csv orders.csv trades.csv equity.csv run.duckdb${flags.report ? ' report.html' : ''}\n`,
      );
    });
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? resolve(path) : rel;
}

function liveHelp(): string {
  return [
    '',
    'The same kernel as botp backtest, on the wall clock. Keys come from BINANCE_API_KEY and',
    'BINANCE_API_SECRET (never logged); --paper needs none. The state file keeps every order',
    'change, fill, the strategy snapshot (ctx.state and signals) and order_latency, flushed every',
    'second; a restart with the same --state restores the strategy, adopts this bot’s open orders,',
    'takes positions from the exchange and never reuses a client order id. A depth gap pauses new',
    'orders on that symbol until the book is resynced (reduce-only orders and cancels still go).',
    'Ctrl-C (SIGINT/SIGTERM): onStop, cancel open orders (unless --keep-orders-on-exit), wait for',
    'the answers (--stop-timeout), save the state and write the run folder, exit 0; a second',
    'Ctrl-C stops waiting. The run folder is a backtest’s: botp compare <live-run> <backtest-run>.',
    'Endpoints: flags, else BINANCE_REST_URL, BINANCE_WS_URL, BINANCE_WS_API_URL, BINANCE_TESTNET=1.',
  ].join('\n');
}
