/**
 * The environment variables the Binance endpoint flags of `botp record` and `botp live` fall
 * back to; a flag given on the command line wins.
 */
export const BINANCE_ENDPOINT_ENV = {
  restUrl: 'BINANCE_REST_URL',
  wsUrl: 'BINANCE_WS_URL',
  wsApiUrl: 'BINANCE_WS_API_URL',
  testnet: 'BINANCE_TESTNET',
} as const;

export type EndpointUrlKey = 'restUrl' | 'wsUrl' | 'wsApiUrl';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `flags` with the endpoint flags it lacks taken from `env`: each URL in `urls` from its
 * variable when set and non-empty, `testnet` from BINANCE_TESTNET (1, true or yes). `fromEnv`
 * lists the URLs that came from the environment, so an error can name the variable.
 */
export function withEndpointEnv<F extends { testnet?: unknown } & Partial<Record<EndpointUrlKey, unknown>>>(
  flags: F,
  env: Env,
  urls: readonly EndpointUrlKey[],
): { flags: F; fromEnv: ReadonlySet<EndpointUrlKey> } {
  const out: F = { ...flags };
  const fromEnv = new Set<EndpointUrlKey>();
  for (const key of urls) {
    const value = env[BINANCE_ENDPOINT_ENV[key]];
    if (out[key] === undefined && value) {
      out[key] = value as F[EndpointUrlKey];
      fromEnv.add(key);
    }
  }
  if (out.testnet === undefined)
    out.testnet = /^(1|true|yes)$/i.test(env[BINANCE_ENDPOINT_ENV.testnet] ?? '');
  return { flags: out, fromEnv };
}

/** What to name in an error about `key`: its flag (`--ws-api-url`), or its variable if it came from there. */
export function endpointSource(key: string, fromEnv: ReadonlySet<string>): string {
  return fromEnv.has(key) && key in BINANCE_ENDPOINT_ENV
    ? BINANCE_ENDPOINT_ENV[key as keyof typeof BINANCE_ENDPOINT_ENV]
    : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
