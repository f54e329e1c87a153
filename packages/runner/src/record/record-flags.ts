import { z } from 'zod';
import { BINANCE_ENDPOINT_ENV, endpointSource, withEndpointEnv } from '../cli/binance-endpoint-env.js';
import { UserError } from '../cli/user-error.js';
import { parseDuration } from './parse-duration.js';

/** Exchanges `botp record` can capture. */
export const RECORD_EXCHANGES = ['binance-futures'] as const;

/** Streams `--streams` accepts; openInterest is polled over REST (every `OPEN_INTEREST_EVERY_US`). */
export const RECORD_STREAMS = ['depth', 'trade', 'bookTicker', 'markPrice', 'openInterest'] as const;
export type RecordStream = (typeof RECORD_STREAMS)[number];
export const DEFAULT_STREAMS = 'depth,trade,bookTicker,markPrice';
export const OPEN_INTEREST_EVERY_US = 10_000_000;

/** Environment variables the endpoint flags fall back to (as botp live's). */
export const RECORD_ENV = {
  restUrl: BINANCE_ENDPOINT_ENV.restUrl,
  wsUrl: BINANCE_ENDPOINT_ENV.wsUrl,
  testnet: BINANCE_ENDPOINT_ENV.testnet,
} as const;

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

const url = (protocols: readonly string[], example: string) =>
  z.string().refine(
    (s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL, e.g. ${example}` },
  );

export const recordFlagsSchema = z.object({
  exchange: z.enum(RECORD_EXCHANGES, { error: `botp record captures ${RECORD_EXCHANGES.join(', ')} only` }),
  symbol: z
    .string()
    .transform((s) => [...new Set(list(s).map((x) => x.toUpperCase()))])
    .pipe(
      z
        .array(z.string().regex(/^[A-Z0-9_]+$/, { error: 'symbols are letters and digits, e.g. BTCUSDT' }))
        .min(1, { error: 'name at least one symbol, e.g. BTCUSDT,ETHUSDT' }),
    ),
  streams: z
    .string()
    .transform((s) => [...new Set(list(s))])
    .pipe(
      z
        .array(z.enum(RECORD_STREAMS, { error: `streams are ${RECORD_STREAMS.join(', ')}` }))
        .min(1, { error: `name at least one of ${RECORD_STREAMS.join(', ')}` }),
    ),
  db: z.string().min(1),
  duration: z
    .string()
    .transform((s, ctx) => {
      const us = parseDuration(s);
      if (us === undefined)
        ctx.addIssue({ code: 'custom', message: 'is a duration such as 30s, 10m, 1h or 1h30m' });
      return us ?? 0;
    })
    .optional(),
  restUrl: url(['http:', 'https:'], 'https://fapi.binance.com').optional(),
  wsUrl: url(['ws:', 'wss:'], 'wss://fstream.binance.com').optional(),
  testnet: z.boolean().default(false),
  logLevel: z.string().default('info'),
});

export type RecordFlags = z.output<typeof recordFlagsSchema>;

/**
 * Validates commander's option values, the endpoint flags falling back to the environment
 * (`--rest-url` over BINANCE_REST_URL, `--ws-url` over BINANCE_WS_URL, `--testnet` over
 * BINANCE_TESTNET=1). The first problem becomes a one-line UserError naming the flag or variable.
 */
export function parseRecordFlags(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): RecordFlags {
  const { flags, fromEnv } = withEndpointEnv(raw, env, ['restUrl', 'wsUrl']);
  const parsed = recordFlagsSchema.safeParse(flags);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
  const name = key === undefined ? '' : `${endpointSource(key, fromEnv)} `;
  throw new UserError(`${name}${issue?.message ?? 'invalid flags'}; see botp record --help`);
}
