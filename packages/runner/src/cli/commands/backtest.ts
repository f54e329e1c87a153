import { join, relative, resolve } from 'node:path';
import { formatMicros } from '@botplatform/sdk';
import { FILLS_HELP, LATENCY_HELP, QUEUE_HELP } from '@botplatform/sim';
import type { Command } from 'commander';
import type { BacktestResult } from '../../backtest/run-backtest.js';
import { loadStrategy } from '../../loader/load-strategy.js';
import { renderReport } from '../../report/render-report.js';
import { executeRun } from '../../run-store/execute-run.js';
import { METRICS_HELP } from '../../run-store/run-metrics.js';
import {
  type BacktestFlags,
  DEFAULT_LATENCY,
  DEFAULT_QUEUE,
  resolveBacktestSettings,
} from '../backtest-settings.js';
import { createLogger } from '../logger.js';
import { createProgress } from '../progress.js';
import { loadRunConfig } from '../run-config.js';
import { defaultRunDir } from '../run-dir.js';
import { formatSummaryTable } from '../summary-table.js';
import { parseSweeps } from '../sweep/parse-sweep.js';
import { runSweep } from '../sweep/run-sweep.js';

interface BacktestCommandFlags extends BacktestFlags {
  config?: string;
  out?: string;
  sweep?: string[];
  workers?: string;
  report: boolean;
  json?: boolean;
  progress: boolean;
  logLevel: string;
}

export function registerBacktestCommand(program: Command): void {
  program
    .command('backtest')
    .description('replay recorded ticks through a strategy against the simulated exchange')
    .argument(
      '[strategy]',
      'strategy module (.ts or .js) that default-exports defineStrategy({...}); default: the config\'s "strategy"',
    )
    .option('--data <db>', 'tick store (DuckDB file) to replay (or "data" in the config)')
    .option('--symbol <symbols>', 'symbol or comma-separated symbols (default: all in the file)')
    .option('--from <time>', 'start, ISO-8601 or µs since epoch (default: start of data)')
    .option('--to <time>', 'end, exclusive, ISO-8601 or µs since epoch (default: end of data)')
    .option(
      '--params <json|@file>',
      'strategy params as JSON or @file.json (merged over the config\'s "params")',
    )
    .option(
      '--config <file>',
      'run config (botp.config.json or .ts; default: one of those in the working directory)',
    )
    .option(
      '--latency <model>',
      `order latency: constant:…, feed-multiple:…, recorded (default ${DEFAULT_LATENCY})`,
    )
    .option(
      '--queue <model>',
      `queue position: risk-averse, prob-power:<n>, prob-log (default ${DEFAULT_QUEUE})`,
    )
    .option('--fills <mode>', 'resting-order fills: partial (default) or full')
    .option('--capital <quote>', 'capital for return and drawdown % (default: the largest exposure held)')
    .option('--out <dir>', 'run folder (default: runs/<strategy>-<UTC timestamp>)')
    .option(
      '--sweep <param=values>',
      "parameter grid: 'p=1,2,3' or 'p=0.1:0.5:0.1' (from:to:step, inclusive); repeat for more params",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--workers <n>', 'worker threads for --sweep (default: one per core)')
    .option('--no-report', 'do not render report.html')
    .option('--json', 'print the summary as JSON on stdout instead of a table')
    .option('--no-progress', 'no progress bar')
    .option('--log-level <level>', 'strategy and engine log level on stderr', 'warn')
    .addHelpText('after', `${modelsHelp()}\n\n${METRICS_HELP}\n${outputHelp()}`)
    .action(async (strategyArg: string | undefined, flags: BacktestCommandFlags) => {
      const loaded = await loadRunConfig(flags.config);
      const settings = resolveBacktestSettings(strategyArg, flags, loaded);
      const def = await loadStrategy(settings.strategyPath);
      const outDir = flags.out ?? defaultRunDir(loaded, def.name);
      const argv = process.argv.slice(2);
      if (flags.sweep && flags.sweep.length > 0) {
        const grid = parseSweeps(flags.sweep);
        await runSweep({
          settings,
          grid,
          outDir,
          argv,
          logLevel: flags.logLevel,
          report: flags.report,
          json: flags.json === true,
          ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
        });
        return;
      }
      const logger = createLogger(flags.logLevel);
      const progress = createProgress(flags.progress && !flags.json);
      let result: BacktestResult;
      try {
        result = await executeRun({
          settings,
          strategy: def,
          outDir,
          logger,
          argv,
          onStart: (total) => progress.start(total),
          onProgress: (done) => progress.update(done),
        });
      } finally {
        progress.stop();
      }
      if (flags.report) await renderReport(outDir);
      warnGaps(result, settings.dataPath);
      const { summary } = result;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      process.stdout.write(`\n${formatSummaryTable(summary)}\n`);
      const rel = relative(process.cwd(), outDir);
      const shown = rel === '' ? '.' : rel.startsWith('..') ? resolve(outDir) : rel;
      process.stdout.write(
        `\n  run folder ${shown}: summary.json fills.csv orders.csv trades.csv equity.csv run.duckdb${flags.report ? ` ${join(shown, 'report.html')}` : ''}\n`,
      );
    });
}

function warnGaps(result: BacktestResult, dataPath: string): void {
  const { summary, gaps } = result;
  const first = gaps[0];
  if (!first) return;
  const where = Number.isNaN(first.bookSeq)
    ? 'a depth diff before any snapshot'
    : `prevSeq ${first.prevSeq} after seq ${first.bookSeq}`;
  process.stderr.write(
    `botp: warning: ${summary.depth_gaps} depth gap(s) in ${dataPath} (first: ${first.symbol} at ${formatMicros(first.localTs)}, ${where}); the local book is wrong from each gap until the next snapshot — results near them are not trustworthy\n`,
  );
}

/** The models' one-line formulas, from the sim package that implements them. */
function modelsHelp(): string {
  const indent = (lines: string) =>
    lines
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
  return [
    '',
    'Models (exchange time x, local time t; feedLatency = local_ts − exch_ts of the latest event):',
    '  --latency',
    indent(LATENCY_HELP),
    '  --queue',
    indent(QUEUE_HELP),
    '  --fills',
    indent(FILLS_HELP),
    "  Trades through an order's price and a quote crossing it fill it whole at its own price as maker;",
    '  IOC, FOK and market orders walk the book as taker; GTX that would cross is rejected (-5022).',
  ].join('\n');
}

function outputHelp(): string {
  return [
    '',
    'Run folder: summary.json (figures + metrics), fills.csv, orders.csv (each order with its state',
    'history), trades.csv (round trips with MAE/MFE), equity.csv, run.duckdb (all of these plus prices,',
    'positions, ctx.emit signals and run_meta: config, params, data fingerprint, code version), report.html.',
    'With --sweep: one run folder per grid point under --out, plus sweep.csv and the comparison table.',
  ].join('\n');
}
