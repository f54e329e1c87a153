import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStrategy, type Order, type OrderCommand, z } from '@botplatform/sdk';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WallClock } from '../kernel/clock.js';
import { Kernel } from '../kernel/kernel.js';
import { BTC, FakeVenue } from '../kernel/kernel.test-support.js';
import { MemoryExchange, nowUs } from './memory-exchange.test-support.js';
import { reconcile } from './reconcile.js';
import { type BotIdentity, LiveStateStore } from './state-store.js';

const logger = pino({ level: 'silent' });
const bot: BotIdentity = {
  strategy: 'idle',
  exchange: 'binance-futures',
  symbols: ['BTCUSDT'],
  paper: false,
};
const idle = defineStrategy({ name: 'idle', params: z.object({}), create: () => ({}) });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-reconcile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cmd = (clientOrderId: string, price: number, over: Partial<OrderCommand> = {}): OrderCommand => ({
  clientOrderId,
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  qty: 0.2,
  price,
  timeInForce: 'GTX',
  reduceOnly: false,
  ...over,
});

const open = (c: OrderCommand, over: Partial<Order> = {}): Order => ({
  clientOrderId: c.clientOrderId,
  exchangeOrderId: 'x',
  symbol: c.symbol,
  side: c.side,
  type: c.type,
  timeInForce: c.timeInForce,
  price: c.price,
  qty: c.qty,
  filledQty: 0,
  avgFillPrice: Number.NaN,
  status: 'new',
  reduceOnly: c.reduceOnly,
  createdTs: 1,
  updatedTs: 2,
  ...over,
});

function kernelFor(store: LiveStateStore, venue = new FakeVenue()) {
  return new Kernel({
    mode: 'live',
    clock: new WallClock(),
    instruments: [BTC],
    venue,
    strategy: idle,
    params: {},
    logger,
    orderIds: { prefix: store.runIdPrefix, next: store.lastIdNumber() + 1 },
  });
}

describe('reconcile', () => {
  it('a fresh bot takes the account position and leaves other orders alone', async () => {
    const store = await LiveStateStore.open(join(dir, 's.duckdb'), bot, nowUs());
    const ex = new MemoryExchange([BTC]);
    ex.manualOrder(cmd('web_123', 90));
    ex.account.set('BTCUSDT', { qty: -0.3, entry: 101, updateTs: 5 });
    const k = kernelFor(store);
    const r = await reconcile({ kernel: k, venue: ex, store, symbols: ['BTCUSDT'], logger });
    expect(r.adopted).toEqual([]);
    expect(r.foreign.map((o) => o.clientOrderId)).toEqual(['web_123']);
    expect(r.positions).toEqual([
      {
        symbol: 'BTCUSDT',
        qty: -0.3,
        avgEntryPrice: 101,
        saved: undefined,
        startQty: -0.3,
        startEntryPrice: 101,
      },
    ]);
    expect(r.missed).toEqual({ orders: [], reports: [] });
    expect(k.portfolio.position(0)).toMatchObject({ qty: -0.3, avgEntryPrice: 101 });
    expect(k.execution.openOrders()).toEqual([]);
    await store.close(nowUs());
  });

  it('a restart adopts our open orders, closes the ones the exchange no longer has, and never reuses an id (a venue that cannot list fills)', async () => {
    const path = join(dir, 's.duckdb');
    const first = await LiveStateStore.open(path, bot, nowUs());
    const p = first.runIdPrefix;
    const a = cmd(`${p}-1`, 99);
    const b = cmd(`${p}-2`, 98);
    const c = cmd(`${p}-3`, 97);
    const d = cmd(`${p}-4`, 96); // placed in the last second before the kill: not in the state
    for (const x of [a, b, c]) first.recordOrder(open(x, { tag: `leg-${x.price}` }));
    first.recordOrder(open(cmd('mine-1', 95))); // a strategy-chosen id, closed
    first.recordOrder(open(cmd('mine-1', 95), { status: 'canceled' }));
    first.recordPosition(nowUs(), 'BTCUSDT', 0.1, 100, 'fill');
    await first.close(nowUs());

    const ex = new MemoryExchange([BTC], { listsFills: false });
    for (const x of [a, b, c, d]) ex.submit(x);
    ex.manualOrder(cmd('web_1', 90));
    ex.fill(a.clientOrderId, 0.05); // while the bot was down
    ex.fill(b.clientOrderId, 0.2);
    ex.cancelNow(c.clientOrderId);
    ex.orders.delete(c.clientOrderId); // the exchange no longer knows it

    const store = await LiveStateStore.open(path, bot, nowUs());
    expect(store.epoch).toBe(2);
    const k = kernelFor(store);
    const r = await reconcile({ kernel: k, venue: ex, store, symbols: ['BTCUSDT'], logger });
    expect(r.adopted.map((o) => [o.clientOrderId, o.status, o.filledQty, o.tag ?? null])).toEqual([
      [a.clientOrderId, 'partiallyFilled', 0.05, 'leg-99'],
      [d.clientOrderId, 'new', 0, null],
    ]);
    expect(r.closed.map((o) => [o.clientOrderId, o.status, o.filledQty])).toEqual([
      [b.clientOrderId, 'filled', 0.2],
      [c.clientOrderId, 'canceled', 0],
    ]);
    expect(r.closed[1]!.reason?.message).toMatch(/assumed canceled/);
    expect(r.foreign.map((o) => o.clientOrderId)).toEqual(['web_1']);
    expect(r.positions).toEqual([
      {
        symbol: 'BTCUSDT',
        qty: 0.25,
        avgEntryPrice: expect.any(Number),
        saved: 0.1,
        startQty: 0.25,
        startEntryPrice: expect.any(Number),
      },
    ]);
    expect(r.missed.reports).toEqual([]);
    expect(k.portfolio.qty(0)).toBe(0.25);
    expect(k.execution.openOrders().map((o) => o.clientOrderId)).toEqual([a.clientOrderId, d.clientOrderId]);

    // New ids carry the new epoch and continue the count; old ids are refused.
    const next = k.execution.place(
      { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 95, qty: 0.1 },
      0,
      95,
    );
    expect(next.clientOrderId).toBe(`${store.meta.id_prefix}.2-4`);
    expect(next.clientOrderId).not.toBe(d.clientOrderId);
    for (const id of ['mine-1', c.clientOrderId, d.clientOrderId])
      expect(
        k.execution.place(
          { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 95, qty: 0.1, clientOrderId: id },
          0,
          95,
        ).reason?.code,
      ).toBe('DUPLICATE_CLIENT_ID');

    // Reports held during reconciliation that the exchange's answer already includes are stale.
    const aTs = ex.orders.get(a.clientOrderId)!.updateTs;
    const fill = {
      kind: 'fill',
      clientOrderId: a.clientOrderId,
      price: 99,
      qty: 0.05,
      fee: 0,
      liquidity: 'maker',
      leavesQty: 0.15,
    } as const;
    expect(r.isStale({ ...fill, exchTs: aTs })).toBe(true);
    expect(r.isStale({ ...fill, exchTs: aTs + 1 })).toBe(false);
    expect(r.isStale({ kind: 'canceled', clientOrderId: 'web_1', exchTs: 0 })).toBe(false);
    await store.close(nowUs());

    // The state now records the reconciled orders: the next start sees a and d open, b and c closed.
    const third = await LiveStateStore.open(path, bot, nowUs());
    expect(third.saved!.openOrders.map((o) => o.clientOrderId)).toEqual([a.clientOrderId, d.clientOrderId]);
    expect(third.saved!.positions).toEqual([
      { symbol: 'BTCUSDT', qty: 0.25, avg_entry_price: expect.any(Number) },
    ]);
    await third.close(nowUs());
  });

  it('fills made while the bot was down come back as reports to replay, from the position the state held', async () => {
    const path = join(dir, 's.duckdb');
    const first = await LiveStateStore.open(path, bot, nowUs());
    const p = first.runIdPrefix;
    const a = cmd(`${p}-1`, 99); // partly filled before the crash, more after: still open
    const b = cmd(`${p}-2`, 98); // filled whole while down
    const c = cmd(`${p}-3`, 101, { side: 'sell', qty: 0.1 }); // filled a little, then canceled
    first.recordOrder(
      open(a, { status: 'partiallyFilled', filledQty: 0.05, avgFillPrice: 99, tag: 'leg-a' }),
    );
    first.recordOrder(open(b));
    first.recordOrder(open(c, { status: 'pendingCancel' }));
    first.recordPosition(nowUs(), 'BTCUSDT', 0.05, 99, 'fill');
    await first.close(nowUs());

    const ex = new MemoryExchange([BTC]);
    for (const x of [a, b, c]) ex.submit(x);
    ex.fill(a.clientOrderId, 0.05, 99, 'maker', 0.001); // seen before the crash
    // While the bot was down:
    ex.fill(b.clientOrderId, 0.15, 98, 'maker', 0.003);
    ex.fill(a.clientOrderId, 0.1, 99, 'maker', 0.002);
    ex.fill(c.clientOrderId, 0.04, 101.5, 'taker', 0.002);
    ex.cancelNow(c.clientOrderId);
    ex.fill(b.clientOrderId, 0.05, 98, 'maker', 0.001);

    const store = await LiveStateStore.open(path, bot, nowUs());
    const k = kernelFor(store);
    const r = await reconcile({ kernel: k, venue: ex, store, symbols: ['BTCUSDT'], logger });
    // a is adopted as the state knew it; its fill after the crash is replayed.
    expect(r.adopted.map((o) => [o.clientOrderId, o.status, o.filledQty, o.tag])).toEqual([
      [a.clientOrderId, 'partiallyFilled', 0.05, 'leg-a'],
    ]);
    expect(r.missed.orders.map((o) => [o.clientOrderId, o.status, o.filledQty])).toEqual([
      [b.clientOrderId, 'new', 0],
      [c.clientOrderId, 'pendingCancel', 0],
    ]);
    expect(r.closed.map((o) => [o.clientOrderId, o.status, o.filledQty])).toEqual([
      [b.clientOrderId, 'filled', 0.2],
      [c.clientOrderId, 'canceled', 0.04],
    ]);
    expect(
      r.missed.reports.map((x) =>
        x.kind === 'fill'
          ? [x.clientOrderId, x.qty, x.price, x.fee, x.liquidity, x.leavesQty]
          : [x.kind === 'funding' ? x.symbol : x.clientOrderId, x.kind],
      ),
    ).toEqual([
      [b.clientOrderId, 0.15, 98, 0.003, 'maker', 0.05],
      [a.clientOrderId, 0.1, 99, 0.002, 'maker', 0.05],
      [c.clientOrderId, 0.04, 101.5, 0.002, 'taker', 0.06],
      [c.clientOrderId, 'canceled'],
      [b.clientOrderId, 0.05, 98, 0.001, 'maker', 0],
    ]);
    // The run starts from the state's position; the replay brings it to the exchange's.
    expect(r.positions).toEqual([
      {
        symbol: 'BTCUSDT',
        qty: 0.31,
        avgEntryPrice: expect.any(Number),
        saved: 0.05,
        startQty: 0.05,
        startEntryPrice: 99,
      },
    ]);
    expect(k.portfolio.qty(0)).toBe(0.05);
    for (const o of r.missed.orders) k.execution.adopt(o);
    for (const x of r.missed.reports) k.execution.onReport(x, nowUs());
    expect(k.portfolio.qty(0)).toBeCloseTo(0.31, 9);
    expect(k.execution.openOrders().map((o) => o.clientOrderId)).toEqual([a.clientOrderId]);
    expect(k.execution.openOrders()[0]!.filledQty).toBeCloseTo(0.15, 9);
    // Reports of those fills still arriving on the user stream are already counted.
    const late = r.missed.reports[1]!;
    expect(r.isStale(late)).toBe(true);
    await store.close(nowUs());
  });

  it('an order sent just before a kill that the state never recorded is found at the exchange: filled, it is replayed; unfilled, recorded closed', async () => {
    const path = join(dir, 's.duckdb');
    const first = await LiveStateStore.open(path, bot, nowUs());
    const p = first.runIdPrefix;
    const known = cmd(`${p}-1`, 99);
    first.recordOrder(open(known, { status: 'canceled' }));
    await first.close(nowUs());
    const ex = new MemoryExchange([BTC]);
    const lost = cmd(`${p}-2`, 98, { type: 'market', timeInForce: 'IOC' }); // sent, then killed before the flush
    const expired = cmd(`${p}-3`, 97, { timeInForce: 'GTX' });
    const manual = cmd('web_9', 96);
    for (const x of [known, lost, expired]) ex.submit(x);
    ex.manualOrder(manual);
    ex.fill(lost.clientOrderId, 0.2, 98.5, 'taker', 0.01);
    ex.cancelNow(expired.clientOrderId);
    ex.fill(manual.clientOrderId, 0.2);
    const store = await LiveStateStore.open(path, bot, nowUs());
    expect(store.saved!.lastRecordedTs).toBeGreaterThan(0);
    const k = kernelFor(store);
    const r = await reconcile({ kernel: k, venue: ex, store, symbols: ['BTCUSDT'], logger });
    expect(r.closed.map((o) => [o.clientOrderId, o.status, o.filledQty])).toEqual([
      [lost.clientOrderId, 'filled', 0.2],
      [expired.clientOrderId, 'canceled', 0],
    ]);
    expect(r.missed.orders.map((o) => [o.clientOrderId, o.status, o.type])).toEqual([
      [lost.clientOrderId, 'new', 'market'],
    ]);
    expect(r.missed.reports).toMatchObject([
      {
        kind: 'fill',
        clientOrderId: lost.clientOrderId,
        qty: 0.2,
        price: 98.5,
        fee: 0.01,
        liquidity: 'taker',
        leavesQty: 0,
      },
    ]);
    // The manual order's fill is in the exchange position and is not replayed as ours.
    expect(r.positions[0]).toMatchObject({ qty: 0.4, startQty: 0.2 });
    const dup = k.execution.place(
      {
        symbol: 'BTCUSDT',
        side: 'buy',
        type: 'limit',
        price: 95,
        qty: 0.1,
        clientOrderId: expired.clientOrderId,
      },
      0,
      95,
    );
    expect(dup.reason?.code).toBe('DUPLICATE_CLIENT_ID');
    await store.close(nowUs());
  });

  it('an order whose fills the exchange cannot account for keeps the exchange totals, with nothing replayed', async () => {
    const path = join(dir, 's.duckdb');
    const first = await LiveStateStore.open(path, bot, nowUs());
    const a = cmd(`${first.runIdPrefix}-1`, 99);
    first.recordOrder(open(a));
    await first.close(nowUs());
    const ex = new MemoryExchange([BTC]);
    ex.submit(a);
    ex.fill(a.clientOrderId, 0.2);
    ex.orders.get(a.clientOrderId)!.fills.splice(0); // aged out of the trade list
    const store = await LiveStateStore.open(path, bot, nowUs());
    const k = kernelFor(store);
    const r = await reconcile({ kernel: k, venue: ex, store, symbols: ['BTCUSDT'], logger });
    expect(r.missed).toEqual({ orders: [], reports: [] });
    expect(r.closed.map((o) => [o.clientOrderId, o.status, o.filledQty])).toEqual([
      [a.clientOrderId, 'filled', 0.2],
    ]);
    expect(r.positions[0]).toMatchObject({ qty: 0.2, startQty: 0.2 });
    expect(k.portfolio.qty(0)).toBe(0.2);
    await store.close(nowUs());
  });

  it('a venue that cannot list orders and positions is assumed to hold none', async () => {
    const store = await LiveStateStore.open(join(dir, 's.duckdb'), bot, nowUs());
    const k = kernelFor(store);
    const r = await reconcile({ kernel: k, venue: new FakeVenue(), store, symbols: ['BTCUSDT'], logger });
    expect(r.positions).toEqual([]);
    expect(k.portfolio.qty(0)).toBe(0);
    await store.close(nowUs());
  });
});
