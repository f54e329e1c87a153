import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseParams, type StrategyDefinition } from '@botplatform/sdk';
import type { Logger } from 'pino';
import { type BacktestResult, runBacktest } from '../backtest/run-backtest.js';
import type { BacktestSettings } from '../cli/backtest-settings.js';
import { UserError } from '../cli/user-error.js';
import { codeVersion } from './code-version.js';
import { dataFingerprint } from './data-fingerprint.js';
import { writeRunStore } from './write-run-store.js';

export interface ExecuteRunOptions {
  readonly settings: BacktestSettings;
  readonly strategy: StrategyDefinition;
  /** The run folder (created if absent). */
  readonly outDir: string;
  readonly logger: Logger;
  /** The command line, recorded in run_meta. */
  readonly argv: readonly string[];
  readonly onStart?: (totalRows: number) => void;
  readonly onProgress?: (rowsDone: number) => void;
}

/**
 * One backtest into one run folder: validates the params against the strategy's schema, runs,
 * and writes the run store with everything needed to trace the result to its inputs (config,
 * params, data fingerprint, code version, command line).
 */
export async function executeRun(opts: ExecuteRunOptions): Promise<BacktestResult> {
  const { settings: s, strategy: def } = opts;
  const parsed = parseParams(def, s.params);
  if (!parsed.ok) throw new UserError(`params for strategy ${def.name} are invalid: ${parsed.message}`);
  const startedAt = new Date().toISOString();
  const result = await runBacktest({
    strategy: def,
    params: parsed.params,
    dataPath: s.dataPath,
    ...(s.symbols ? { symbols: s.symbols } : {}),
    ...(s.fromTs !== undefined ? { fromTs: s.fromTs } : {}),
    ...(s.toTs !== undefined ? { toTs: s.toTs } : {}),
    latency: s.latency,
    queue: s.queue,
    fills: s.fills,
    ...(s.risk ? { risk: s.risk } : {}),
    ...(s.capital !== undefined ? { capital: s.capital } : {}),
    priceSampleUs: s.priceSampleUs,
    equitySampleUs: s.equitySampleUs,
    logger: opts.logger,
    keepFills: false,
    ...(opts.onStart ? { onStart: opts.onStart } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  mkdirSync(opts.outDir, { recursive: true });
  const { summary } = result;
  await writeRunStore(opts.outDir, summary, result.record, {
    strategy: def.name,
    strategy_path: resolve(s.strategyPath),
    started_at: startedAt,
    data_path: resolve(s.dataPath),
    data_fingerprint: await dataFingerprint(s.dataPath),
    code_version: codeVersion(),
    argv: JSON.stringify(opts.argv),
    config: JSON.stringify(s.config),
    params: JSON.stringify(parsed.params),
    models: JSON.stringify({ latency: s.latency, queue: s.queue, fills: s.fills }),
    summary: JSON.stringify(summary),
  });
  return result;
}
