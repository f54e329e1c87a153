import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticDataset } from '@botplatform/runner';
import type { MarketEvent } from '@botplatform/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BTC, diff, snapshot, T0, tempDir, trade, writeStore } from './support/tick-store.js';

// Runs the built CLI as a user does (`pnpm test` builds first).
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');

function botp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = tempDir();
const faulty = join(tmp.dir, 'faulty.duckdb');
// The demo market, written here from the seed `pnpm demo` uses: a test never relies on the demo having run.
const demo = join(tmp.dir, 'demo.duckdb');

/** A broken depth chain (diff 3 follows 1) and a crossed book ticker; nothing else wrong. */
const FAULTS: MarketEvent[] = [
  snapshot(T0, T0 + 1_000, [[100, 1]], [[100.1, 1]], 1),
  diff(T0 + 1_000, T0 + 2_000, 3, [[100, 2]], []),
  {
    type: 'bookTicker',
    exchange: BTC.exchange,
    symbol: BTC.symbol,
    exchTs: T0 + 2_000,
    localTs: T0 + 3_000,
    seq: 9,
    bidPrice: 100.2,
    bidQty: 1,
    askPrice: 100.1,
    askQty: 1,
  },
  trade(T0 + 3_000, T0 + 4_000, 'buy', 100.1, 1, 1),
];

beforeAll(async () => {
  expect(existsSync(cli), 'build the CLI first: pnpm build').toBe(true);
  await writeStore(faulty, FAULTS);
  await writeSyntheticDataset(demo, { seed: 42, durationUs: 5 * 60_000_000 });
});
afterAll(() => tmp.cleanup());

describe('botp data verify', () => {
  it('passes the demo store: exit 0 and the summary line', () => {
    const r = botp('data', 'verify', demo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}ok +0 {2}depth sequence/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verify: 0 problems in 8 checks');
  });

  it('passes a fresh synthetic store', () => {
    const out = join(tmp.dir, 'synth.duckdb');
    expect(botp('data', 'synth', '--out', out, '--minutes', '1').code).toBe(0);
    const r = botp('data', 'verify', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verify: 0 problems in 8 checks');
  });

  it('fails a faulty store with exit 1, each failing check with its first offending row', () => {
    const r = botp('data', 'verify', faulty);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL +1 {2}depth sequence/m);
    expect(r.stdout).toContain(
      "2023-11-14T22:13:20.002000Z  BTCUSDT  row 2  diff seq 3 has prev_seq 2, but the previous message's seq is 1",
    );
    expect(r.stdout).toMatch(/^ {2}FAIL +1 {2}book_ticker/m);
    expect(r.stdout).toContain('BTCUSDT  row 3  seq 9: bid 100.2 ≥ ask 100.1');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verify: 2 problems in 8 checks');
  });

  it('prints JSON with --json (summary line on stderr) and honours --max-examples', () => {
    const r = botp('data', 'verify', faulty, '--json', '--max-examples', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('verify: 2 problems in 8 checks\n');
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: false, problems: 2, checks_run: 8, rows: 5 });
    const failed = report.checks.filter(
      (c: { severity: string; count: number }) => c.severity === 'problem' && c.count > 0,
    );
    expect(failed.map((c: { id: string }) => c.id)).toEqual(['depth-sequence', 'crossed-book-ticker']);
    expect(failed.every((c: { examples: unknown[] }) => c.examples.length === 0)).toBe(true);
  });

  it('exits 2 with one line for a missing file, a file that is not a tick store, a bad flag', () => {
    const missing = botp('data', 'verify', join(tmp.dir, 'none.duckdb'));
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^botp: data file .*none\.duckdb not found; .*\n$/);
    const text = join(tmp.dir, 'notes.txt');
    writeFileSync(text, 'not a database\n');
    const notStore = botp('data', 'verify', text);
    expect(notStore.code).toBe(2);
    expect(notStore.stderr).toMatch(/^botp: .*notes\.txt is not a BotPlatform tick store .*\n$/);
    expect(botp('data', 'verify', demo, '--max-examples', 'x').code).toBe(2);
  });
});

describe('botp data info', () => {
  it('summarizes the faulty store as text', () => {
    const r = botp('data', 'info', faulty);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5 events rows, 1 instrument');
    expect(r.stdout).toContain('binance-futures BTCUSDT  tick 0.1  step 0.001');
    expect(r.stdout).toMatch(/ {2}depth +3 rows, 2 messages\n/);
    expect(r.stdout).toContain(
      '2023-11-14T22:13:20.001000Z → 2023-11-14T22:13:20.002000Z  (1700000000001000 → 1700000000002000 µs)',
    );
    expect(r.stdout).toContain('gaps 0 recorded, 1 depth-chain break');
    expect(r.stdout).toContain('feed latency p50 1.000 ms  p90 1.000 ms  p99 1.000 ms  max 1.000 ms');
  });

  it('prints JSON with --json', () => {
    const r = botp('data', 'info', demo, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.instruments.map((i: { symbol: string }) => i.symbol)).toEqual(['BTCUSDT']);
    expect(info.streams.map((s: { table: string }) => s.table)).toEqual([
      'trades',
      'depth',
      'book_ticker',
      'mark_price',
    ]);
    const rows = info.streams.reduce((sum: number, s: { rows: number }) => sum + s.rows, 0);
    expect(info.events).toBe(rows);
    const depth = info.streams[1];
    expect(depth.chain_breaks).toBe(0);
    expect(depth.feed_latency_us.p50).toBeLessThanOrEqual(depth.feed_latency_us.p99);
  });

  it('exits 2 for a missing file', () => {
    const r = botp('data', 'info', join(tmp.dir, 'none.duckdb'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^botp: data file .*not found/);
  });
});
