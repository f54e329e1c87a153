import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStrategy, type Order, type StrategyContext, z } from '@botplatform/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WallClock } from '../kernel/clock.js';
import { Kernel } from '../kernel/kernel.js';
import { BTC } from '../kernel/kernel.test-support.js';
import { StrategyError } from '../kernel/strategy-error.js';
import { LiveSession, type LiveSessionOptions } from './live-session.js';
import {
  diff,
  lastSeq,
  MemoryExchange,
  nowUs,
  sleep,
  snapshot,
  trade,
  until,
} from './memory-exchange.test-support.js';
import { attachStateRecorder } from './state-recorder.js';
import { LiveStateStore } from './state-store.js';

const logger = pino({ level: 'silent' });

/** Exposes its ctx to the test; counts callbacks in ctx.state; ticks every `tickUs` if set. */
function probe(opts: { tickUs?: number; throwOnTrade?: boolean } = {}) {
  const seen: { ctx?: StrategyContext; updates: Order[]; calls: string[] } = { updates: [], calls: [] };
  const strategy = defineStrategy({
    name: 'probe',
    params: z.object({}),
    create(ctx) {
      seen.ctx = ctx;
      const bump = (k: string) => {
        ctx.state[k] = ((ctx.state[k] as number | undefined) ?? 0) + 1;
      };
      return {
        onStart() {
          seen.calls.push('start');
          if (opts.tickUs) ctx.setInterval('tick', opts.tickUs);
        },
        onStop() {
          seen.calls.push('stop');
          ctx.state.stopped = true;
        },
        onBook() {
          seen.calls.push('book');
          bump('books');
        },
        onTrade() {
          if (opts.throwOnTrade) throw new Error('boom');
        },
        onTimer() {
          bump('ticks');
        },
        onOrderUpdate(o) {
          seen.updates.push(o);
        },
      };
    },
  });
  return { strategy, seen };
}

function setup(
  strategy: ReturnType<typeof probe>['strategy'],
  over: Partial<LiveSessionOptions> = {},
  store?: LiveStateStore,
) {
  const exchange = new MemoryExchange([BTC]);
  const kernel = new Kernel({
    mode: 'live',
    clock: new WallClock(),
    instruments: [BTC],
    venue: exchange,
    strategy,
    params: {},
    logger,
  });
  if (store) attachStateRecorder(kernel, store);
  const session = new LiveSession({
    kernel,
    venue: exchange,
    symbols: ['BTCUSDT'],
    logger,
    ...(store ? { store } : {}),
    ...over,
  });
  return { exchange, kernel, session };
}

const buy = (price: number, over: object = {}) =>
  ({ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price, qty: 0.1, ...over }) as const;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-live-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LiveSession', () => {
  it('feeds market events to the strategy and applies reports as they arrive', async () => {
    const { strategy, seen } = probe();
    const { exchange, kernel, session } = setup(strategy);
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    expect(seen.calls).toEqual(['start', 'book']);
    expect(kernel.marketData.books[0]!.bestBid()).toBe(100);
    const o = seen.ctx!.placeOrder(buy(100));
    expect(exchange.submits.map((c) => c.clientOrderId)).toEqual([o.clientOrderId]);
    await until(() => seen.updates.some((u) => u.status === 'new'), 1000, 'the ack');
    exchange.fill(o.clientOrderId, 0.04);
    expect(kernel.portfolio.qty(0)).toBe(0.04);
    expect(seen.updates.map((u) => u.status)).toEqual(['new', 'partiallyFilled']);
    expect(session.marketEvents).toBe(1);
    await session.stop('test');
  });

  it('fires strategy timers in real time, without market data', async () => {
    const { strategy, seen } = probe({ tickUs: 20_000 });
    const { session } = setup(strategy);
    await session.start();
    const t0 = Date.now();
    await sleep(150);
    const elapsed = Date.now() - t0;
    const ticks = seen.ctx!.state.ticks as number;
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 20) - 2);
    expect(ticks).toBeLessThanOrEqual(Math.ceil(elapsed / 20) + 1);
    await session.stop('test');
    const after = seen.ctx!.state.ticks;
    await sleep(60);
    expect(seen.ctx!.state.ticks).toBe(after); // onStop ends the timers
  });

  it('holds what the venue sends while reconciling, then starts the strategy first', async () => {
    const { strategy, seen } = probe();
    const { exchange, session } = setup(strategy);
    let release!: () => void;
    const started = session.start(
      () =>
        new Promise((resolve) => {
          release = () => resolve(undefined);
        }),
    );
    await until(() => exchange.connected, 1000, 'connect');
    exchange.market(snapshot('BTCUSDT', 100));
    exchange.market(trade('BTCUSDT', 100, 1, 'sell'));
    expect(seen.calls).toEqual([]);
    release();
    await started;
    expect(seen.calls).toEqual(['start', 'book']);
    await session.stop('test');
  });

  it('a depth gap pauses new orders on the symbol until a depth snapshot; reduce-only and cancels still go', async () => {
    const { strategy, seen } = probe();
    const { exchange, session } = setup(strategy);
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    const ctx = seen.ctx!;
    const resting = ctx.placeOrder(buy(99));
    exchange.gap({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      stream: 'depth',
      fromTs: nowUs() - 5000,
      toTs: nowUs(),
      reason: 'pu-mismatch',
    });
    const refused = ctx.placeOrder(buy(100));
    expect(refused.status).toBe('rejected');
    expect(refused.reason?.code).toBe('RISK_DENIED');
    expect(refused.reason?.message).toMatch(
      /^\[book-resync\] new orders on BTCUSDT are paused: its order book lost sync at .* \(pu-mismatch on the depth stream\); reduce-only orders and cancels still go/,
    );
    expect(ctx.modifyOrder(resting.clientOrderId, { price: 98 })).toBe(false);
    expect(ctx.placeOrder({ ...buy(101), side: 'sell', reduceOnly: true }).status).toBe('pending');
    expect(ctx.cancelOrder(resting.clientOrderId)).toBe(true);
    exchange.market(diff('BTCUSDT', [[100, 3]], [])); // a diff does not resync
    expect(ctx.placeOrder(buy(100)).status).toBe('rejected');
    exchange.market(snapshot('BTCUSDT', 100));
    expect(ctx.placeOrder(buy(100)).status).toBe('pending');

    // A diff off the chain that the kernel's own book detects pauses too; a trade-stream gap does not.
    exchange.market(diff('BTCUSDT', [[100, 2]], [], lastSeq() - 5));
    expect(ctx.placeOrder(buy(100)).reason?.message).toMatch(/a depth diff off the update-id chain/);
    exchange.market(snapshot('BTCUSDT', 100));
    exchange.gap({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      stream: 'trade',
      fromTs: 0,
      toTs: 1,
      reason: 'disconnect',
    });
    expect(ctx.placeOrder(buy(100)).status).toBe('pending');
    await session.stop('test');
  });

  it('stop: onStop, cancels open orders, waits for the answers, refuses new orders, flushes the state, closes the venue', async () => {
    const statePath = join(dir, 'state.duckdb');
    const store = await LiveStateStore.open(
      statePath,
      { strategy: 'probe', exchange: 'binance-futures', symbols: ['BTCUSDT'], paper: false },
      nowUs(),
    );
    const { strategy, seen } = probe();
    const { exchange, kernel, session } = setup(strategy, {}, store);
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    const a = seen.ctx!.placeOrder(buy(99));
    const b = seen.ctx!.placeOrder(buy(98));
    await until(() => kernel.execution.openOrders().every((o) => o.status === 'new'), 1000, 'acks');
    const result = await session.stop('SIGINT');
    expect(seen.calls.at(-1)).toBe('stop');
    expect(exchange.cancels.map((c) => c.clientOrderId).sort()).toEqual(
      [a.clientOrderId, b.clientOrderId].sort(),
    );
    expect(result.openOrders).toEqual([]);
    expect(result.reason).toBe('SIGINT');
    expect(result.error).toBeUndefined();
    expect(exchange.closes).toBe(1);
    expect(store.pendingRows).toBe(0); // flushed by the stop
    expect(seen.ctx!.placeOrder(buy(97)).reason?.message).toMatch(/^\[shutdown\]/);
    await store.close(nowUs());
    const again = await LiveStateStore.open(
      statePath,
      { strategy: 'probe', exchange: 'binance-futures', symbols: ['BTCUSDT'], paper: false },
      nowUs(),
    );
    expect(again.saved!.openOrders).toEqual([]);
    expect(again.saved!.snapshot?.state).toMatchObject({ books: 1, stopped: true });
    await again.close(nowUs());
  });

  it('--keep-orders-on-exit leaves resting orders at the exchange', async () => {
    const { strategy, seen } = probe();
    const { exchange, kernel, session } = setup(strategy, { keepOrdersOnExit: true });
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    seen.ctx!.placeOrder(buy(99));
    await until(() => kernel.execution.openOrders()[0]?.status === 'new', 1000, 'ack');
    const result = await session.stop('SIGTERM');
    expect(exchange.cancels).toEqual([]);
    expect(result.openOrders.map((o) => o.status)).toEqual(['new']);
  });

  it('gives up waiting after the stop timeout when the exchange does not answer', async () => {
    const { strategy, seen } = probe();
    const { exchange, kernel, session } = setup(strategy, { stopTimeoutMs: 80 });
    exchange.autoCancel = false;
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    seen.ctx!.placeOrder(buy(99));
    await until(() => kernel.execution.openOrders()[0]?.status === 'new', 1000, 'ack');
    const t0 = Date.now();
    const result = await session.stop('SIGINT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    expect(result.openOrders.map((o) => o.status)).toEqual(['pendingCancel']);
  });

  it('a second stop stops waiting', async () => {
    const { strategy, seen } = probe();
    const { exchange, kernel, session } = setup(strategy, { stopTimeoutMs: 10_000 });
    exchange.autoCancel = false;
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    seen.ctx!.placeOrder(buy(99));
    await until(() => kernel.execution.openOrders()[0]?.status === 'new', 1000, 'ack');
    const first = session.stop('SIGINT');
    await sleep(20);
    const t0 = Date.now();
    const second = session.stop('SIGINT');
    expect(await second).toBe(await first);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a strategy error stops the run: orders canceled, the error handed back', async () => {
    const { strategy, seen } = probe({ throwOnTrade: true });
    const { exchange, kernel, session } = setup(strategy);
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    seen.ctx!.placeOrder(buy(99));
    await until(() => kernel.execution.openOrders()[0]?.status === 'new', 1000, 'ack');
    exchange.market(trade('BTCUSDT', 100, 1, 'sell'));
    const result = await session.done;
    expect(result.error).toBeInstanceOf(StrategyError);
    expect(String((result.error as Error).message)).toMatch(/onTrade/);
    expect(exchange.cancels).toHaveLength(1);
    expect(result.openOrders).toEqual([]);
    expect(seen.calls).not.toContain('stop'); // a failed strategy is not called again
  });

  it('a strategy that fails in onStart hears nothing more; the run ends with its error', async () => {
    const calls: string[] = [];
    const strategy = defineStrategy({
      name: 'probe',
      params: z.object({}),
      create: () => ({
        onStart() {
          throw new Error('no config');
        },
        onBook() {
          calls.push('book');
        },
      }),
    });
    const { exchange, session } = setup(strategy);
    let release!: () => void;
    const started = session.start(
      () =>
        new Promise((resolve) => {
          release = () => resolve(undefined);
        }),
    );
    await until(() => exchange.connected, 1000, 'connect');
    exchange.market(snapshot('BTCUSDT', 100)); // held
    release();
    await started;
    const result = await session.done;
    expect(String((result.error as Error).message)).toMatch(/onStart/);
    expect(calls).toEqual([]);
    expect(exchange.closes).toBe(1);
  });

  it('a venue that answers synchronously never re-enters the strategy', async () => {
    const calls: string[] = [];
    const strategy = defineStrategy({
      name: 'probe',
      params: z.object({}),
      create(ctx) {
        return {
          onBook() {
            calls.push('book:enter');
            if (ctx.openOrders().length === 0) ctx.placeOrder(buy(99));
            calls.push('book:leave');
          },
          onOrderUpdate(o) {
            calls.push(`update:${o.status}`);
          },
        };
      },
    });
    const { exchange, session } = setup(strategy);
    exchange.autoAck = false;
    const submit = exchange.submit.bind(exchange);
    exchange.submit = (cmd) => {
      submit(cmd);
      exchange.ack(cmd.clientOrderId); // answers inside placeOrder, inside onBook
    };
    await session.start();
    exchange.market(snapshot('BTCUSDT', 100));
    expect(calls).toEqual(['book:enter', 'book:leave', 'update:new']);
    await session.stop('test');
  });
});
