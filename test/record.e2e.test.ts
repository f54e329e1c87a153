import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BinanceLoopback,
  generateLoopbackMarket,
  loopbackMarketInstrument,
  ReconnectingWebSocket,
  startBinanceLoopback,
} from '@botplatform/exchanges';
import type { MarketEvent } from '@botplatform/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TickStoreWriter } from '../packages/runner/src/data/tick-store-writer.js';
import { binanceRecordSource } from '../packages/runner/src/record/binance-record-source.js';
import { Recorder } from '../packages/runner/src/record/recorder.js';
import { tempDir } from './support/tick-store.js';

// `botp record` against the Binance USD-M loopback (packages/exchanges/src/testing): the real
// adapter on real sockets, the loopback's faults for the gap and the reconnect. The CLI tests
// run the built `botp` (`pnpm test` builds first).
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'] as const;
const S = 1_000_000;

const tmp = tempDir();
let loopback: BinanceLoopback | undefined;
const children: ChildProcess[] = [];

beforeAll(() => {
  expect(existsSync(cli), 'build the CLI first: pnpm build').toBe(true);
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await loopback?.close();
  loopback = undefined;
});
afterAll(() => tmp.cleanup());

/** Two generated perpetuals interleaved in exchange time, played in real time. */
async function startLoopback(): Promise<BinanceLoopback> {
  const eth = { symbol: 'ETHUSDT', midPrice: 3_000, tickSize: 0.01, seed: 2 };
  loopback = await startBinanceLoopback({
    instruments: [loopbackMarketInstrument({ symbol: 'BTCUSDT' }), loopbackMarketInstrument(eth)],
    market: merge(generateLoopbackMarket({ symbol: 'BTCUSDT', seed: 1 }), generateLoopbackMarket(eth)),
  });
  return loopback;
}

function* merge(a: Iterator<MarketEvent>, b: Iterator<MarketEvent>): Generator<MarketEvent> {
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value.exchTs <= y.value.exchTs)) {
      yield x.value as MarketEvent;
      x = a.next();
    } else {
      yield y.value;
      y = b.next();
    }
  }
}

interface Frame {
  readonly stream: string;
  readonly data: Record<string, unknown>;
}

/** A second client on the same streams: what the loopback sent, frame by frame. */
function observe(lb: BinanceLoopback): { frames: Frame[]; close(): Promise<void> } {
  const frames: Frame[] = [];
  const names = (kinds: string[]) =>
    SYMBOLS.flatMap((s) => kinds.map((k) => `${s.toLowerCase()}@${k}`)).join('/');
  const sockets = [
    new ReconnectingWebSocket({
      url: `${lb.wsUrl}/public/stream?streams=${names(['depth@100ms', 'bookTicker'])}`,
    }),
    new ReconnectingWebSocket({
      url: `${lb.wsUrl}/market/stream?streams=${names(['aggTrade', 'markPrice@1s'])}`,
    }),
  ];
  for (const ws of sockets) {
    ws.on('message', (text) => {
      const f = JSON.parse(text) as Partial<Frame>;
      if (typeof f.stream === 'string' && f.data) frames.push(f as Frame);
    });
    ws.start();
  }
  return { frames, close: async () => void (await Promise.all(sockets.map((ws) => ws.close()))) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Reads a closed store back through a fresh writer (as the next process would; replays the WAL). */
async function query(path: string, sql: string): Promise<unknown[][]> {
  const w = await TickStoreWriter.open(path);
  try {
    return await w.query(sql);
  } finally {
    await w.close();
  }
}

const nums = async (path: string, sql: string): Promise<number[]> =>
  (await query(path, sql)).map((r) => Number(r[0]));

/** The observed values of one stream kind of one symbol, e.g. the `u` of btcusdt@depth@100ms. */
const observed = (frames: Frame[], stream: string, field: string): number[] =>
  frames.filter((f) => f.stream === stream).map((f) => Number(f.data[field]));

const within = (xs: number[], lo: number, hi: number) => xs.filter((x) => x >= lo && x <= hi);

function botpSync(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `botp data verify --json`: offending rows per check id. */
function verify(path: string): Record<string, number> {
  const r = botpSync('data', 'verify', path, '--json');
  const report = JSON.parse(r.stdout) as { checks: { id: string; count: number }[] };
  return Object.fromEntries(report.checks.map((c) => [c.id, c.count]));
}

/**
 * What a recording must pass: the depth chain (re-anchored by every snapshot), local_ts order
 * with no unsorted mark, books that never cross, instruments for every row. Not asserted:
 * exch-ts-within-stream (the diff that bridges a REST snapshot is older than the snapshot's
 * transaction time, on Binance as here) and clock-skew (the loopback's exchange clock is read
 * apart from the local one).
 */
function expectVerified(path: string): void {
  const counts = verify(path);
  for (const id of [
    'depth-sequence',
    'local-ts-order',
    'unsorted-mark',
    'crossed-book-ticker',
    'crossed-depth-book',
    'missing-instruments',
  ])
    expect({ id, count: counts[id] }).toEqual({ id, count: 0 });
}

function botpRecord(lb: BinanceLoopback, db: string, ...extra: string[]) {
  const child = spawn(
    process.execPath,
    [cli, 'record', '--exchange', 'binance-futures', '--symbol', SYMBOLS.join(','), '--db', db, ...extra],
    {
      cwd: root,
      // Endpoints from the environment, as a service would be configured.
      env: { ...process.env, BINANCE_REST_URL: lb.restUrl, BINANCE_WS_URL: lb.wsUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}

describe('Recorder on the Binance adapter against the loopback', () => {
  it('records a depth gap, resyncs from a new snapshot, and loses nothing the loopback sent after it', async () => {
    const lb = await startLoopback();
    const watch = observe(lb);
    await sleep(300); // the observer is subscribed before the recorder starts
    const path = join(tmp.dir, 'gap.duckdb');
    const rec = new Recorder({
      source: binanceRecordSource({ restUrl: lb.restUrl, wsUrl: lb.wsUrl }),
      writer: await TickStoreWriter.open(path),
      symbols: SYMBOLS,
    });
    await rec.start();
    await until('both books synced', () => rec.stats().snapshots >= 2);
    await sleep(1_500);
    lb.faults.depthGap('BTCUSDT');
    await until('the BTCUSDT resync', () => rec.stats().gaps >= 1 && rec.stats().snapshots >= 3);
    expect(rec.stats().resyncing).toEqual([]);
    await sleep(1_500);
    const summary = await rec.stop();
    await sleep(200);
    await watch.close();

    // The gap: one row, BTCUSDT depth, and a new snapshot after it.
    const gaps = await query(
      path,
      'SELECT symbol, stream, reason, CAST(from_ts AS DOUBLE), CAST(to_ts AS DOUBLE) FROM gaps',
    );
    expect(gaps).toHaveLength(1);
    const [gapSymbol, gapStream, gapReason, gapFrom, gapTo] = gaps[0]! as [
      string,
      string,
      string,
      number,
      number,
    ];
    expect([gapSymbol, gapStream, gapReason]).toEqual(['BTCUSDT', 'depth', 'pu-mismatch']);
    expect(gapTo).toBeGreaterThanOrEqual(gapFrom);
    const btcSnapshots = await query(
      path,
      "SELECT DISTINCT CAST(seq AS DOUBLE), CAST(local_ts AS DOUBLE) FROM depth WHERE symbol = 'BTCUSDT' AND is_snapshot ORDER BY 2",
    );
    expect(btcSnapshots).toHaveLength(2);
    const [resyncSeq, resyncTs] = btcSnapshots[1]! as [number, number];
    expect(resyncTs).toBeGreaterThanOrEqual(gapTo);
    expect(
      await nums(path, "SELECT count(DISTINCT seq) FROM depth WHERE symbol = 'ETHUSDT' AND is_snapshot"),
    ).toEqual([1]);

    for (const symbol of SYMBOLS) {
      const s = symbol.toLowerCase();
      const where = `WHERE symbol = '${symbol}'`;
      // Depth: every diff the loopback sent, except those the resync snapshot already holds.
      const diffs = await nums(
        path,
        `SELECT DISTINCT seq FROM depth ${where} AND NOT is_snapshot ORDER BY 1`,
      );
      const sent = observed(watch.frames, `${s}@depth@100ms`, 'u');
      if (symbol === 'BTCUSDT') {
        const before = diffs.filter((u) => u < resyncSeq);
        const after = diffs.filter((u) => u >= resyncSeq);
        expect(before.length).toBeGreaterThan(5);
        expect(after.length).toBeGreaterThan(5);
        expect(within(sent, before[0]!, before.at(-1)!)).toEqual(before);
        expect(within(sent, resyncSeq, after.at(-1)!)).toEqual(after);
        // Whatever is missing (diffs the snapshot already holds) lies strictly between the last
        // diff before the gap and the new snapshot; the dropped frame was never sent at all.
        const missing = within(sent, diffs[0]!, diffs.at(-1)!).filter((u) => !diffs.includes(u));
        for (const u of missing) expect(u > before.at(-1)! && u < resyncSeq).toBe(true);
      } else {
        expect(diffs.length).toBeGreaterThan(20);
        expect(within(sent, diffs[0]!, diffs.at(-1)!)).toEqual(diffs);
      }
      // Trades, book tickers and mark prices: the same messages, no more, no fewer.
      const trades = await nums(path, `SELECT trade_id FROM trades ${where} ORDER BY local_ts`);
      expect(trades.length).toBeGreaterThan(20);
      expect(within(observed(watch.frames, `${s}@aggTrade`, 'a'), trades[0]!, trades.at(-1)!)).toEqual(
        trades,
      );
      const tickers = await nums(path, `SELECT seq FROM book_ticker ${where} ORDER BY local_ts`);
      expect(tickers.length).toBeGreaterThan(20);
      expect(within(observed(watch.frames, `${s}@bookTicker`, 'u'), tickers[0]!, tickers.at(-1)!)).toEqual(
        tickers,
      );
      const marks = await nums(path, `SELECT exch_ts FROM mark_price ${where} ORDER BY local_ts`);
      const sentMarks = observed(watch.frames, `${s}@markPrice@1s`, 'E').map((ms) => ms * 1000);
      expect(marks.length).toBeGreaterThanOrEqual(3);
      expect(within(sentMarks, marks[0]!, marks.at(-1)!)).toEqual(marks);
    }

    // Both clocks on every row: exchange time from the frames, local time of arrival just after.
    const [[minLat, maxLat]] = (await query(
      path,
      'SELECT min(local_ts - exch_ts)::DOUBLE, max(local_ts - exch_ts)::DOUBLE FROM trades',
    )) as [[number, number]];
    // The loopback's exchange clock and the adapter's local clock are read separately (Date vs
    // performance time): they agree to well under a few ms.
    expect(minLat).toBeGreaterThan(-5_000);
    expect(maxLat).toBeLessThan(2 * S);
    expect(summary.messages.trade).toBe((await nums(path, 'SELECT count(*) FROM trades'))[0]);
    expect(summary.gaps).toBe(1);

    // The stored depth chain is unbroken: the resync snapshot re-anchors it after the gap.
    expectVerified(path);
  });
});

describe('botp record', () => {
  it('keeps recording across dropped connections (disconnect gaps, a resync) and stops cleanly on SIGINT', async () => {
    const lb = await startLoopback();
    const db = join(tmp.dir, 'reconnect.duckdb');
    const { child, exit } = botpRecord(lb, db, '--log-level', 'error');
    await sleep(3_000);
    const dropAt = Date.now() * 1000;
    lb.faults.dropConnections();
    await sleep(3_000);
    child.kill('SIGINT');
    const r = await exit;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^recorded \d+ messages \(depth \d+, trade \d+, bookTicker \d+, markPrice \d+; .* into .*reconnect\.duckdb \(stopped by signal\)\n$/,
    );

    const gaps = await query(
      db,
      'SELECT symbol, stream, reason, CAST(to_ts AS DOUBLE) FROM gaps ORDER BY 1, 2',
    );
    expect(gaps.map((g) => g.slice(0, 3))).toEqual(
      SYMBOLS.flatMap((s) =>
        ['bookTicker', 'depth', 'markPrice', 'trade'].map((stream) => [s, stream, 'disconnect']),
      ),
    );
    const reconnectedAt = Math.max(...gaps.map((g) => Number(g[3])));
    expect(reconnectedAt).toBeGreaterThan(dropAt);
    for (const symbol of SYMBOLS) {
      // A snapshot before the drop and one after the reconnect; data goes on after it.
      expect(
        await nums(db, `SELECT count(DISTINCT seq) FROM depth WHERE symbol = '${symbol}' AND is_snapshot`),
      ).toEqual([2]);
      const [after] = await nums(
        db,
        `SELECT count(*) FROM trades WHERE symbol = '${symbol}' AND local_ts > ${reconnectedAt}`,
      );
      expect(after).toBeGreaterThan(5);
    }
    expectVerified(db);
  });

  it('stops after --duration; a second recording into the store marks the hole between them', async () => {
    const lb = await startLoopback();
    const db = join(tmp.dir, 'duration.duckdb');
    const first = await botpRecord(lb, db, '--duration', '2s', '--streams', 'trade,depth').exit;
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\(depth \d+, trade \d+; .*\(duration reached\)\n$/);
    await sleep(500);
    const second = await botpRecord(lb, db, '--duration', '1500ms', '--streams', 'trade').exit;
    expect(second.code).toBe(0);
    const gaps = await query(
      db,
      'SELECT symbol, stream, reason, CAST(from_ts AS DOUBLE), CAST(to_ts AS DOUBLE) FROM gaps ORDER BY 1',
    );
    expect(gaps.map((g) => g.slice(0, 3))).toEqual(SYMBOLS.map((s) => [s, 'trade', 'not-recording']));
    for (const [symbol, , , from, to] of gaps as [string, string, string, number, number][]) {
      // The hole runs from the first recording's last trade to the second one's first.
      const ts = await nums(db, `SELECT local_ts FROM trades WHERE symbol = '${symbol}' ORDER BY local_ts`);
      const i = ts.indexOf(from);
      expect(i).toBeGreaterThan(0);
      expect(ts[i + 1]).toBe(to);
      expect(to - from).toBeGreaterThan(400_000);
    }
    expect(await nums(db, 'SELECT count(*) FROM mark_price')).toEqual([0]);
  });

  it('loses at most the last second when killed outright (flushed every second)', async () => {
    const lb = await startLoopback();
    const db = join(tmp.dir, 'killed.duckdb');
    const { child, exit } = botpRecord(lb, db, '--log-level', 'error');
    await sleep(3_500);
    const killedAt = Date.now() * 1000;
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    const [[rows, newest]] = (await query(
      db,
      'SELECT count(*)::DOUBLE, max(local_ts)::DOUBLE FROM events',
    )) as [[number, number]];
    expect(rows).toBeGreaterThan(50);
    expect(newest).toBeGreaterThan(killedAt - 1.5 * S);
    expect(await nums(db, 'SELECT count(*) FROM instruments')).toEqual([2]);
  });

  it('refuses an unknown symbol in one line, exit 2', async () => {
    const lb = await startLoopback();
    // Flags win over the environment botpRecord sets (which points nowhere here).
    const r = await botpRecord(
      { ...lb, restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' },
      join(tmp.dir, 'nope.duckdb'),
      '--symbol',
      'BTCUSDT,NOPEUSDT',
      '--rest-url',
      lb.restUrl,
      '--ws-url',
      lb.wsUrl,
    ).exit;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'botp: binance-futures has no instrument NOPEUSDT; check --symbol (exchange symbols such as BTCUSDT)\n',
    );
  });
});
