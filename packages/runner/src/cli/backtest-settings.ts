import { isAbsolute, resolve } from 'node:path';
import type { Micros, RiskConfig } from '@botplatform/sdk';
import { DEFAULT_EQUITY_SAMPLE_US, DEFAULT_PRICE_SAMPLE_US } from '../backtest/run-backtest.js';
import { readParams } from './parse-params.js';
import { parseTime } from './parse-time.js';
import type { LoadedRunConfig } from './run-config.js';
import { UserError } from './user-error.js';

export const DEFAULT_LATENCY = 'constant:10000:10000';
export const DEFAULT_QUEUE = 'risk-averse';

/** The flags of `botp backtest` that a config file can also set. */
export interface BacktestFlags {
  data?: string;
  symbol?: string;
  from?: string;
  to?: string;
  params?: string;
  latency?: string;
  queue?: string;
  fills?: string;
  capital?: string;
}

/** Everything one backtest needs, from the config file with the flags over it. Plain data (goes to workers). */
export interface BacktestSettings {
  readonly strategyPath: string;
  readonly dataPath: string;
  readonly symbols?: readonly string[];
  readonly fromTs?: Micros;
  readonly toTs?: Micros;
  readonly latency: string;
  readonly queue: string;
  readonly fills: string;
  /** Raw params (config's, with --params merged over them); the strategy's schema validates them. */
  readonly params: Record<string, unknown>;
  readonly risk?: RiskConfig;
  readonly capital?: number;
  readonly priceSampleUs: Micros;
  readonly equitySampleUs: Micros;
  /** The config as loaded (recorded in the run's meta), or null without one. */
  readonly config: unknown;
}

export function resolveBacktestSettings(
  strategyArg: string | undefined,
  flags: BacktestFlags,
  loaded: LoadedRunConfig,
): BacktestSettings {
  const c = loaded.config;
  const fromConfig = (p: string) => (isAbsolute(p) ? p : resolve(loaded.dir, p));
  const strategyPath = strategyArg ?? (c.strategy !== undefined ? fromConfig(c.strategy) : undefined);
  if (strategyPath === undefined)
    throw new UserError(
      'no strategy given; pass the strategy module (botp backtest <strategy.ts>) or set "strategy" in botp.config.json',
    );
  const dataPath = flags.data ?? (c.data !== undefined ? fromConfig(c.data) : undefined);
  if (dataPath === undefined)
    throw new UserError('no data given; pass --data <file.duckdb> or set "data" in botp.config.json');
  const symbols =
    flags.symbol
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? c.symbols;
  const from = flags.from ?? (c.from !== undefined ? String(c.from) : undefined);
  const to = flags.to ?? (c.to !== undefined ? String(c.to) : undefined);
  const fromLabel = flags.from !== undefined ? '--from' : 'config "from"';
  const toLabel = flags.to !== undefined ? '--to' : 'config "to"';
  const fromTs = from !== undefined ? parseTime(fromLabel, from) : undefined;
  const toTs = to !== undefined ? parseTime(toLabel, to) : undefined;
  if (fromTs !== undefined && toTs !== undefined && toTs <= fromTs)
    throw new UserError(
      `${toLabel} ${to} is not after ${fromLabel} ${from}; give an end later than the start`,
    );
  const flagParams = readParams(flags.params);
  if (flagParams === null || typeof flagParams !== 'object' || Array.isArray(flagParams))
    throw new UserError(`--params must be a JSON object, e.g. --params '{"levels":5}'`);
  let capital = c.capital;
  if (flags.capital !== undefined) {
    capital = Number(flags.capital);
    if (!(capital > 0))
      throw new UserError(`--capital ${flags.capital} must be a positive number (quote currency)`);
  }
  return {
    strategyPath,
    dataPath,
    ...(symbols ? { symbols } : {}),
    ...(fromTs !== undefined ? { fromTs } : {}),
    ...(toTs !== undefined ? { toTs } : {}),
    latency: flags.latency ?? c.latency ?? DEFAULT_LATENCY,
    queue: flags.queue ?? c.queue ?? DEFAULT_QUEUE,
    fills: flags.fills ?? c.fills ?? 'partial',
    params: { ...(c.params ?? {}), ...(flagParams as Record<string, unknown>) },
    ...(c.risk ? { risk: c.risk } : {}),
    ...(capital !== undefined ? { capital } : {}),
    priceSampleUs: c.sampling?.priceMs !== undefined ? c.sampling.priceMs * 1000 : DEFAULT_PRICE_SAMPLE_US,
    equitySampleUs:
      c.sampling?.equityMs !== undefined ? c.sampling.equityMs * 1000 : DEFAULT_EQUITY_SAMPLE_US,
    config: loaded.path !== undefined ? c : null,
  };
}
