import { describe, expect, it } from 'vitest';
import type { LoadedRunConfig } from '../cli/run-config.js';
import { type LiveFlags, resolveLiveSettings } from './live-settings.js';

const none: LoadedRunConfig = { config: {}, path: undefined, dir: '/work' };
const base: LiveFlags = { symbol: 'BTCUSDT', state: 's.duckdb' };
const resolve = (flags: LiveFlags, loaded = none) => resolveLiveSettings('s.ts', flags, loaded);

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
});
