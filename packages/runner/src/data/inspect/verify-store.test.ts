import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../cli/user-error.js';
import { writeSyntheticDataset } from '../synthetic/write-synthetic.js';
import type { CheckId, CheckResult } from './check-result.js';
import { BTC, depth, ETH, FAULTS, T0, tempStores, trade, writeStore } from './inspect.test-support.js';
import { type VerifyReport, verifyStore } from './verify-store.js';

const stores = tempStores('botp-verify-');
afterAll(() => stores.cleanup());

const check = (r: VerifyReport, id: CheckId): CheckResult => {
  const found = r.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const counts = (r: VerifyReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.count]));
const CLEAN = {
  'depth-sequence': 0,
  'crossed-book-ticker': 0,
  'crossed-depth-book': 0,
  'local-ts-order': 0,
  'unsorted-mark': 0,
  'exch-ts-within-stream': 0,
  'exch-ts-across-streams': 0,
  'clock-skew': 0,
  'missing-instruments': 0,
};

describe('verifyStore on a store with one fault of each kind', () => {
  let report: VerifyReport;
  beforeAll(async () => {
    report = await verifyStore(await writeStore(stores.path('faults.duckdb'), { events: FAULTS }));
  });

  it('counts exactly the planted faults', () => {
    expect(report.rows).toBe(18);
    expect(counts(report)).toEqual({
      ...CLEAN,
      'depth-sequence': 2,
      'crossed-book-ticker': 1,
      'crossed-depth-book': 1,
      'exch-ts-within-stream': 1,
      'clock-skew': 1,
    });
    expect(report.problems).toBe(6);
    expect(report.checksRun).toBe(8);
  });

  it('names the broken depth chain first, then the diff before any snapshot', () => {
    expect(check(report, 'depth-sequence').examples).toEqual([
      {
        row: 5,
        localTs: T0 + 3_000,
        exchange: BTC.exchange,
        symbol: 'BTCUSDT',
        detail: "diff seq 13 has prev_seq 12, but the previous message's seq is 11",
      },
      {
        row: 14,
        localTs: T0 + 10_000,
        exchange: ETH.exchange,
        symbol: 'ETHUSDT',
        detail: 'diff seq 5 before any snapshot',
      },
    ]);
  });

  it('finds the crossed book ticker and the crossed local book', () => {
    expect(check(report, 'crossed-book-ticker').examples).toEqual([
      {
        row: 10,
        localTs: T0 + 6_000,
        exchange: BTC.exchange,
        symbol: 'BTCUSDT',
        detail: 'seq 1: bid 100.3 ≥ ask 100.2',
      },
    ]);
    expect(check(report, 'crossed-depth-book').examples).toEqual([
      {
        row: 6,
        localTs: T0 + 4_000,
        exchange: BTC.exchange,
        symbol: 'BTCUSDT',
        detail: 'after seq 14: best bid 100.2 ≥ best ask 100.1',
      },
    ]);
  });

  it('finds the clock skew and the exch_ts going back within the trade stream', () => {
    const [skew] = check(report, 'clock-skew').examples;
    expect(skew).toMatchObject({
      row: 12,
      localTs: T0 + 8_000,
      detail: 'trades local_ts is 1000 µs before exch_ts 1700000000009000',
    });
    const [back] = check(report, 'exch-ts-within-stream').examples;
    expect(back).toMatchObject({
      row: 13,
      localTs: T0 + 9_500,
      detail: "trades exch_ts 1700000000008500 is 500 µs before the stream's previous 1700000000009000",
    });
  });

  it('does not count the diff that bridges a REST snapshot as exch_ts going back', async () => {
    // As on Binance: the snapshot (exch_ts +50 ms) is answered while diffs flow; the diff that
    // bridges it was matched earlier (+40 ms), and the next one after (+60 ms).
    const path = await writeStore(stores.path('bridge.duckdb'), {
      instruments: [BTC],
      events: [
        depth(BTC, T0 + 10_000, 0, 100, 100, true, [[100, 1]], [[100.1, 1]]),
        depth(BTC, T0 + 60_000, 10_000, 200, 200, true, [[100, 2]], [[100.1, 1]]),
        depth(BTC, T0 + 60_100, 20_100, 201, 200, false, [[100, 3]], []),
        depth(BTC, T0 + 70_000, 10_000, 202, 201, false, [[100, 4]], []),
      ],
    });
    const r = await verifyStore(path, {});
    expect(check(r, 'exch-ts-within-stream').count).toBe(0);
  });

  it('keeps at most --max-examples offences but counts them all', async () => {
    const r = await verifyStore(stores.path('faults.duckdb'), { maxExamples: 1 });
    expect(check(r, 'depth-sequence').count).toBe(2);
    expect(check(r, 'depth-sequence').examples).toHaveLength(1);
    const none = await verifyStore(stores.path('faults.duckdb'), { maxExamples: 0 });
    expect(none.checks.every((c) => c.examples.length === 0)).toBe(true);
    expect(none.problems).toBe(6);
  });
});

describe('verifyStore on files that break the store promises', () => {
  it('finds a row out of local_ts order and the unsorted mark of an interrupted write', async () => {
    const path = await writeStore(stores.path('unsorted.duckdb'), {
      events: [trade(BTC, T0 + 1_000, 100, 1), trade(BTC, T0 + 2_000, 100, 2)],
      // Rows the writer did not see go back in time: appended as an interrupted writer leaves them.
      sql: [
        `INSERT INTO events VALUES (1, 0, ${T0 + 400}, ${T0 + 500}, 3, 0, 0, 1, 100, 1, 0, 0)`,
        "INSERT INTO meta VALUES ('events_unsorted', 'true')",
      ],
    });
    const r = await verifyStore(path);
    expect(counts(r)).toEqual({
      ...CLEAN,
      'local-ts-order': 1,
      'unsorted-mark': 1,
      'exch-ts-within-stream': 1,
    });
    expect(check(r, 'local-ts-order').examples).toEqual([
      {
        row: 2,
        localTs: T0 + 500,
        exchange: BTC.exchange,
        symbol: 'BTCUSDT',
        detail: "local_ts 1700000000000500 is 1500 µs before the previous row's 1700000000002000",
      },
    ]);
    expect(check(r, 'unsorted-mark').examples[0]?.detail).toMatch(/^meta events_unsorted = true/);
  });

  it('finds events whose instrument is missing', async () => {
    const path = await writeStore(stores.path('orphans.duckdb'), {
      events: [
        trade(BTC, T0 + 1_000, 100, 1),
        trade(ETH, T0 + 2_000, 100, 1),
        trade(ETH, T0 + 3_000, 100, 2),
      ],
      sql: ["DELETE FROM instruments WHERE symbol = 'ETHUSDT'"],
    });
    const r = await verifyStore(path);
    expect(counts(r)).toEqual({ ...CLEAN, 'missing-instruments': 1 });
    expect(check(r, 'missing-instruments').examples).toEqual([
      {
        row: 1,
        localTs: T0 + 2_000,
        exchange: null,
        symbol: null,
        detail: 'sym 1 has no instruments row; 2 rows reference it',
      },
    ]);
  });

  it('counts exch_ts going back across streams as information only', async () => {
    const path = await writeStore(stores.path('across.duckdb'), {
      // ETH's feed is slower: its trade is older in exchange time than BTC's, received later.
      events: [trade(BTC, T0 + 1_000, 100, 1), trade(ETH, T0 + 1_100, 900, 1)],
    });
    const r = await verifyStore(path);
    expect(counts(r)).toEqual({ ...CLEAN, 'exch-ts-across-streams': 1 });
    expect(check(r, 'exch-ts-across-streams').severity).toBe('info');
    expect(r.problems).toBe(0);
  });
});

describe('verifyStore on clean data', () => {
  it('verifies the demo store clean', async () => {
    // The market `pnpm demo` writes (same seed and length), made here so the test never depends on the demo.
    const demo = stores.path('demo.duckdb');
    await writeSyntheticDataset(demo, { seed: 42, durationUs: 5 * 60_000_000 });
    const r = await verifyStore(demo);
    expect(r.rows).toBeGreaterThan(500_000);
    expect(r.problems).toBe(0);
    expect(r.checks.filter((c) => c.severity === 'problem' && c.count > 0)).toEqual([]);
  });

  it('refuses a missing file and a file that is not a tick store with a UserError', async () => {
    await expect(verifyStore(stores.path('none.duckdb'))).rejects.toThrow(UserError);
    await expect(verifyStore(fileURLToPath(import.meta.url))).rejects.toThrow(/not a BotPlatform tick store/);
  });
});
