import {
  type BookTicker,
  defineStrategy,
  type ExecutionReport,
  type Fill,
  formatMicros,
  type MarkPrice,
  type OpenInterest,
  type Order,
  type OrderRequest,
  type Position,
  type Strategy,
  type StrategyContext,
  type Trade,
  z,
} from '@botplatform/sdk';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ReplayClock } from './clock.js';
import { EventBus } from './event-bus.js';
import { Kernel } from './kernel.js';
import { BTC, FakeVenue } from './kernel.test-support.js';
import { FLAG_FIRST, FLAG_LAST, FLAG_SNAPSHOT } from './market-data-engine.js';
import { StrategyError } from './strategy-error.js';

const T0 = 1_700_000_000_000_000;

/**
 * Builds a kernel around a strategy whose callbacks come from `make(ctx)`; the ctx is returned
 * too so tests can drive it (as the strategy would) between events.
 */
function setup(make: (ctx: StrategyContext) => Strategy = () => ({}), name = 'test-strategy') {
  let captured: StrategyContext | undefined;
  const def = defineStrategy({
    name,
    params: z.object({}),
    create(ctx) {
      captured = ctx;
      return make(ctx);
    },
  });
  const clock = new ReplayClock(T0);
  const venue = new FakeVenue();
  const bus = new EventBus();
  const kernel = new Kernel({
    mode: 'backtest',
    clock,
    instruments: [BTC],
    venue,
    strategy: def,
    params: {},
    logger: pino({ level: 'silent' }),
    bus,
  });
  return { kernel, venue, clock, bus, ctx: captured! };
}

const SNAP_FIRST = FLAG_SNAPSHOT | FLAG_FIRST; // 3
const SNAP_LAST = FLAG_SNAPSHOT | FLAG_LAST; // 5
const ONE_ROW_SNAPSHOT = FLAG_SNAPSHOT | FLAG_FIRST | FLAG_LAST; // 7

/** A one-message snapshot book: bids 49999.9 ×1, 49999.8 ×2; ask 50000.1 ×3 (mid 50000). */
function seedBook(kernel: Kernel, localTs: number) {
  kernel.depthRow(0, 1, 49999.9, 1, SNAP_FIRST, 10, 9, localTs - 5, localTs);
  kernel.depthRow(0, 1, 49999.8, 2, FLAG_SNAPSHOT, 10, 9, localTs - 5, localTs);
  kernel.depthRow(0, -1, 50000.1, 3, SNAP_LAST, 10, 9, localTs - 5, localTs);
}

const buy = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  qty: 0.002,
  price: 49000,
  ...over,
});

describe('Kernel: depth rows', () => {
  it('applies rows by flags and calls onBook once per message, on its last row', () => {
    const seen: {
      now: number;
      symbol: string;
      bid: number;
      ask: number;
      bids: number;
      asks: number;
      seq: number;
    }[] = [];
    const { kernel, ctx } = setup((c) => ({
      onBook(book, symbol) {
        expect(book).toBe(c.book('BTCUSDT'));
        seen.push({
          now: c.now(),
          symbol,
          bid: book.bestBid(),
          ask: book.bestAsk(),
          bids: book.bidLevels,
          asks: book.askLevels,
          seq: book.seq,
        });
      },
    }));

    // message 1: a 3-row snapshot
    kernel.depthRow(0, 1, 49999.9, 1, SNAP_FIRST, 10, 9, T0 + 5, T0 + 100);
    kernel.depthRow(0, 1, 49999.8, 2, FLAG_SNAPSHOT, 10, 9, T0 + 5, T0 + 100);
    expect(seen).toHaveLength(0); // not the last row yet
    kernel.depthRow(0, -1, 50000.1, 3, SNAP_LAST, 10, 9, T0 + 5, T0 + 100);
    expect(seen).toEqual([
      { now: T0 + 100, symbol: 'BTCUSDT', bid: 49999.9, ask: 50000.1, bids: 2, asks: 1, seq: 10 },
    ]);

    // message 2: a diff removing the best ask and adding one above it
    kernel.depthRow(0, -1, 50000.1, 0, FLAG_FIRST, 11, 10, T0 + 150, T0 + 200);
    expect(seen).toHaveLength(1);
    kernel.depthRow(0, -1, 50000.3, 4, FLAG_LAST, 11, 10, T0 + 150, T0 + 200);
    expect(seen[1]).toEqual({
      now: T0 + 200,
      symbol: 'BTCUSDT',
      bid: 49999.9,
      ask: 50000.3,
      bids: 2,
      asks: 1,
      seq: 11,
    });
    const book = ctx.book('BTCUSDT');
    expect([book.exchTs, book.localTs]).toEqual([T0 + 150, T0 + 200]);

    // message 3: a diff whose first row is not a snapshot does not clear
    kernel.depthRow(0, 1, 49999.7, 5, FLAG_FIRST | FLAG_LAST, 12, 11, T0 + 250, T0 + 300);
    expect(seen[2]).toMatchObject({ bids: 3, asks: 1, seq: 12 });

    // message 4: snapshot + first row clears the book, both sides
    kernel.depthRow(0, 1, 49000, 5, ONE_ROW_SNAPSHOT, 20, 19, T0 + 350, T0 + 400);
    expect(seen).toHaveLength(4);
    expect(seen[3]!.now).toBe(T0 + 400);
    expect(seen[3]!.bid).toBe(49000);
    expect(seen[3]!.ask).toBeNaN();
    expect([seen[3]!.bids, seen[3]!.asks]).toEqual([1, 0]);
  });

  it('a snapshot row without the first flag does not clear (only the first row does)', () => {
    const { kernel, ctx } = setup();
    seedBook(kernel, T0 + 10);
    kernel.depthRow(0, -1, 50000.2, 1, SNAP_LAST, 11, 10, T0 + 15, T0 + 20);
    expect(ctx.book('BTCUSDT').bidLevels).toBe(2);
    expect(ctx.book('BTCUSDT').askLevels).toBe(2);
  });

  it('feeds the book mid to the portfolio for unrealized PnL', () => {
    const { kernel, ctx } = setup();
    kernel.scheduleReport(
      {
        kind: 'fill',
        clientOrderId: ctx.placeOrder(buy()).clientOrderId,
        price: 49000,
        qty: 0.002,
        fee: 0,
        liquidity: 'maker',
        leavesQty: 0,
        exchTs: T0,
      },
      T0 + 1,
    );
    kernel.runDue(T0 + 1);
    seedBook(kernel, T0 + 10); // mid (49999.9 + 50000.1) / 2 = 50000
    // unrealized = 0.002 · (50000 − 49000) = 2
    expect(kernel.portfolio.unrealized(0)).toBeCloseTo(2, 9);
    expect(kernel.portfolio.peakEquity).toBeCloseTo(2, 9);
  });
});

describe('Kernel: market callbacks', () => {
  it('trade / bookTicker / markPrice / openInterest get normalized objects at ctx.now() = localTs', () => {
    const got: { what: string; now: number; e: unknown }[] = [];
    const { kernel } = setup((c) => ({
      onTrade: (e: Trade) => got.push({ what: 'trade', now: c.now(), e }),
      onBookTicker: (e: BookTicker) => got.push({ what: 'bookTicker', now: c.now(), e }),
      onMarkPrice: (e: MarkPrice) => got.push({ what: 'markPrice', now: c.now(), e }),
      onOpenInterest: (e: OpenInterest) => got.push({ what: 'openInterest', now: c.now(), e }),
    }));
    const base = { exchange: 'binance-futures', symbol: 'BTCUSDT' };
    kernel.trade(0, -1, 50000, 0.4, 7, T0 + 10, T0 + 13);
    kernel.trade(0, 1, 50000.1, 0.5, 8, T0 + 20, T0 + 23);
    kernel.bookTicker(0, 50000, 1.1, 50000.1, 2, 99, T0 + 30, T0 + 34);
    kernel.markPrice(0, 50000.05, 50001, 0.0001, T0 + 8 * 3600e6, T0 + 40, T0 + 45);
    kernel.openInterest(0, 81234.5, T0 + 50, T0 + 56);
    expect(got).toEqual([
      {
        what: 'trade',
        now: T0 + 13,
        e: {
          type: 'trade',
          ...base,
          exchTs: T0 + 10,
          localTs: T0 + 13,
          tradeId: 7,
          price: 50000,
          qty: 0.4,
          side: 'sell',
        },
      },
      {
        what: 'trade',
        now: T0 + 23,
        e: {
          type: 'trade',
          ...base,
          exchTs: T0 + 20,
          localTs: T0 + 23,
          tradeId: 8,
          price: 50000.1,
          qty: 0.5,
          side: 'buy',
        },
      },
      {
        what: 'bookTicker',
        now: T0 + 34,
        e: {
          type: 'bookTicker',
          ...base,
          exchTs: T0 + 30,
          localTs: T0 + 34,
          seq: 99,
          bidPrice: 50000,
          bidQty: 1.1,
          askPrice: 50000.1,
          askQty: 2,
        },
      },
      {
        what: 'markPrice',
        now: T0 + 45,
        e: {
          type: 'markPrice',
          ...base,
          exchTs: T0 + 40,
          localTs: T0 + 45,
          markPrice: 50000.05,
          indexPrice: 50001,
          fundingRate: 0.0001,
          nextFundingTs: T0 + 8 * 3600e6,
        },
      },
      {
        what: 'openInterest',
        now: T0 + 56,
        e: { type: 'openInterest', ...base, exchTs: T0 + 50, localTs: T0 + 56, openInterest: 81234.5 },
      },
    ]);
  });

  it('onMarketEvent routes object events the same way and ignores unknown symbols', () => {
    const got: string[] = [];
    const { kernel, ctx } = setup((c) => ({
      onTrade: (t) => got.push(`trade ${t.side} ${t.price} @${c.now() - T0}`),
      onBook: (b) => got.push(`book ${b.bestBid()}/${b.bestAsk()} @${c.now() - T0}`),
    }));
    kernel.onMarketEvent({
      type: 'depth',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exchTs: T0 + 1,
      localTs: T0 + 2,
      seq: 5,
      prevSeq: 4,
      isSnapshot: true,
      bids: [[100, 1]],
      asks: [[100.1, 2]],
    });
    const trade = {
      type: 'trade',
      exchange: 'binance-futures',
      exchTs: T0 + 3,
      localTs: T0 + 4,
      tradeId: 1,
      price: 100.1,
      qty: 1,
      side: 'buy',
    } as const;
    kernel.onMarketEvent({ ...trade, symbol: 'BTCUSDT' });
    kernel.onMarketEvent({ ...trade, symbol: 'ETHUSDT', localTs: T0 + 9 });
    expect(got).toEqual(['book 100/100.1 @2', 'trade buy 100.1 @4']);
    expect(ctx.now()).toBe(T0 + 4); // the unknown-symbol event did not move time
  });

  it('skips callbacks the strategy does not define, and still advances time and the mark', () => {
    const trades: number[] = [];
    const { kernel, ctx } = setup(() => ({ onTrade: (t) => trades.push(t.tradeId) }));
    expect(() => {
      seedBook(kernel, T0 + 10);
      kernel.bookTicker(0, 1, 1, 2, 1, 1, T0 + 11, T0 + 12);
      kernel.markPrice(0, 50010, 50011, 0.0001, T0 + 1e9, T0 + 13, T0 + 14);
      kernel.openInterest(0, 5, T0 + 15, T0 + 16);
      kernel.start();
      kernel.stop();
      ctx.placeOrder(buy({ price: 1 })); // locally rejected → deferred onOrderUpdate (undefined)
      ctx.setTimer('t', T0 + 16);
      kernel.runDue(T0 + 16);
    }).not.toThrow();
    expect(ctx.now()).toBe(T0 + 16);
    kernel.trade(0, 1, 1, 1, 42, T0 + 17, T0 + 18);
    expect(trades).toEqual([42]);
  });

  it('markPrice sets the portfolio mark even without onMarkPrice, and it wins over the mid', () => {
    const { kernel, ctx } = setup();
    const id = ctx.placeOrder(buy()).clientOrderId;
    kernel.scheduleReport(
      {
        kind: 'fill',
        clientOrderId: id,
        price: 49000,
        qty: 0.002,
        fee: 0,
        liquidity: 'maker',
        leavesQty: 0,
        exchTs: T0,
      },
      T0,
    );
    kernel.runDue(T0);
    kernel.markPrice(0, 49500, 49500, 0, T0 + 1e9, T0 + 1, T0 + 2);
    seedBook(kernel, T0 + 10); // mid 50000, ignored now
    // unrealized = 0.002 · (49500 − 49000) = 1
    expect(kernel.portfolio.unrealized(0)).toBeCloseTo(1, 9);
  });
});

describe('Kernel: timers', () => {
  function timerSetup() {
    const fired: { name: string; at: number }[] = [];
    const s = setup((c) => ({ onTimer: (name) => fired.push({ name, at: c.now() - T0 }) }));
    return { ...s, fired };
  }

  it('setTimer fires once, at its time, through runDue', () => {
    const { kernel, ctx, fired } = timerSetup();
    ctx.setTimer('t', T0 + 100);
    expect(kernel.nextDueTs()).toBe(T0 + 100);
    kernel.runDue(T0 + 99);
    expect(fired).toEqual([]);
    kernel.runDue(T0 + 100);
    expect(fired).toEqual([{ name: 't', at: 100 }]);
    kernel.runDue(T0 + 10_000);
    expect(fired).toHaveLength(1);
    expect(kernel.nextDueTs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('setInterval repeats every everyUs from now', () => {
    const { kernel, ctx, fired } = timerSetup();
    ctx.setInterval('i', 50);
    kernel.runDue(T0 + 160);
    // T0 + 50, 100, 150; the next (200) is pending
    expect(fired.map((f) => f.at)).toEqual([50, 100, 150]);
    expect(kernel.nextDueTs()).toBe(T0 + 200);
    expect(() => ctx.setInterval('bad', 0)).toThrow(RangeError);
  });

  it('re-setting a timer with the same name replaces it', () => {
    const { kernel, ctx, fired } = timerSetup();
    ctx.setTimer('a', T0 + 100);
    ctx.setTimer('a', T0 + 200);
    ctx.setTimer('b', T0 + 150);
    kernel.runDue(T0 + 300);
    expect(fired).toEqual([
      { name: 'b', at: 150 },
      { name: 'a', at: 200 },
    ]);
  });

  it('setTimer replaces an interval of the same name (and vice versa)', () => {
    const { kernel, ctx, fired } = timerSetup();
    ctx.setInterval('x', 10);
    ctx.setTimer('x', T0 + 35);
    kernel.runDue(T0 + 100);
    expect(fired).toEqual([{ name: 'x', at: 35 }]);
  });

  it('clearTimer stops an interval', () => {
    const { kernel, ctx, fired } = timerSetup();
    ctx.setInterval('i', 50);
    kernel.runDue(T0 + 50);
    expect(fired).toHaveLength(1);
    ctx.clearTimer('i');
    kernel.runDue(T0 + 1000);
    expect(fired).toHaveLength(1);
  });

  it('a timer set in the past fires at now', () => {
    const { kernel, ctx, fired } = timerSetup();
    kernel.trade(0, 1, 1, 1, 1, T0 + 990, T0 + 1000); // time is now T0 + 1000
    ctx.setTimer('late', T0 + 10);
    expect(kernel.nextDueTs()).toBe(T0 + 1000);
    kernel.runDue(T0 + 1000);
    expect(fired).toEqual([{ name: 'late', at: 1000 }]);
  });

  it('an interval re-armed from inside onTimer keeps one schedule', () => {
    const fired: number[] = [];
    const { kernel } = setup((c) => ({
      onStart: () => c.setInterval('i', 100),
      onTimer: () => {
        fired.push(c.now() - T0);
        if (fired.length === 1) c.setInterval('i', 30); // from T0 + 100: 130, 160, …
      },
    }));
    kernel.start();
    kernel.runDue(T0 + 200);
    expect(fired).toEqual([100, 130, 160, 190]);
  });

  // BUG (kernel.ts:214-222): timer generations restart at 1 once a name's entry is deleted
  // (clearTimer, or a one-shot timer firing: kernel.ts:126), so a stale heap item of an older
  // timer with that name (generation 1) matches the new generation and fires. Here
  // setTimer('a', +100) → gen 1; clearTimer('a'); setTimer('a', +200) → gen 1 again: the
  // cleared +100 item fires at +100 (and, being one-shot, deletes the entry, so +200 never fires).
  // Expected fires [200]; actual [100]. Fix: never reuse a generation (e.g. one counter for all).
  it('a cleared timer does not fire after the name is set again', () => {
    const { kernel, ctx, fired } = timerSetup();
    ctx.setTimer('a', T0 + 100);
    ctx.clearTimer('a');
    ctx.setTimer('a', T0 + 200);
    kernel.runDue(T0 + 300);
    expect(fired).toEqual([{ name: 'a', at: 200 }]);
  });

  // BUG (same root cause): the common "re-arm" pattern. setTimer('a', +100) (gen 1), moved to
  // +50 (gen 2); it fires at +50 and the entry is deleted; re-armed at +300 → gen 1, which the
  // replaced +100 item still carries: it fires at +100 and the +300 timer is lost.
  // Expected [50, 300]; actual [50, 100].
  it('a replaced timer does not come back when the name is re-armed after firing', () => {
    const fired: number[] = [];
    const { kernel, ctx } = setup((c) => ({
      onTimer: () => {
        fired.push(c.now() - T0);
        if (fired.length === 1) c.setTimer('a', T0 + 300);
      },
    }));
    ctx.setTimer('a', T0 + 100);
    ctx.setTimer('a', T0 + 50);
    kernel.runDue(T0 + 1000);
    expect(fired).toEqual([50, 300]);
  });
});

describe('Kernel: strategy errors', () => {
  it('a throwing callback becomes a StrategyError naming strategy, callback and time', () => {
    const cause = new Error('bad index');
    const { kernel } = setup(
      () => ({
        onTrade() {
          throw cause;
        },
      }),
      'boom',
    );
    let err: unknown;
    try {
      kernel.trade(0, 1, 1, 1, 1, T0 + 1, T0 + 7);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StrategyError);
    const se = err as StrategyError;
    expect(se.name).toBe('StrategyError');
    expect([se.strategy, se.callback, se.ts]).toEqual(['boom', 'onTrade', T0 + 7]);
    expect(se.cause).toBe(cause);
    expect(se.message).toBe(`strategy boom threw in onTrade at ${formatMicros(T0 + 7)}: bad index`);
    expect(se.message).toContain('2023-11-14T22:13:20.000007Z');
  });

  it('wraps non-Error throws and errors in timers and order updates', () => {
    const { kernel, ctx } = setup(
      () => ({
        onTimer() {
          throw 'plain string';
        },
        onOrderUpdate() {
          throw new Error('in update');
        },
      }),
      'boom2',
    );
    ctx.setTimer('t', T0 + 5);
    expect(() => kernel.runDue(T0 + 5)).toThrow(
      expect.objectContaining({
        name: 'StrategyError',
        callback: 'onTimer',
        ts: T0 + 5,
        message: expect.stringMatching(/threw in onTimer at .*: plain string$/),
      }),
    );
    ctx.placeOrder(buy({ price: 1 })); // local rejection → deferred onOrderUpdate
    expect(() => kernel.runDue(T0 + 5)).toThrow(
      expect.objectContaining({ strategy: 'boom2', callback: 'onOrderUpdate', ts: T0 + 5 }),
    );
  });

  it('create() throwing → StrategyError with callback create', () => {
    const def = defineStrategy({
      name: 'broken',
      params: z.object({}),
      create() {
        throw new Error('missing param');
      },
    });
    const make = () =>
      new Kernel({
        mode: 'backtest',
        clock: new ReplayClock(T0 + 3),
        instruments: [BTC],
        venue: new FakeVenue(),
        strategy: def,
        params: {},
        logger: pino({ level: 'silent' }),
      });
    expect(make).toThrow(StrategyError);
    expect(make).toThrow(
      expect.objectContaining({
        strategy: 'broken',
        callback: 'create',
        ts: T0 + 3,
        message: expect.stringContaining('missing param'),
      }),
    );
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a function', () => ({})],
  ])('create() returning %s → StrategyError with callback create', (_label, value) => {
    const def = defineStrategy({
      name: 'nonobj',
      params: z.object({}),
      create: () => value as unknown as Strategy,
    });
    expect(
      () =>
        new Kernel({
          mode: 'backtest',
          clock: new ReplayClock(T0),
          instruments: [BTC],
          venue: new FakeVenue(),
          strategy: def,
          params: {},
          logger: pino({ level: 'silent' }),
        }),
    ).toThrow(
      expect.objectContaining({
        name: 'StrategyError',
        callback: 'create',
        message: expect.stringContaining('create() must return an object of callbacks'),
      }),
    );
  });
});

describe('Kernel: orders', () => {
  it('placeOrder in onBook sends at once; a local rejection reaches onOrderUpdate right after the callback returns', () => {
    const updates: { status: string; now: number; during: boolean }[] = [];
    const handles: Order[] = [];
    let inBook = false;
    const { kernel, venue } = setup((c) => ({
      onBook() {
        if (handles.length > 0) return;
        inBook = true;
        handles.push(c.placeOrder(buy({ price: 49999.94 }))); // rounds down to 49999.9
        handles.push(c.placeOrder(buy({ qty: 0.001, price: 4000 }))); // 4 < min notional 5
        handles.push(c.placeOrder({ symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 0.001 })); // 50 vs mid
        expect(updates).toEqual([]); // nothing re-entered the strategy
        inBook = false;
      },
      onOrderUpdate(o) {
        updates.push({ status: o.status, now: c.now(), during: inBook });
      },
    }));
    seedBook(kernel, T0 + 100);
    expect(handles.map((h) => h.status)).toEqual(['pending', 'rejected', 'pending']);
    expect(handles[0]!.price).toBe(49999.9);
    expect(handles[1]!.reason?.code).toBe('NOTIONAL_TOO_SMALL');
    expect(venue.submits.map((s) => [s.side, s.type, s.price])).toEqual([
      ['buy', 'limit', 49999.9],
      ['sell', 'market', Number.NaN],
    ]);
    // Delivered as soon as onBook returned: not during it, and at the same local time.
    expect(updates).toEqual([{ status: 'rejected', now: T0 + 100, during: false }]);
    expect(kernel.nextDueTs()).toBe(Number.POSITIVE_INFINITY);
    expect(kernel.execution.ordersRejected).toBe(1);
  });

  it('a market order is checked against the book mid (min notional)', () => {
    const { kernel, ctx } = setup();
    seedBook(kernel, T0 + 1); // mid 50000
    // 0.001 · 50000 = 50 ≥ 5 → pending; with no book it would skip the check
    expect(ctx.placeOrder({ symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.001 }).status).toBe(
      'pending',
    );
    kernel.depthRow(0, 1, 1, 1, ONE_ROW_SNAPSHOT, 2, 1, T0 + 2, T0 + 3); // bid 1 only → mid NaN
    expect(ctx.placeOrder({ symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.001 }).status).toBe(
      'pending',
    );
    kernel.depthRow(0, -1, 2, 1, FLAG_FIRST | FLAG_LAST, 3, 2, T0 + 4, T0 + 5); // mid 1.5
    // 0.001 · 1.5 = 0.0015 < 5
    expect(ctx.placeOrder({ symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.001 }).status).toBe(
      'rejected',
    );
  });

  it('scheduled reports drive onOrderUpdate / onFill and ctx.position at their local time', () => {
    const log: string[] = [];
    const positions: Position[] = [];
    const { kernel, ctx, bus } = setup((c) => ({
      onOrderUpdate: (o) => log.push(`${c.now() - T0} update ${o.status} ${o.filledQty}`),
      onFill: (f: Fill) => {
        log.push(`${c.now() - T0} fill ${f.qty}@${f.price} local=${f.localTs - T0} tag=${f.tag}`);
        positions.push(c.position('BTCUSDT'));
      },
    }));
    const busFills: Fill[] = [];
    const busOrders: string[] = [];
    bus.subscribe('fill', (f) => busFills.push(f));
    bus.subscribe('orderUpdate', (o) => busOrders.push(o.status));

    const id = ctx.placeOrder(buy({ qty: 0.003, price: 50000, tag: 'L1' })).clientOrderId;
    const rep = (r: Omit<ExecutionReport & { kind: 'fill' }, 'clientOrderId' | 'kind' | 'liquidity'>) =>
      ({ kind: 'fill', clientOrderId: id, liquidity: 'maker', ...r }) as const;
    kernel.scheduleReport(
      { kind: 'accepted', clientOrderId: id, exchangeOrderId: 'E1', exchTs: T0 + 5 },
      T0 + 10,
    );
    kernel.scheduleReport(
      rep({ price: 50000, qty: 0.001, fee: 0.01, leavesQty: 0.002, exchTs: T0 + 15 }),
      T0 + 20,
    );
    kernel.scheduleReport(
      rep({ price: 49999, qty: 0.002, fee: 0.02, leavesQty: 0, exchTs: T0 + 25 }),
      T0 + 30,
    );
    expect(kernel.nextDueTs()).toBe(T0 + 10);

    kernel.runDue(T0 + 25);
    expect(log).toEqual([
      '10 update new 0',
      '20 fill 0.001@50000 local=20 tag=L1',
      '20 update partiallyFilled 0.001',
    ]);
    expect(positions[0]).toMatchObject({ qty: 0.001, avgEntryPrice: 50000 }); // already applied in onFill
    expect(ctx.position('BTCUSDT').qty).toBe(0.001);
    expect(ctx.openOrders()).toHaveLength(1);

    kernel.runDue(T0 + 30);
    expect(log.slice(3)).toEqual(['30 fill 0.002@49999 local=30 tag=L1', '30 update filled 0.003']);
    const pos = ctx.position('BTCUSDT');
    // avg = (0.001·50000 + 0.002·49999) / 0.003 = (50 + 99.998) / 0.003 = 49999.333…
    expect(pos.qty).toBe(0.003);
    expect(pos.avgEntryPrice).toBeCloseTo(49999.333333333, 6);
    expect(pos.fees).toBeCloseTo(0.03, 12);
    expect(ctx.openOrders()).toEqual([]);
    expect(busFills.map((f) => f.qty)).toEqual([0.001, 0.002]);
    expect(busOrders).toEqual(['new', 'partiallyFilled', 'filled']);
    expect(kernel.execution.fillCount).toBe(2);
  });

  // BUG (execution-engine.ts:201-205 with kernel.ts:231-233): onFill runs before the order's
  // status is updated, so inside onFill for the *final* fill the order still looks open
  // (ctx.openOrders() lists it). A strategy that cancels it there gets status pendingCancel, a
  // venue cancel, and a *deferred* pendingCancel snapshot queued at now; then the fill's own
  // transition emits 'filled' synchronously, and runDue delivers the stale pendingCancel
  // afterwards. The strategy's last onOrderUpdate for a filled order says pendingCancel
  // (the later cancelRejected is ignored as the order is closed), so it never learns the order
  // ended. Expected updates [new, filled]; actual [new, filled, pendingCancel].
  // (The same happens whenever a deferred update is queued behind a report due at the same ts.)
  it('cancelling from onFill never delivers a stale update after the terminal one', () => {
    const statuses: string[] = [];
    const { kernel, ctx } = setup((c) => ({
      onOrderUpdate: (o) => statuses.push(o.status),
      onFill: (f) => {
        c.cancelOrder(f.clientOrderId);
      },
    }));
    const id = ctx.placeOrder(buy()).clientOrderId;
    kernel.scheduleReport(
      { kind: 'accepted', clientOrderId: id, exchangeOrderId: 'E1', exchTs: T0 },
      T0 + 10,
    );
    kernel.scheduleReport(
      {
        kind: 'fill',
        clientOrderId: id,
        price: 49000,
        qty: 0.002,
        fee: 0,
        liquidity: 'maker',
        leavesQty: 0,
        exchTs: T0 + 15,
      },
      T0 + 20,
    );
    kernel.runDue(T0 + 20);
    kernel.scheduleReport(
      {
        kind: 'cancelRejected',
        clientOrderId: id,
        reason: { code: 'UNKNOWN_ORDER', message: 'gone' },
        exchTs: T0 + 25,
      },
      T0 + 30,
    );
    kernel.runDue(T0 + 30);
    expect(statuses.at(-1)).toBe('filled');
    expect(statuses).toEqual(['new', 'filled']);
  });

  it('ctx.openOrders and ctx.cancelAll', () => {
    const updates: string[] = [];
    const { kernel, ctx, venue } = setup(() => ({
      onOrderUpdate: (o) => updates.push(`${o.clientOrderId}:${o.status}`),
    }));
    const a = ctx.placeOrder(buy({ clientOrderId: 'a' }));
    const b = ctx.placeOrder(buy({ clientOrderId: 'b', side: 'sell', price: 51000 }));
    ctx.placeOrder(buy({ clientOrderId: 'r', price: 1 })); // rejected locally
    expect(ctx.openOrders().map((o) => o.clientOrderId)).toEqual(['a', 'b']);
    expect(ctx.openOrders('BTCUSDT').map((o) => o.status)).toEqual(['pending', 'pending']);
    expect(ctx.cancelOrder('nope')).toBe(false);
    expect(ctx.cancelAll()).toBe(2);
    expect(venue.cancels).toEqual([
      { clientOrderId: a.clientOrderId, symbol: 'BTCUSDT' },
      { clientOrderId: b.clientOrderId, symbol: 'BTCUSDT' },
    ]);
    expect(ctx.openOrders().map((o) => o.status)).toEqual(['pendingCancel', 'pendingCancel']);
    kernel.runDue(T0);
    expect(updates).toEqual(['r:rejected', 'a:pendingCancel', 'b:pendingCancel']);
    kernel.scheduleReport({ kind: 'canceled', clientOrderId: 'a', exchTs: T0 + 1 }, T0 + 2);
    kernel.runDue(T0 + 2);
    expect(ctx.openOrders().map((o) => o.clientOrderId)).toEqual(['b']);
    expect(venue.cancels).toHaveLength(2);
  });

  // BUG (execution-engine.ts:122-128, cancel() at :114): cancelAll counts every open order whose
  // cancel() returned true, and cancel() returns true for an order already pendingCancel without
  // sending anything. The SDK documents cancelAll as "returns how many cancels were sent"
  // (sdk/src/strategy/context.ts:36). Calling cancelAll twice returns 2 the second time while
  // sending 0 cancels. Expected 0; actual 2.
  it('ctx.cancelAll returns how many cancels were sent (none the second time)', () => {
    const { ctx, venue } = setup();
    ctx.placeOrder(buy());
    ctx.placeOrder(buy());
    expect(ctx.cancelAll('BTCUSDT')).toBe(2);
    expect(venue.cancels).toHaveLength(2);
    expect(ctx.cancelAll('BTCUSDT')).toBe(0); // …so it should report 0 (actual: 2)
    expect(venue.cancels).toHaveLength(2);
  });
});

describe('Kernel: context and bus', () => {
  it('emit() publishes a signal event with ts = now, and counts signals without subscribers', () => {
    const { kernel, ctx, bus } = setup();
    ctx.emit('warmup', 1);
    expect(kernel.emitted).toBe(1);
    const got: unknown[] = [];
    const off = bus.subscribe('signal', (s) => got.push(s));
    kernel.trade(0, 1, 1, 1, 1, T0 + 40, T0 + 42);
    ctx.emit('obi', 0.25);
    ctx.emit('state', { regime: 'calm', n: [1, 2] });
    expect(got).toEqual([
      { name: 'obi', ts: T0 + 42, value: 0.25 },
      { name: 'state', ts: T0 + 42, value: { regime: 'calm', n: [1, 2] } },
    ]);
    off();
    ctx.emit('after', 2);
    expect(got).toHaveLength(2);
    expect(kernel.emitted).toBe(4);
  });

  it('exposes mode, symbols, instruments, books and positions; unknown symbols throw clearly', () => {
    const { ctx, kernel } = setup();
    expect(ctx.mode).toBe('backtest');
    expect(ctx.symbols).toEqual(['BTCUSDT']);
    expect(Object.isFrozen(ctx.symbols)).toBe(true);
    expect(ctx.instrument('BTCUSDT')).toBe(BTC);
    expect(ctx.book('BTCUSDT')).toBe(kernel.marketData.books[0]);
    expect(ctx.position('BTCUSDT')).toMatchObject({ symbol: 'BTCUSDT', qty: 0 });
    expect(() => ctx.position('ETHUSDT')).toThrow('unknown symbol ETHUSDT; this run trades BTCUSDT');
    const r = ctx.placeOrder(buy({ symbol: 'ETHUSDT' }));
    expect(r.reason?.code).toBe('UNKNOWN_SYMBOL');
    expect(ctx.now()).toBe(T0);
  });

  it('start/stop call onStart/onStop at the current time', () => {
    const calls: string[] = [];
    const { kernel } = setup((c) => ({
      onStart: () => calls.push(`start@${c.now() - T0}`),
      onStop: () => calls.push(`stop@${c.now() - T0}`),
    }));
    kernel.start();
    kernel.trade(0, 1, 1, 1, 1, T0 + 1, T0 + 9);
    kernel.stop();
    expect(calls).toEqual(['start@0', 'stop@9']);
  });
});
