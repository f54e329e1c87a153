import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStrategy, type StrategyContext, z } from '@botplatform/sdk';
import { ConstantLatency, parseQueueSpec } from '@botplatform/sim';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WallClock } from '../kernel/clock.js';
import { BTC } from '../kernel/kernel.test-support.js';
import { compareRuns } from '../report/compare-runs.js';
import { readRunSummary } from '../report/run-summary.js';
import { MemoryExchange, snapshot, trade, until } from './memory-exchange.test-support.js';
import { PaperVenue } from './paper-venue.js';
import { type LiveRunResult, runLive } from './run-live.js';

const logger = pino({ level: 'silent' });

/**
 * Keeps one post-only bid at the best bid while it holds less than `max`; counts books and
 * fills in ctx.state (which must survive restarts).
 */
function bidder(seen: { ctx?: StrategyContext }) {
  return defineStrategy({
    name: 'bidder',
    params: z.object({ max: z.number().default(0.3) }),
    create(ctx, p) {
      seen.ctx = ctx;
      const bump = (k: string) => {
        ctx.state[k] = ((ctx.state[k] as number | undefined) ?? 0) + 1;
      };
      return {
        onBook(book) {
          bump('books');
          if (ctx.openOrders().length > 0 || ctx.position('BTCUSDT').qty >= p.max) return;
          ctx.placeOrder({
            symbol: 'BTCUSDT',
            side: 'buy',
            type: 'limit',
            timeInForce: 'GTX',
            price: book.bestBid(),
            qty: 0.1,
          });
        },
        onFill() {
          bump('fills');
        },
      };
    },
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-runlive-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function rows(path: string, sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(path);
  const c = await inst.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowsJS();
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

/** Starts a run, lets `drive` trade, aborts, and returns the result. */
async function run(
  venue: ReturnType<typeof paperVenue> | MemoryExchange,
  seen: { ctx?: StrategyContext },
  name: string,
  drive: () => Promise<void>,
  over: Partial<Parameters<typeof runLive>[0]> = {},
): Promise<LiveRunResult> {
  const abort = new AbortController();
  let started!: () => void;
  const isStarted = new Promise<void>((r) => {
    started = r;
  });
  const result = runLive({
    strategy: bidder(seen),
    params: { max: 0.3 },
    venue,
    exchange: 'binance-futures',
    symbols: ['BTCUSDT'],
    statePath: join(dir, 'state.duckdb'),
    outDir: join(dir, name),
    logger,
    handleSignals: false,
    signal: abort.signal,
    flushEveryMs: 50,
    onStarted: () => started(),
    ...over,
  });
  await Promise.race([isStarted, result]);
  await drive();
  abort.abort();
  return result;
}

/** A first run whose bid rests, fills 0.04 (maker fee 0.0008) and is kept open on exit. */
async function firstRunWithRestingBid(ex: MemoryExchange, seen: { ctx?: StrategyContext }): Promise<void> {
  await run(
    ex,
    seen,
    'run1',
    async () => {
      ex.market(snapshot('BTCUSDT', 100));
      await until(() => (seen.ctx?.openOrders()[0]?.status ?? '') === 'new', 2000, 'a resting bid');
      ex.fill(seen.ctx!.openOrders()[0]!.clientOrderId, 0.04, 100, 'maker', 0.0008);
      await until(() => seen.ctx!.position('BTCUSDT').qty === 0.04, 2000, 'the fill');
    },
    { keepOrdersOnExit: true },
  );
}

const paperVenue = (source: MemoryExchange) =>
  new PaperVenue({
    source,
    latency: new ConstantLatency(2_000, 2_000),
    queue: parseQueueSpec('risk-averse'),
    clock: new WallClock(),
    quietWaitUs: 5_000,
  });

const filled = (seen: { ctx?: StrategyContext }, n: number) => () =>
  ((seen.ctx?.state.fills as number | undefined) ?? 0) >= n;

describe('runLive', () => {
  it('--paper: trades on live data through the simulated exchange, writes the run folder and the state', async () => {
    const source = new MemoryExchange([BTC]);
    const seen: { ctx?: StrategyContext } = {};
    const r = await run(paperVenue(source), seen, 'run1', async () => {
      source.market(snapshot('BTCUSDT', 100));
      for (let i = 0; i < 2; i++) {
        await until(() => (seen.ctx?.openOrders()[0]?.status ?? '') === 'new', 2000, 'a resting bid');
        source.market(trade('BTCUSDT', 99.9, 1, 'sell'));
        await until(filled(seen, i + 1), 2000, `fill ${i + 1}`);
        source.market(snapshot('BTCUSDT', 100));
      }
    });
    expect(r.epoch).toBe(1);
    expect(r.summary.fills).toBe(2);
    expect(r.summary.final_position).toEqual({ BTCUSDT: 0.2 });
    expect(r.summary.latency).toBe('live'); // not given: the CLI passes the paper models
    expect(r.stop.openOrders).toEqual([]); // the third bid was canceled on stop
    for (const f of ['summary.json', 'fills.csv', 'orders.csv', 'trades.csv', 'equity.csv', 'run.duckdb'])
      expect(existsSync(join(dir, 'run1', f)), f).toBe(true);
    expect(readRunSummary(join(dir, 'run1')).metrics.net_pnl).toBeTypeOf('number');
    const cmp = await compareRuns([join(dir, 'run1'), join(dir, 'run1')]);
    expect(cmp.runs[0]!.strategy).toBe('bidder');

    const state = join(dir, 'state.duckdb');
    expect(await rows(state, 'SELECT count(*), count(DISTINCT exchange) FROM order_latency')).toEqual([
      [3n, 1n],
    ]);
    expect(await rows(state, 'SELECT DISTINCT exchange FROM order_latency')).toEqual([
      ['paper:binance-futures'],
    ]);
    expect(await rows(state, 'SELECT count(*) FROM fills')).toEqual([[2n]]);
    // Every order is recorded as it leaves, before any answer.
    expect(await rows(state, "SELECT count(*) FROM orders WHERE status = 'pending'")).toEqual([[3n]]);
    expect(await rows(state, "SELECT DISTINCT status FROM orders WHERE status = 'canceled'")).toEqual([
      ['canceled'],
    ]);
    expect(await rows(state, 'SELECT epoch, run_dir IS NOT NULL FROM runs')).toEqual([[1, true]]);
  });

  it('--paper restart: the paper position and the strategy state resume, ids continue', async () => {
    const seen: { ctx?: StrategyContext } = {};
    const source1 = new MemoryExchange([BTC]);
    await run(paperVenue(source1), seen, 'run1', async () => {
      source1.market(snapshot('BTCUSDT', 100));
      await until(() => (seen.ctx?.openOrders()[0]?.status ?? '') === 'new', 2000, 'a resting bid');
      source1.market(trade('BTCUSDT', 99.9, 1, 'sell'));
      await until(filled(seen, 1), 2000, 'fill');
    });
    const books1 = seen.ctx!.state.books as number;

    const source2 = new MemoryExchange([BTC]);
    const r = await run(paperVenue(source2), seen, 'run2', async () => {
      expect(seen.ctx!.position('BTCUSDT').qty).toBe(0.1);
      expect(seen.ctx!.state.fills).toBe(1);
      source2.market(snapshot('BTCUSDT', 100));
      await until(() => (seen.ctx?.openOrders()[0]?.status ?? '') === 'new', 2000, 'a resting bid');
      source2.market(trade('BTCUSDT', 99.9, 1, 'sell'));
      await until(filled(seen, 2), 2000, 'fill');
    });
    expect(r.epoch).toBe(2);
    expect(r.reconciliation.positions).toEqual([
      { symbol: 'BTCUSDT', qty: 0.1, avgEntryPrice: 100, saved: 0.1, startQty: 0.1, startEntryPrice: 100 },
    ]);
    expect(r.summary.final_position).toEqual({ BTCUSDT: 0.2 });
    expect(seen.ctx!.state.books).toBeGreaterThan(books1);
    const ids = (await rows(join(dir, 'state.duckdb'), 'SELECT DISTINCT client_order_id FROM orders')).map(
      (x) => String(x[0]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    const n = (id: string) => Number(id.split('-').at(-1));
    const firstRun = ids.filter((id) => id.includes('.1-')).map(n);
    const secondRun = ids.filter((id) => id.includes('.2-')).map(n);
    expect(secondRun.length).toBeGreaterThan(0);
    expect(Math.min(...secondRun)).toBe(Math.max(...firstRun) + 1);
  });

  it('restart against an exchange: kept orders are adopted, not placed again; the position and state resume', async () => {
    const ex = new MemoryExchange([BTC]);
    const seen: { ctx?: StrategyContext } = {};
    await firstRunWithRestingBid(ex, seen);
    expect(ex.submits).toHaveLength(1);
    const resting = ex.submits[0]!.clientOrderId;

    const r = await run(ex, seen, 'run2', async () => {
      expect(seen.ctx!.openOrders().map((o) => [o.clientOrderId, o.status, o.filledQty])).toEqual([
        [resting, 'partiallyFilled', 0.04],
      ]);
      expect(seen.ctx!.position('BTCUSDT').qty).toBe(0.04);
      expect(seen.ctx!.state.fills).toBe(1);
      ex.market(snapshot('BTCUSDT', 100)); // the strategy sees its order: nothing new is sent
      ex.fill(resting, 0.06); // the adopted order fills after the restart
      await until(() => seen.ctx!.position('BTCUSDT').qty === 0.1, 2000, 'the adopted fill');
      ex.market(snapshot('BTCUSDT', 100));
      await until(() => ex.submits.length === 2, 2000, 'the next bid');
    });
    expect(r.reconciliation.adopted.map((o) => o.clientOrderId)).toEqual([resting]);
    expect(ex.submits.map((c) => c.clientOrderId)).toHaveLength(2); // one new bid after the fill
    expect(new Set(ex.submits.map((c) => c.clientOrderId)).size).toBe(2);
    expect(seen.ctx!.state.fills).toBe(2);
    expect(r.summary.final_position).toEqual({ BTCUSDT: 0.1 });
  });

  it('restart: fills made while the bot was down reach the strategy once, with their prices and fees, and the position ends at the exchange’s', async () => {
    const ex = new MemoryExchange([BTC]);
    const seen: { ctx?: StrategyContext } = {};
    await firstRunWithRestingBid(ex, seen);
    const resting = ex.submits[0]!.clientOrderId;
    ex.fill(resting, 0.02, 100, 'maker', 0.0004); // while the bot is down…
    ex.fill(resting, 0.04, 100, 'maker', 0.0008); // …to the end of the order

    const r = await run(ex, seen, 'run2', async () => {
      // Replayed as the run started, before any market data.
      expect(seen.ctx!.state.fills).toBe(3);
      expect(seen.ctx!.position('BTCUSDT').qty).toBeCloseTo(0.1, 9);
      expect(seen.ctx!.openOrders()).toEqual([]);
    });
    expect(r.reconciliation.adopted).toEqual([]);
    expect(r.reconciliation.closed.map((o) => [o.clientOrderId, o.status])).toEqual([[resting, 'filled']]);
    expect(r.reconciliation.missed.reports.map((x) => x.kind)).toEqual(['fill', 'fill']);
    expect(ex.submits).toHaveLength(1); // nothing placed twice
    expect(r.summary.final_position.BTCUSDT).toBeCloseTo(0.1, 9);
    const state = join(dir, 'state.duckdb');
    expect(
      await rows(
        state,
        `SELECT epoch, qty, fee FROM fills WHERE client_order_id = '${resting}' ORDER BY exch_ts, epoch`,
      ),
    ).toEqual([
      [1, 0.04, 0.0008],
      [2, 0.02, 0.0004],
      [2, 0.04, 0.0008],
    ]);
    expect(
      await rows(
        state,
        `SELECT status FROM orders WHERE client_order_id = '${resting}' AND epoch = 2 ORDER BY seq DESC LIMIT 1`,
      ),
    ).toEqual([['filled']]);
  });

  it('refuses a state file of another kind of run, in one line', async () => {
    const source = new MemoryExchange([BTC]);
    const seen: { ctx?: StrategyContext } = {};
    await run(paperVenue(source), seen, 'run1', async () => {});
    await expect(run(new MemoryExchange([BTC]), seen, 'run2', async () => {})).rejects.toThrow(
      /was written by a --paper run and this is a real-money run/,
    );
  });

  it('an unknown symbol or an unreachable venue is a one-line error', async () => {
    const seen: { ctx?: StrategyContext } = {};
    await expect(
      run(new MemoryExchange([BTC]), seen, 'x', async () => {}, { symbols: ['ETHUSDT'] }),
    ).rejects.toThrow(/binance-futures does not list ETHUSDT/);
    const down = new MemoryExchange([BTC]);
    down.connect = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9\n    at stack');
    };
    await expect(run(down, seen, 'y', async () => {})).rejects.toThrow(
      /^binance-futures: could not connect: connect ECONNREFUSED 127.0.0.1:9; check --rest-url/,
    );
  });
});
