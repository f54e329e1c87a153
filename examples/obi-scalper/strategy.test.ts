import {
  type Instrument,
  type JsonValue,
  type Logger,
  type Order,
  OrderBook,
  type OrderRequest,
  type Position,
  parseParams,
  type Strategy,
  type StrategyContext,
  type Trade,
} from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import { needsRequote, planQuotes } from './quoting.js';
import { bookObi, combineSignal, obi, TradeFlowWindow } from './signals.js';
import scalper, { type ObiScalperParams } from './strategy.js';

describe('signals', () => {
  it('obi is (bid − ask) / (bid + ask), 0 when empty', () => {
    expect(obi(3, 1)).toBe(0.5);
    expect(obi(1, 3)).toBe(-0.5);
    expect(obi(2, 0)).toBe(1);
    expect(obi(0, 0)).toBe(0);
  });

  it('bookObi sums the best n levels of each side', () => {
    const book = new OrderBook('BTCUSDT', 0.1);
    book.update(1, 100, 1);
    book.update(1, 99.9, 2);
    book.update(1, 99.8, 100); // beyond 2 levels
    book.update(-1, 100.1, 1);
    book.update(-1, 100.2, 1);
    expect(bookObi(book, 2)).toBeCloseTo(1 / 5, 12);
    expect(bookObi(book, 1)).toBe(0);
  });

  it('trade flow counts only the trades inside the event-time window', () => {
    const w = new TradeFlowWindow(1_000_000);
    expect(w.value(0)).toBe(0);
    w.add(0, 'buy', 3);
    w.add(500_000, 'sell', 1);
    expect(w.value(500_000)).toBe(0.5);
    expect(w.count(999_999)).toBe(2);
    expect(w.value(1_000_000)).toBe(-1); // the buy at 0 is out: window is (now − 1 s, now]
    expect(w.value(1_600_000)).toBe(0);
    expect(w.count(1_600_000)).toBe(0);
    w.add(2_000_000, 'buy', 0.5);
    expect(w.value(2_000_000)).toBe(1);
  });

  it('keeps exact sums over many trades', () => {
    const w = new TradeFlowWindow(100);
    for (let t = 0; t < 10_000; t++) w.add(t, t % 3 === 0 ? 'sell' : 'buy', 0.1);
    // Window (9899, 9999]: 100 trades, 33 or 34 sells.
    expect(w.count(9_999)).toBe(100);
    expect(w.value(9_999)).toBeCloseTo((66 * 0.1 - 34 * 0.1) / 10, 9);
  });

  it('combineSignal blends and clamps', () => {
    expect(combineSignal(0.5, -0.5, 0.25)).toBeCloseTo(0.25, 12);
    expect(combineSignal(1, 1, 0.3)).toBe(1);
    expect(combineSignal(0.2, 0.9, 0)).toBe(0.2);
  });
});

describe('quoting', () => {
  const base = { bestBidTicks: 1000, bestAskTicks: 1001, threshold: 0.3, skewTicks: 2, edgeTicks: 0.5 };

  it('joins the touch on both sides when neutral', () => {
    expect(planQuotes({ ...base, signal: 0 })).toEqual({ bid: 1000, ask: 1001 });
  });

  it('quotes only the favoured side past the threshold, skewed but never crossing', () => {
    expect(planQuotes({ ...base, signal: 0.6 })).toEqual({ bid: 1000, ask: undefined }); // capped below the ask
    expect(planQuotes({ ...base, signal: -0.6 })).toEqual({ bid: undefined, ask: 1001 });
    const wide = { ...base, bestBidTicks: 990, bestAskTicks: 1010 };
    expect(planQuotes({ ...wide, signal: 0.5 })).toEqual({ bid: 1000, ask: undefined });
    expect(planQuotes({ ...wide, signal: -1 })).toEqual({ bid: undefined, ask: 999 });
  });

  it('backs off with a wider edge', () => {
    expect(planQuotes({ ...base, signal: 0, edgeTicks: 2.5 })).toEqual({ bid: 998, ask: 1003 });
  });

  it('re-quotes only on a move of requoteTicks', () => {
    expect(needsRequote(1000, 1001, 2)).toBe(false);
    expect(needsRequote(1000, 998, 2)).toBe(true);
  });
});

// ── the strategy against a minimal fake context ──────────────────────────────────────────

const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Just enough of a StrategyContext to drive the strategy by hand. */
class FakeContext implements StrategyContext {
  readonly mode = 'backtest' as const;
  readonly symbols = ['BTCUSDT'];
  readonly state: Record<string, JsonValue> = {};
  readonly log = silent;
  readonly orderBook = new OrderBook('BTCUSDT', 0.1);
  readonly orders = new Map<string, Order>();
  readonly placed: OrderRequest[] = [];
  readonly cancels: string[] = [];
  readonly emitted: Array<[string, unknown]> = [];
  readonly timers = new Map<string, number>();
  cancelAlls = 0;
  // The scalper computes its own signals and holds no legs: these are never called.
  readonly signals = {} as StrategyContext['signals'];
  readonly legs = {} as StrategyContext['legs'];
  readonly modifies: Array<{ id: string; price?: number; qty?: number }> = [];
  t = 1_000_000;
  pos: Position = {
    symbol: 'BTCUSDT',
    qty: 0,
    avgEntryPrice: Number.NaN,
    realizedPnl: 0,
    fees: 0,
    funding: 0,
  };
  private nextId = 1;

  now(): number {
    return this.t;
  }
  instrument(): Instrument {
    return BTC;
  }
  book(): OrderBook {
    return this.orderBook;
  }
  position(): Position {
    return this.pos;
  }
  openOrders(): readonly Order[] {
    return [...this.orders.values()].filter(
      (o) => !['filled', 'canceled', 'rejected', 'expired'].includes(o.status),
    );
  }
  placeOrder(req: OrderRequest): Order {
    this.placed.push(req);
    const order: Order = {
      clientOrderId: `c${this.nextId++}`,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      timeInForce: req.timeInForce ?? 'GTC',
      price: req.price ?? Number.NaN,
      qty: req.qty,
      filledQty: 0,
      avgFillPrice: Number.NaN,
      status: 'pending',
      reduceOnly: req.reduceOnly ?? false,
      createdTs: this.t,
      updatedTs: this.t,
      ...(req.tag === undefined ? {} : { tag: req.tag }),
    };
    this.orders.set(order.clientOrderId, order);
    return order;
  }
  cancelOrder(id: string): boolean {
    const o = this.orders.get(id);
    if (!o) return false;
    this.cancels.push(id);
    this.orders.set(id, { ...o, status: 'pendingCancel' });
    return true;
  }
  modifyOrder(id: string, changes: { price?: number; qty?: number }): boolean {
    const o = this.orders.get(id);
    if (!o) return false;
    this.modifies.push({ id, ...changes });
    return true;
  }
  cancelAll(): number {
    this.cancelAlls++;
    const open = this.openOrders();
    for (const o of open) this.cancelOrder(o.clientOrderId);
    return open.length;
  }
  setTimer(name: string, atUs: number): void {
    this.timers.set(name, atUs);
  }
  setInterval(): void {}
  clearTimer(name: string): void {
    this.timers.delete(name);
  }
  emit(name: string, value: number | JsonValue): void {
    this.emitted.push([name, value]);
  }

  /** The venue's answer to an order: returns the updated snapshot. */
  settle(id: string, status: Order['status'], extra: Partial<Order> = {}): Order {
    const o = { ...this.orders.get(id)!, status, updatedTs: this.t, ...extra };
    this.orders.set(id, o);
    return o;
  }
  /** Replaces the book: `bids`/`asks` as [price, qty] best first. */
  setBook(bids: Array<[number, number]>, asks: Array<[number, number]>): void {
    this.orderBook.clear();
    for (const [p, q] of bids) this.orderBook.update(1, p, q);
    for (const [p, q] of asks) this.orderBook.update(-1, p, q);
  }
  live(side: 'buy' | 'sell'): Order[] {
    return this.openOrders().filter((o) => o.side === side && o.status !== 'pendingCancel');
  }
}

const balanced = (mid: number): [Array<[number, number]>, Array<[number, number]>] => {
  const bid = Math.round((mid - 0.05) * 10) / 10;
  const bids = Array.from({ length: 5 }, (_, i): [number, number] => [
    Math.round((bid - i * 0.1) * 10) / 10,
    1,
  ]);
  const asks = Array.from({ length: 5 }, (_, i): [number, number] => [
    Math.round((bid + 0.1 + i * 0.1) * 10) / 10,
    1,
  ]);
  return [bids, asks];
};

function setup(overrides: Partial<ObiScalperParams> = {}): {
  ctx: FakeContext;
  s: Strategy;
  p: ObiScalperParams;
} {
  const parsed = parseParams(scalper, overrides);
  if (!parsed.ok) throw new Error(parsed.message);
  const p = parsed.params as ObiScalperParams;
  const ctx = new FakeContext();
  const s = scalper.create(ctx, p);
  s.onStart?.();
  return { ctx, s, p };
}

const book = (
  ctx: FakeContext,
  s: Strategy,
  bids: Array<[number, number]>,
  asks: Array<[number, number]>,
) => {
  ctx.setBook(bids, asks);
  s.onBook?.(ctx.orderBook, 'BTCUSDT');
};

describe('obi-scalper strategy', () => {
  it('has the documented defaults', () => {
    const { p } = setup();
    expect(p).toMatchObject({
      levels: 5,
      threshold: 0.3,
      qty: 0.01,
      maxPosition: 0.05,
      requoteTicks: 2,
      stopTicks: 30,
    });
    expect(parseParams(scalper, { levels: 0 }).ok).toBe(false);
  });

  it('quotes post-only on both sides of a balanced book, and not again on an unchanged book', () => {
    const { ctx, s } = setup();
    book(ctx, s, ...balanced(50_000.05));
    expect(ctx.placed).toEqual([
      {
        symbol: 'BTCUSDT',
        side: 'buy',
        type: 'limit',
        price: 50_000,
        qty: 0.01,
        timeInForce: 'GTX',
        tag: 'quote',
      },
      {
        symbol: 'BTCUSDT',
        side: 'sell',
        type: 'limit',
        price: 50_000.1,
        qty: 0.01,
        timeInForce: 'GTX',
        tag: 'quote',
      },
    ]);
    expect(ctx.emitted).toEqual([['signal', 0]]);
    book(ctx, s, ...balanced(50_000.05));
    book(ctx, s, ...balanced(50_000.15)); // one tick: below requoteTicks
    expect(ctx.placed).toHaveLength(2);
    expect(ctx.cancels).toHaveLength(0);
    book(ctx, s, ...balanced(50_000.25)); // two ticks: re-quote both
    expect(ctx.cancels).toEqual(['c1', 'c2']);
    expect(ctx.placed.slice(2).map((r) => [r.side, r.price])).toEqual([
      ['buy', 50_000.2],
      ['sell', 50_000.3],
    ]);
  });

  it('quotes only the bid when bids dominate, cancelling the ask', () => {
    const { ctx, s } = setup();
    book(ctx, s, ...balanced(50_000.05));
    const [bids, asks] = balanced(50_000.05);
    book(
      ctx,
      s,
      bids.map(([px]) => [px, 4]),
      asks,
    );
    expect(ctx.cancels).toEqual(['c2']);
    expect(ctx.live('buy')).toHaveLength(1);
    expect(ctx.live('sell')).toHaveLength(0);
    expect(ctx.emitted.at(-1)![1]).toBeCloseTo(0.7 * 0.6, 12);
  });

  it('leans on trade flow', () => {
    const { ctx, s } = setup({ flowWeight: 1 });
    const trade = (side: 'buy' | 'sell'): Trade => ({
      type: 'trade',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exchTs: ctx.t - 3_000,
      localTs: ctx.t,
      tradeId: 1,
      price: 50_000,
      qty: 0.5,
      side,
    });
    s.onTrade?.(trade('sell'));
    book(ctx, s, ...balanced(50_000.05));
    expect(ctx.emitted.at(-1)).toEqual(['signal', -1]);
    expect(ctx.placed.map((r) => r.side)).toEqual(['sell']);
    ctx.t += 3_000_000; // the trade has left the 2 s window
    book(ctx, s, ...balanced(50_000.05));
    expect(ctx.emitted.at(-1)).toEqual(['signal', 0]);
    expect(ctx.placed.map((r) => r.side)).toEqual(['sell', 'buy']);
  });

  it('retries a quote rejected as post-only-would-cross on the next book', () => {
    const { ctx, s } = setup();
    book(ctx, s, ...balanced(50_000.05));
    s.onOrderUpdate?.(
      ctx.settle('c1', 'rejected', { reason: { code: 'POST_ONLY_WOULD_CROSS', message: 'would cross' } }),
    );
    book(ctx, s, ...balanced(50_000.05));
    expect(ctx.placed.map((r) => r.side)).toEqual(['buy', 'sell', 'buy']);
  });

  it('re-quotes after a fill and respects maxPosition', () => {
    const { ctx, s } = setup({ maxPosition: 0.015 });
    book(ctx, s, ...balanced(50_000.05));
    // The bid fills: position +0.01, room left for 0.005 more.
    ctx.pos = { ...ctx.pos, qty: 0.01, avgEntryPrice: 50_000 };
    s.onFill?.({
      clientOrderId: 'c1',
      symbol: 'BTCUSDT',
      side: 'buy',
      price: 50_000,
      qty: 0.01,
      fee: 0.1,
      liquidity: 'maker',
      exchTs: ctx.t,
      localTs: ctx.t,
    });
    s.onOrderUpdate?.(ctx.settle('c1', 'filled', { filledQty: 0.01 }));
    book(ctx, s, ...balanced(50_000.05));
    const next = ctx.placed.at(-1)!;
    expect([next.side, next.qty]).toEqual(['buy', 0.005]);
    // Full long: no more bids, the ask still quotes.
    ctx.pos = { ...ctx.pos, qty: 0.015 };
    s.onOrderUpdate?.(ctx.settle(ctx.live('buy')[0]!.clientOrderId, 'filled'));
    const before = ctx.placed.length;
    book(ctx, s, ...balanced(50_000.05));
    expect(ctx.placed.length).toBe(before);
    expect(ctx.live('sell')).toHaveLength(1);
  });

  it('stops on a losing position: cancels, flattens reduce-only, pauses, then resumes', () => {
    const { ctx, s } = setup({ stopTicks: 30, cooldownMs: 5_000 });
    book(ctx, s, ...balanced(50_000.05));
    ctx.pos = { ...ctx.pos, qty: 0.02, avgEntryPrice: 50_000 };
    book(ctx, s, ...balanced(49_997.05)); // 29.5 ticks under water: not yet
    expect(ctx.cancelAlls).toBe(0);
    book(ctx, s, ...balanced(49_996.95)); // 30.5 ticks
    expect(ctx.cancelAlls).toBe(1);
    expect(ctx.placed.at(-1)).toEqual({
      symbol: 'BTCUSDT',
      side: 'sell',
      type: 'market',
      qty: 0.02,
      reduceOnly: true,
      tag: 'flatten',
    });
    expect(ctx.timers.get('resume:BTCUSDT')).toBe(ctx.t + 5_000_000);
    const flattenId = `c${ctx.placed.length}`;
    const placed = ctx.placed.length;
    book(ctx, s, ...balanced(49_990.05)); // paused, flatten in flight: nothing new
    expect(ctx.placed.length).toBe(placed);
    ctx.pos = { ...ctx.pos, qty: 0, avgEntryPrice: Number.NaN, realizedPnl: -0.6 };
    s.onOrderUpdate?.(ctx.settle(flattenId, 'filled', { filledQty: 0.02 }));
    ctx.t += 5_000_000;
    s.onTimer?.('resume:BTCUSDT');
    expect(ctx.placed.slice(placed).map((r) => r.timeInForce)).toEqual(['GTX', 'GTX']);
  });

  it('halts when total PnL reaches −maxLossQuote', () => {
    const { ctx, s } = setup({ maxLossQuote: 50, cooldownMs: 0 });
    ctx.pos = { ...ctx.pos, realizedPnl: -45, fees: 6 };
    book(ctx, s, ...balanced(50_000.05));
    expect(ctx.cancelAlls).toBe(1);
    expect(ctx.placed).toHaveLength(0);
    ctx.t += 1_000_000;
    book(ctx, s, ...balanced(50_000.05));
    expect(ctx.placed).toHaveLength(0);
    expect(ctx.cancelAlls).toBe(1);
  });
});
