import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BTC,
  depth,
  ETH,
  FAULTS,
  T0,
  tempStores,
  ticker,
  trade,
  writeStore,
} from './inspect.test-support.js';
import { readStoreInfo, type StoreInfo } from './store-info.js';
import { verifyStore } from './verify-store.js';

const stores = tempStores('botp-info-');
afterAll(() => stores.cleanup());

/**
 * BTC: trades with feed latencies 1000, 2000, 4000 µs; depth: a 2-level snapshot (latency
 * 500), a diff (1500), a diff breaking the chain (2500); one book ticker (300). ETH: one trade.
 * Gaps: two on BTC depth, one on BTC trade. One import row.
 */
const EVENTS = [
  depth(BTC, T0 + 1_000, 500, 10, 9, true, [[100, 1]], [[100.1, 1]]),
  trade(BTC, T0 + 2_000, 1_000, 1),
  depth(BTC, T0 + 3_000, 1_500, 11, 10, false, [[100, 2]], []),
  trade(BTC, T0 + 4_000, 4_000, 2),
  ticker(BTC, T0 + 5_000, 300, 1, 100, 100.1),
  depth(BTC, T0 + 6_000, 2_500, 14, 13, false, [], [[100.1, 3]]),
  trade(BTC, T0 + 7_000, 2_000, 3),
  trade(ETH, T0 + 8_000, 700, 1),
];
const GAPS = [
  {
    exchange: BTC.exchange,
    symbol: 'BTCUSDT',
    stream: 'depth',
    fromTs: T0 + 100,
    toTs: T0 + 300,
    reason: 'reconnect',
  },
  {
    exchange: BTC.exchange,
    symbol: 'BTCUSDT',
    stream: 'depth',
    fromTs: T0 + 5_000,
    toTs: T0 + 5_500,
    reason: 'seq gap',
  },
  {
    exchange: BTC.exchange,
    symbol: 'BTCUSDT',
    stream: 'trade',
    fromTs: T0 + 200,
    toTs: T0 + 250,
    reason: 'reconnect',
  },
];

describe('readStoreInfo on a hand-built store', () => {
  let path: string;
  let info: StoreInfo;
  beforeAll(async () => {
    path = await writeStore(stores.path('known.duckdb'), {
      events: EVENTS,
      gaps: GAPS,
      sql: [
        "INSERT INTO imports VALUES ('abc', 4096, 'day1.jsonl', 12, TIMESTAMP '2024-01-02 03:04:05')",
        "INSERT INTO order_latency VALUES ('binance-futures', 'BTCUSDT', 1, 2, 3)",
      ],
    });
    info = await readStoreInfo(path);
  });

  it('gives the file figures, instruments and imports', () => {
    expect(info.fileBytes).toBe(statSync(path).size);
    expect(info.events).toBe(9); // 3 BTC trades, 4 depth level rows, 1 ticker, 1 ETH trade
    expect(info.markedUnsorted).toBe(false);
    expect(info.instruments).toEqual([BTC, ETH]);
    expect(info.imports).toEqual([
      { file: 'day1.jsonl', lines: 12, bytes: 4096, importedAt: '2024-01-02 03:04:05' },
    ]);
    expect(info.orderLatencySamples).toBe(1);
  });

  it('gives rows, messages, range, gaps and linearly interpolated latency percentiles per table', () => {
    const s = Object.fromEntries(info.streams.map((x) => [`${x.symbol} ${x.table}`, x]));
    expect(Object.keys(s)).toEqual([
      'BTCUSDT trades',
      'BTCUSDT depth',
      'BTCUSDT book_ticker',
      'ETHUSDT trades',
    ]);
    // Three samples: p = 2 × q ranks in, so p90 = 2000 + 0.8 × 2000.
    expect(s['BTCUSDT trades']).toEqual({
      exchange: BTC.exchange,
      symbol: 'BTCUSDT',
      sym: 0,
      table: 'trades',
      rows: 3,
      messages: null,
      firstTs: T0 + 2_000,
      lastTs: T0 + 7_000,
      latency: { p50: 2_000, p90: 3_600, p99: 3_960, max: 4_000 },
      recordedGaps: 1,
      chainBreaks: null,
    });
    // One latency sample per message (the snapshot's two rows count once).
    expect(s['BTCUSDT depth']).toMatchObject({
      rows: 4,
      messages: 3,
      firstTs: T0 + 1_000,
      lastTs: T0 + 6_000,
      latency: { p50: 1_500, p90: 2_300, p99: 2_480, max: 2_500 },
      recordedGaps: 2,
      chainBreaks: 1,
    });
    expect(s['BTCUSDT book_ticker']).toMatchObject({
      rows: 1,
      latency: { p50: 300, p90: 300, p99: 300, max: 300 },
      recordedGaps: 0,
    });
    expect(s['ETHUSDT trades']).toMatchObject({ rows: 1, firstTs: T0 + 8_000, lastTs: T0 + 8_000 });
  });

  it('sums the gaps table per symbol and stream', () => {
    expect(info.gaps).toEqual([
      {
        exchange: BTC.exchange,
        symbol: 'BTCUSDT',
        stream: 'depth',
        count: 2,
        totalUs: 700,
        firstFromTs: T0 + 100,
        lastToTs: T0 + 5_500,
        reasons: ['reconnect', 'seq gap'],
      },
      {
        exchange: BTC.exchange,
        symbol: 'BTCUSDT',
        stream: 'trade',
        count: 1,
        totalUs: 50,
        firstFromTs: T0 + 200,
        lastToTs: T0 + 250,
        reasons: ['reconnect'],
      },
    ]);
  });
});

describe('readStoreInfo depth-chain breaks', () => {
  it('agree with verify, symbol by symbol', async () => {
    const path = await writeStore(stores.path('faults.duckdb'), { events: FAULTS });
    const info = await readStoreInfo(path);
    const breaks = info.streams.filter((s) => s.table === 'depth').map((s) => [s.symbol, s.chainBreaks]);
    expect(breaks).toEqual([
      ['BTCUSDT', 1],
      ['ETHUSDT', 1],
    ]);
    const verify = await verifyStore(path);
    const seq = verify.checks.find((c) => c.id === 'depth-sequence');
    expect(seq?.count).toBe(2);
    expect(seq?.examples.map((e) => e.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
  });

  it('names events without an instrument by their sym', async () => {
    const path = await writeStore(stores.path('orphans.duckdb'), {
      events: [trade(BTC, T0 + 1_000, 100, 1), trade(ETH, T0 + 2_000, 100, 1)],
      sql: ["DELETE FROM instruments WHERE symbol = 'ETHUSDT'"],
    });
    const info = await readStoreInfo(path);
    expect(info.instruments).toEqual([BTC]);
    expect(info.streams.map((s) => [s.sym, s.symbol, s.table, s.rows])).toEqual([
      [0, 'BTCUSDT', 'trades', 1],
      [1, null, 'trades', 1],
    ]);
  });
});

describe('an empty store', () => {
  it('has no streams and verifies clean', async () => {
    const path = await writeStore(stores.path('empty.duckdb'), { events: [] });
    const info = await readStoreInfo(path);
    expect(info.events).toBe(0);
    expect(info.streams).toEqual([]);
    expect(info.instruments).toEqual([BTC, ETH]);
    const verify = await verifyStore(path);
    expect(verify.rows).toBe(0);
    expect(verify.problems).toBe(0);
  });
});
