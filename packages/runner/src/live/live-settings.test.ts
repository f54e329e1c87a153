import { describe, expect, it } from 'vitest';
import type { LoadedRunConfig } from '../cli/run-config.js';
import { parseRecordFlags } from '../record/record-flags.js';
import { type LiveFlags, resolveLiveSettings } from './live-settings.js';

const none: LoadedRunConfig = { config: {}, path: undefined, dir: '/work' };
const base: LiveFlags = { symbol: 'BTCUSDT', state: 's.duckdb' };
const resolve = (flags: LiveFlags, loaded = none, env: Record<string, string> = {}) =>
  resolveLiveSettings('s.ts', flags, loaded, env);

describe('resolveLiveSettings', () => {
  it('defaults: binance-futures, real money, 5 s stop timeout, models "live"', () => {
    const s = resolve(base);
    expect(s).toMatchObject({
      exchange: 'binance-futures',
      symbols: ['BTCUSDT'],
      paper: false,
      testnet: false,
      endpoints: {},
      keepOrdersOnExit: false,
      stopTimeoutMs: 5000,
      models: { latency: 'live', queue: 'live', fills: 'live' },
    });
    expect(s.statePath).toMatch(/\/s\.duckdb$/);
  });

  it('--paper takes the simulation models from the flags, then the config', () => {
    const loaded: LoadedRunConfig = {
      config: { queue: 'prob-power:3', symbols: ['ETHUSDT'] },
      path: '/c.json',
      dir: '/',
    };
    const s = resolveLiveSettings(
      's.ts',
      { state: 's.duckdb', paper: true, latency: 'constant:5000' },
      loaded,
      {},
    );
    expect(s.symbols).toEqual(['ETHUSDT']);
    expect(s.models).toEqual({ latency: 'constant:5000', queue: 'prob-power:3', fills: 'partial' });
  });

  it('refuses what it cannot run, in one line naming the fix', () => {
    const cases: Array<[LiveFlags, RegExp]> = [
      [{ ...base, exchange: 'okx-swap' }, /--exchange okx-swap: botp live trades binance-futures/],
      [{ ...base, symbol: undefined }, /no symbol given; pass --symbol BTCUSDT/],
      [{ ...base, state: undefined }, /--state <file\.duckdb> is required/],
      [{ ...base, restUrl: 'ftp://x' }, /--rest-url must be a http: or https: URL/],
      [{ ...base, wsUrl: 'http://x' }, /--ws-url must be a ws: or wss: URL/],
      [{ ...base, wsApiUrl: 'x' }, /--ws-api-url must be a ws: or wss: URL/],
      [{ ...base, stopTimeout: '-1' }, /--stop-timeout must be a whole number of milliseconds/],
      [{ ...base, stopTimeout: 'soon' }, /--stop-timeout must be a whole number of milliseconds/],
      [{ ...base, capital: '0' }, /--capital must be a positive number/],
      [{ ...base, latency: 'constant:1' }, /model a simulated exchange: use them with --paper/],
      [{ ...base, paper: true, latency: 'recorded' }, /--latency recorded replays a tick store/],
      [{ ...base, paper: true, queue: 'fifo' }, /--queue: unknown queue model/],
      [{ ...base, params: '[1]' }, /--params must be a JSON object/],
    ];
    for (const [flags, re] of cases) expect(() => resolve(flags), String(re)).toThrow(re);
  });

  it('endpoints fall back to BINANCE_REST_URL, BINANCE_WS_URL, BINANCE_WS_API_URL, BINANCE_TESTNET=1; flags win', () => {
    const env = {
      BINANCE_REST_URL: 'http://127.0.0.1:9000',
      BINANCE_WS_URL: 'ws://127.0.0.1:9000',
      BINANCE_WS_API_URL: 'ws://127.0.0.1:9000/ws-fapi/v1',
      BINANCE_TESTNET: '1',
    };
    expect(resolve(base, none, env)).toMatchObject({
      testnet: true,
      endpoints: {
        restUrl: 'http://127.0.0.1:9000',
        wsUrl: 'ws://127.0.0.1:9000',
        wsApiUrl: 'ws://127.0.0.1:9000/ws-fapi/v1',
      },
    });
    const flags = {
      ...base,
      restUrl: 'https://fapi.binance.com',
      wsApiUrl: 'wss://ws-fapi.binance.com/ws-fapi/v1',
    };
    expect(resolve({ ...flags, testnet: false }, none, env)).toMatchObject({
      testnet: false,
      endpoints: {
        restUrl: 'https://fapi.binance.com',
        wsUrl: 'ws://127.0.0.1:9000',
        wsApiUrl: 'wss://ws-fapi.binance.com/ws-fapi/v1',
      },
    });
    // Empty variables, or BINANCE_TESTNET=0, are as good as unset.
    expect(resolve(base, none, { BINANCE_REST_URL: '', BINANCE_TESTNET: '0' })).toMatchObject({
      testnet: false,
      endpoints: {},
    });
    expect(resolve(base, none, { BINANCE_TESTNET: 'true' }).testnet).toBe(true);
  });

  it('a bad URL from the environment is named by its variable', () => {
    expect(() => resolve(base, none, { BINANCE_WS_API_URL: 'https://x' })).toThrow(
      /^BINANCE_WS_API_URL must be a ws: or wss: URL$/,
    );
    expect(() => resolve(base, none, { BINANCE_REST_URL: 'fapi.binance.com' })).toThrow(
      /^BINANCE_REST_URL must be a http: or https: URL$/,
    );
    // The flag, when one overrides a bad variable, is what is checked.
    expect(resolve({ ...base, wsUrl: 'ws://ok' }, none, { BINANCE_WS_URL: 'x' }).endpoints.wsUrl).toBe(
      'ws://ok',
    );
  });

  it('reads the environment as botp record does', () => {
    const envs: Record<string, string>[] = [
      {},
      { BINANCE_TESTNET: 'yes', BINANCE_WS_URL: 'wss://fstream.binancefuture.com' },
      { BINANCE_REST_URL: 'http://127.0.0.1:1', BINANCE_WS_URL: 'ws://127.0.0.1:1', BINANCE_TESTNET: '1' },
    ];
    for (const env of envs) {
      const live = resolve(base, none, env);
      const rec = parseRecordFlags(
        { exchange: 'binance-futures', symbol: 'BTCUSDT', streams: 'trade', db: 'x.duckdb' },
        env,
      );
      expect({ restUrl: live.endpoints.restUrl, wsUrl: live.endpoints.wsUrl, testnet: live.testnet }).toEqual(
        {
          restUrl: rec.restUrl,
          wsUrl: rec.wsUrl,
          testnet: rec.testnet,
        },
      );
    }
  });
});
