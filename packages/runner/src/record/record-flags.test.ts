import { describe, expect, it } from 'vitest';
import { UserError } from '../cli/user-error.js';
import { DEFAULT_STREAMS, parseRecordFlags } from './record-flags.js';

const base = {
  exchange: 'binance-futures',
  symbol: 'btcusdt, ETHUSDT,btcusdt',
  streams: DEFAULT_STREAMS,
  db: 'x.duckdb',
};

const error = (raw: Record<string, unknown>, env: Record<string, string> = {}): string => {
  try {
    parseRecordFlags(raw, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
};

describe('parseRecordFlags', () => {
  it('normalizes symbols and streams and reads the duration', () => {
    const f = parseRecordFlags({ ...base, streams: 'trade,depth,trade', duration: '1h30m' }, {});
    expect(f.symbol).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(f.streams).toEqual(['trade', 'depth']);
    expect(f.duration).toBe(5_400_000_000);
    expect(f.testnet).toBe(false);
    expect(f.restUrl).toBeUndefined();
    expect(f.logLevel).toBe('info');
  });

  it('takes endpoints from the environment unless a flag gives them', () => {
    const env = {
      BINANCE_REST_URL: 'http://127.0.0.1:9000',
      BINANCE_WS_URL: 'ws://127.0.0.1:9000',
      BINANCE_TESTNET: '1',
    };
    const f = parseRecordFlags(base, env);
    expect([f.restUrl, f.wsUrl, f.testnet]).toEqual(['http://127.0.0.1:9000', 'ws://127.0.0.1:9000', true]);
    const g = parseRecordFlags({ ...base, restUrl: 'https://fapi.binance.com', testnet: false }, env);
    expect([g.restUrl, g.wsUrl, g.testnet]).toEqual([
      'https://fapi.binance.com',
      'ws://127.0.0.1:9000',
      false,
    ]);
  });

  it('names the flag or variable at fault and the fix in one line', () => {
    expect(error({ ...base, exchange: 'okx' })).toBe(
      '--exchange botp record captures binance-futures only; see botp record --help',
    );
    expect(error({ ...base, symbol: ' , ' })).toBe(
      '--symbol name at least one symbol, e.g. BTCUSDT,ETHUSDT; see botp record --help',
    );
    expect(error({ ...base, symbol: 'BTC-USDT' })).toContain('--symbol symbols are letters and digits');
    expect(error({ ...base, streams: 'depth,ticker' })).toBe(
      '--streams streams are depth, trade, bookTicker, markPrice, openInterest; see botp record --help',
    );
    expect(error({ ...base, duration: '10' })).toBe(
      '--duration is a duration such as 30s, 10m, 1h or 1h30m; see botp record --help',
    );
    expect(error({ ...base, wsUrl: 'https://x' })).toBe(
      '--ws-url must be a ws:// or wss:// URL, e.g. wss://fstream.binance.com; see botp record --help',
    );
    expect(error(base, { BINANCE_REST_URL: 'fapi.binance.com' })).toBe(
      'BINANCE_REST_URL must be a http:// or https:// URL, e.g. https://fapi.binance.com; see botp record --help',
    );
  });
});
