import { isAbsolute, resolve } from 'node:path';
import type { RiskConfig } from '@botplatform/sdk';
import { latencySpecNeedsSamples, parseFillMode, parseLatencySpec, parseQueueSpec } from '@botplatform/sim';
import { z } from 'zod';
import { DEFAULT_EQUITY_SAMPLE_US, DEFAULT_PRICE_SAMPLE_US } from '../backtest/run-backtest.js';
import { DEFAULT_LATENCY, DEFAULT_QUEUE } from '../cli/backtest-settings.js';
import { endpointSource, withEndpointEnv } from '../cli/binance-endpoint-env.js';
import { readParams } from '../cli/parse-params.js';
import type { LoadedRunConfig } from '../cli/run-config.js';
import { UserError } from '../cli/user-error.js';
import { DEFAULT_STOP_TIMEOUT_MS } from './live-session.js';

/** Exchanges `botp live` can trade (OKX and BingX adapters come later). */
export const LIVE_EXCHANGES = ['binance-futures'] as const;

/** The flags of `botp live`, as commander hands them over. */
export interface LiveFlags {
  exchange?: string;
  symbol?: string;
  paper?: boolean;
  testnet?: boolean;
  restUrl?: string;
  wsUrl?: string;
  wsApiUrl?: string;
  state?: string;
  params?: string;
  latency?: string;
  queue?: string;
  fills?: string;
  keepOrdersOnExit?: boolean;
  stopTimeout?: string;
  capital?: string;
}

/** The message leaves out the name: the flag's, or the variable's it came from (see below). */
const url = (schemes: readonly string[]) =>
  z
    .string()
    .refine((s) => URL.canParse(s) && schemes.includes(new URL(s).protocol), {
      error: `must be a ${schemes.join(' or ')} URL`,
    })
    .optional();

const flagsSchema = z.object({
  exchange: z
    .string()
    .default('binance-futures')
    .refine((s) => (LIVE_EXCHANGES as readonly string[]).includes(s), {
      error: (i) =>
        `--exchange ${String(i.input)}: botp live trades ${LIVE_EXCHANGES.join(', ')} (OKX and BingX are not built yet)`,
    }),
  restUrl: url(['http:', 'https:']),
  wsUrl: url(['ws:', 'wss:']),
  wsApiUrl: url(['ws:', 'wss:']),
  stopTimeout: z.coerce
    .number({ error: '--stop-timeout must be a whole number of milliseconds ≥ 0' })
    .int({ error: '--stop-timeout must be a whole number of milliseconds ≥ 0' })
    .min(0, { error: '--stop-timeout must be a whole number of milliseconds ≥ 0' })
    .default(DEFAULT_STOP_TIMEOUT_MS),
  capital: z.coerce
    .number()
    .positive({ error: '--capital must be a positive number (quote currency)' })
    .optional(),
});

/** Everything one live run needs, from the config file with the flags over it. */
export interface LiveSettings {
  readonly strategyPath: string;
  readonly exchange: (typeof LIVE_EXCHANGES)[number];
  readonly symbols: readonly string[];
  readonly paper: boolean;
  readonly testnet: boolean;
  readonly endpoints: { readonly restUrl?: string; readonly wsUrl?: string; readonly wsApiUrl?: string };
  readonly statePath: string;
  /** Raw params (config's with --params over them); the strategy's schema validates them. */
  readonly params: Record<string, unknown>;
  /** The paper venue's models (validated); recorded in the summary. */
  readonly models: { readonly latency: string; readonly queue: string; readonly fills: string };
  readonly risk?: RiskConfig;
  readonly capital?: number;
  readonly keepOrdersOnExit: boolean;
  readonly stopTimeoutMs: number;
  readonly priceSampleUs: number;
  readonly equitySampleUs: number;
  readonly config: unknown;
}

/**
 * The endpoint flags fall back to the environment as botp record's do: BINANCE_REST_URL,
 * BINANCE_WS_URL, BINANCE_WS_API_URL and BINANCE_TESTNET=1 (a flag wins).
 */
export function resolveLiveSettings(
  strategyArg: string | undefined,
  cliFlags: LiveFlags,
  loaded: LoadedRunConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): LiveSettings {
  const { flags, fromEnv } = withEndpointEnv(cliFlags, env, ['restUrl', 'wsUrl', 'wsApiUrl']);
  const c = loaded.config;
  const fromConfig = (p: string) => (isAbsolute(p) ? p : resolve(loaded.dir, p));
  const strategyPath = strategyArg ?? (c.strategy !== undefined ? fromConfig(c.strategy) : undefined);
  if (strategyPath === undefined)
    throw new UserError(
      'no strategy given; pass the strategy module (botp live <strategy.ts>) or set "strategy" in botp.config.json',
    );
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const isUrl = key === 'restUrl' || key === 'wsUrl' || key === 'wsApiUrl';
    throw new UserError(isUrl ? `${endpointSource(key, fromEnv)} ${issue.message}` : issue.message);
  }
  const f = parsed.data;
  const symbols =
    flags.symbol
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? c.symbols;
  if (symbols === undefined || symbols.length === 0)
    throw new UserError('no symbol given; pass --symbol BTCUSDT (or set "symbols" in botp.config.json)');
  if (flags.state === undefined)
    throw new UserError(
      '--state <file.duckdb> is required: the bot’s state file (created on the first run, resumed from after a restart)',
    );
  const flagParams = readParams(flags.params);
  if (flagParams === null || typeof flagParams !== 'object' || Array.isArray(flagParams))
    throw new UserError(`--params must be a JSON object, e.g. --params '{"levels":5}'`);
  const paper = flags.paper === true;
  const models = {
    latency: flags.latency ?? c.latency ?? DEFAULT_LATENCY,
    queue: flags.queue ?? c.queue ?? DEFAULT_QUEUE,
    fills: flags.fills ?? c.fills ?? 'partial',
  };
  if (paper) checkModels(models);
  else if (flags.latency !== undefined || flags.queue !== undefined || flags.fills !== undefined)
    throw new UserError('--latency, --queue and --fills model a simulated exchange: use them with --paper');
  return {
    strategyPath,
    exchange: f.exchange as LiveSettings['exchange'],
    symbols,
    paper,
    testnet: flags.testnet === true,
    endpoints: {
      ...(f.restUrl !== undefined ? { restUrl: f.restUrl } : {}),
      ...(f.wsUrl !== undefined ? { wsUrl: f.wsUrl } : {}),
      ...(f.wsApiUrl !== undefined ? { wsApiUrl: f.wsApiUrl } : {}),
    },
    statePath: resolve(flags.state),
    params: { ...(c.params ?? {}), ...(flagParams as Record<string, unknown>) },
    models: paper ? models : { latency: 'live', queue: 'live', fills: 'live' },
    ...(c.risk ? { risk: c.risk } : {}),
    ...(f.capital !== undefined
      ? { capital: f.capital }
      : c.capital !== undefined
        ? { capital: c.capital }
        : {}),
    keepOrdersOnExit: flags.keepOrdersOnExit === true,
    stopTimeoutMs: f.stopTimeout,
    priceSampleUs: c.sampling?.priceMs !== undefined ? c.sampling.priceMs * 1000 : DEFAULT_PRICE_SAMPLE_US,
    equitySampleUs:
      c.sampling?.equityMs !== undefined ? c.sampling.equityMs * 1000 : DEFAULT_EQUITY_SAMPLE_US,
    config: loaded.path !== undefined ? c : null,
  };
}

function checkModels(m: { latency: string; queue: string; fills: string }): void {
  if (latencySpecNeedsSamples(m.latency))
    throw new UserError(
      '--latency recorded replays a tick store’s order_latency, which a --paper run does not read; use constant:<us> or feed-multiple:…',
    );
  const check = (flag: string, fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      throw new UserError(`${flag}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  check('--latency', () => parseLatencySpec(m.latency));
  check('--queue', () => parseQueueSpec(m.queue));
  check('--fills', () => parseFillMode(m.fills));
}
