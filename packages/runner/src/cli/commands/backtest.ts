import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Fill, formatMicros, parseParams } from '@botplatform/sdk';
import { FILLS_HELP, LATENCY_HELP, QUEUE_HELP } from '@botplatform/sim';
import type { Command } from 'commander';
import { FillsCsvWriter } from '../../backtest/fills-csv-writer.js';
import { runBacktest } from '../../backtest/run-backtest.js';
import { loadStrategy } from '../../loader/load-strategy.js';
import { createLogger } from '../logger.js';
import { readParams } from '../parse-params.js';
import { parseTime } from '../parse-time.js';
import { createProgress } from '../progress.js';
import { readRunConfig } from '../run-config.js';
import { formatSummaryTable } from '../summary-table.js';
import { UserError } from '../user-error.js';

export const DEFAULT_LATENCY = 'constant:10000:10000';
export const DEFAULT_QUEUE = 'risk-averse';

interface BacktestFlags {
  data: string;
  symbol?: string;
  from?: string;
  to?: string;
  params?: string;
  latency: string;
  queue: string;
  fills: string;
  config?: string;
  out?: string;
  json?: boolean;
  progress: boolean;
  logLevel: string;
}

export function registerBacktestCommand(program: Command): void {
  program
    .command('backtest')
    .description('replay recorded ticks through a strategy against the simulated exchange')
    .argument('<strategy>', 'strategy module (.ts or .js) that default-exports defineStrategy({...})')
    .requiredOption('--data <db>', 'tick store (DuckDB file) to replay')
    .option('--symbol <symbols>', 'symbol or comma-separated symbols (default: all in the file)')
    .option('--from <time>', 'start, ISO-8601 or µs since epoch (default: start of data)')
    .option('--to <time>', 'end, exclusive, ISO-8601 or µs since epoch (default: end of data)')
    .option('--params <json|@file>', 'strategy params as JSON or @file.json')
    .option('--config <file>', 'run config (JSON): risk limits; see the README')
    .option(
      '--latency <model>',
      'order latency: constant:…, feed-multiple:…, recorded (see Models)',
      DEFAULT_LATENCY,
    )
    .option(
      '--queue <model>',
      'queue position: risk-averse, prob-power:<n>, prob-log (see Models)',
      DEFAULT_QUEUE,
    )
    .option('--fills <mode>', 'resting-order fills: partial or full (see Models)', 'partial')
    .option('--out <dir>', 'write summary.json and fills.csv to this folder')
    .option('--json', 'print the summary as JSON on stdout instead of a table')
    .option('--no-progress', 'no progress bar')
    .option('--log-level <level>', 'strategy and engine log level on stderr', 'warn')
    .addHelpText('after', modelsHelp())
    .action(async (strategyPath: string, flags: BacktestFlags) => {
      const config = readRunConfig(flags.config);
      const def = await loadStrategy(strategyPath);
      const parsed = parseParams(def, readParams(flags.params));
      if (!parsed.ok) throw new UserError(`params for strategy ${def.name} are invalid: ${parsed.message}`);
      const symbols = flags.symbol
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const fromTs = flags.from !== undefined ? parseTime('--from', flags.from) : undefined;
      const toTs = flags.to !== undefined ? parseTime('--to', flags.to) : undefined;
      if (fromTs !== undefined && toTs !== undefined && toTs <= fromTs) {
        throw new UserError(
          `--to ${flags.to} is not after --from ${flags.from}; give an end later than the start`,
        );
      }
      const logger = createLogger(flags.logLevel);
      const progress = createProgress(flags.progress && !flags.json);
      let result: Awaited<ReturnType<typeof runBacktest>>;
      if (flags.out) mkdirSync(flags.out, { recursive: true });
      const fillsCsv = flags.out ? new FillsCsvWriter(join(flags.out, 'fills.csv')) : undefined;
      try {
        result = await runBacktest({
          strategy: def,
          params: parsed.params,
          dataPath: flags.data,
          ...(symbols ? { symbols } : {}),
          ...(fromTs !== undefined ? { fromTs } : {}),
          ...(toTs !== undefined ? { toTs } : {}),
          latency: flags.latency,
          queue: flags.queue,
          fills: flags.fills,
          ...(config.risk ? { risk: config.risk } : {}),
          logger,
          keepFills: false,
          ...(fillsCsv ? { onFill: (f: Fill) => fillsCsv.write(f) } : {}),
          onStart: (total) => progress.start(total),
          onProgress: (done) => progress.update(done),
        });
      } finally {
        progress.stop();
        fillsCsv?.close();
      }
      const { summary, gaps } = result;
      const first = gaps[0];
      if (first) {
        const where = Number.isNaN(first.bookSeq)
          ? 'a depth diff before any snapshot'
          : `prevSeq ${first.prevSeq} after seq ${first.bookSeq}`;
        process.stderr.write(
          `botp: warning: ${summary.depth_gaps} depth gap(s) in ${flags.data} (first: ${first.symbol} at ${formatMicros(first.localTs)}, ${where}); the local book is wrong from each gap until the next snapshot — results near them are not trustworthy\n`,
        );
      }
      if (flags.out) writeFileSync(join(flags.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        process.stdout.write(`\n${formatSummaryTable(summary)}\n`);
        if (flags.out)
          process.stdout.write(
            `\n  wrote ${join(flags.out, 'summary.json')} and ${join(flags.out, 'fills.csv')}\n`,
          );
      }
    });
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
