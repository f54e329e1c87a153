import {
  type Fill,
  type Instrument,
  type JsonValue,
  Leg,
  type LegDirection,
  type Logger,
  type Order,
  OrderBook,
  OrderBookImbalance,
  type OrderRequest,
  type Position,
  parseParams,
  type Strategy,
  type StrategyContext,
} from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import hedgeV2 from './strategy.js';

const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const TERMINAL = ['filled', 'canceled', 'rejected', 'expired'];

/** Just enough of a StrategyContext (and of the kernel's leg and signal engines) to drive hedge-v2 by hand. */
class FakeContext implements StrategyContext {
  readonly mode = 'backtest' as const;
  readonly symbols = ['BTCUSDT'];
  readonly log = silent;
  readonly orderBook = new OrderBook('BTCUSDT', 0.1);
  readonly orders = new Map<string, Order>();
  readonly placed: Order[] = [];
  readonly cancels: string[] = [];
  readonly legMap = new Map<string, Leg>();
  /** The sampled indicators in creation order: EMA fast, EMA slow, RSI, MACD. */
  readonly sampledInd: object[] = [];
  obiSignal: OrderBookImbalance | undefined;
  restoredCount = 0;
  t = 1_000_000;
  private nextId = 1;
  private levels: { bid: number; ask: number } | undefined;

  constructor(readonly state: Record<string, JsonValue> = {}) {}

  readonly signals = {
    obi: (_s: string, opts?: { levels: number } | { band: number }) => {
      this.obiSignal = new OrderBookImbalance(opts);
      return this.obiSignal;
    },
    sampled: <T extends { update(x: number): unknown }>(_s: string, ind: T) => {
      this.sampledInd.push(ind);
      return ind;
    },
  } as unknown as StrategyContext['signals'];

  readonly legs = {
    create: (o: { id: string; symbol: string; direction: LegDirection }) => {
      const leg = new Leg({ ...o, instrument: BTC });
      this.legMap.set(leg.id, leg);
      return leg;
    },
    restore: (json: unknown) => {
      const leg = Leg.fromJSON(json);
      this.restoredCount++;
      this.legMap.set(leg.id, leg);
      return leg;
    },
    get: (id: string) => this.legMap.get(id),
    all: () => [...this.legMap.values()],
  } as unknown as StrategyContext['legs'];

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
    return { symbol: 'BTCUSDT', qty: 0, avgEntryPrice: Number.NaN, realizedPnl: 0, fees: 0, funding: 0 };
  }
  openOrders(): readonly Order[] {
    return [...this.orders.values()].filter((o) => !TERMINAL.includes(o.status));
  }
  placeOrder(req: OrderRequest): Order {
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
    this.placed.push(order);
    return order;
  }
  cancelOrder(id: string): boolean {
    const o = this.orders.get(id);
    if (!o || TERMINAL.includes(o.status)) return false;
    this.cancels.push(id);
    this.orders.set(id, { ...o, status: 'canceled' });
    return true;
  }
  modifyOrder(): boolean {
    return false;
  }
  cancelAll(): number {
    const open = this.openOrders();
    for (const o of open) this.cancelOrder(o.clientOrderId);
    return open.length;
  }
  setTimer(): void {}
  setInterval(): void {}
  clearTimer(): void {}
  emit(): void {}

  /** Sets the trend's indicator values directly (as if sampled for a while). */
  setTrend(trend: 'up' | 'down' | 'none'): void {
    const v = trend === 'up' ? [101, 100, 60, 1] : trend === 'down' ? [99, 100, 40, -1] : [100, 100, 50, 0];
    const [fast, slow, rsi, macd] = this.sampledInd;
    Object.defineProperty(fast, 'value', { get: () => v[0], configurable: true });
    Object.defineProperty(slow, 'value', { get: () => v[1], configurable: true });
    Object.defineProperty(rsi, 'value', { get: () => v[2], configurable: true });
    Object.defineProperty(macd, 'value', {
      get: () => ({ macd: v[3], signal: 0, histogram: v[3] }),
      configurable: true,
    });
  }

  /** A one-level book; updates the OBI signal, then calls onBook (as the kernel does). */
  book1(s: Strategy, bid: number, ask: number, bidQty = 1, askQty = 1): void {
    if (this.levels) {
      this.orderBook.update(1, this.levels.bid, 0);
      this.orderBook.update(-1, this.levels.ask, 0);
    }
    this.orderBook.update(1, bid, bidQty);
    this.orderBook.update(-1, ask, askQty);
    this.levels = { bid, ask };
    this.t += 100_000;
    this.obiSignal?.update(this.orderBook);
    s.onBook?.(this.orderBook, 'BTCUSDT');
  }

  /** Fills an order completely: the leg first (the kernel's job), then onFill and onOrderUpdate. */
  fill(s: Strategy, id: string, price: number): void {
    const o = this.orders.get(id)!;
    const f: Fill = {
      clientOrderId: id,
      symbol: o.symbol,
      side: o.side,
      price,
      qty: o.qty,
      fee: 0,
      liquidity: 'taker',
      exchTs: this.t,
      localTs: this.t,
      ...(o.tag === undefined ? {} : { tag: o.tag }),
    };
    if (o.tag !== undefined) this.legMap.get(o.tag)?.onFill(f);
    const done: Order = { ...o, filledQty: o.qty, avgFillPrice: price, status: 'filled' };
    this.orders.set(id, done);
    s.onFill?.(f);
    s.onOrderUpdate?.(done);
  }

  /** Expires an order unfilled (an IOC that found nothing). */
  expire(s: Strategy, id: string): void {
    const done: Order = { ...this.orders.get(id)!, status: 'expired' };
    this.orders.set(id, done);
    s.onOrderUpdate?.(done);
  }

  since(n: number): Order[] {
    return this.placed.slice(n);
  }
}

/** Test sizes (0.01 BTC entries) and levels; each test overrides what it exercises. */
const BASE = {
  entryQty: 0.01,
  ladderQty: 0.01,
  maxLegQty: 0.05,
  scaleOutStepTicks: 15,
  bubbleActivation: 5,
  bubbleGiveBack: 0.3,
};

function start(raw: object = {}, state?: Record<string, JsonValue>) {
  const ctx = new FakeContext(state);
  const parsed = parseParams(hedgeV2, { ...BASE, ...raw });
  if (!parsed.ok) throw new Error(parsed.message);
  const s = hedgeV2.create(ctx, parsed.params as never);
  s.onStart?.();
  return { ctx, s };
}

/** Opens the main long leg at 50 000 (IOC entry filled). */
function openLong(raw: object = {}) {
  const { ctx, s } = start(raw);
  ctx.setTrend('up');
  ctx.book1(s, 49_999.9, 50_000, 3, 1); // OBI = +0.5
  const entry = ctx.placed[0]!;
  ctx.fill(s, entry.clientOrderId, 50_000);
  return { ctx, s, entry };
}

describe('hedge-v2 against a fake context', () => {
  it('makes no orders without a trend, nor against it', () => {
    const { ctx, s } = start();
    ctx.setTrend('none');
    ctx.book1(s, 49_999.9, 50_000, 3, 1);
    ctx.setTrend('down');
    ctx.book1(s, 49_999.9, 50_000, 3, 1); // the book leans up, the trend is down
    expect(ctx.placed).toHaveLength(0);
  });

  it('enters the trend with one IOC at the touch, and only one while it works', () => {
    const { ctx, s } = start();
    ctx.setTrend('up');
    ctx.book1(s, 49_999.9, 50_000, 3, 1);
    ctx.book1(s, 49_999.9, 50_000, 3, 1);
    expect(ctx.placed).toHaveLength(1);
    expect(ctx.placed[0]).toMatchObject({
      side: 'buy',
      type: 'limit',
      timeInForce: 'IOC',
      price: 50_000,
      qty: 0.01,
      tag: 'hedge-v2:long',
    });
    ctx.expire(s, ctx.placed[0]!.clientOrderId); // missed: try again on the next trigger
    ctx.book1(s, 49_999.9, 50_000, 3, 1);
    expect(ctx.placed).toHaveLength(2);
  });

  it('post-only entry at our touch is re-placed only on a meaningful move', () => {
    const { ctx, s } = start({ entryMode: 'post', requoteTicks: 3 });
    ctx.setTrend('down');
    ctx.book1(s, 49_999.9, 50_000, 1, 3);
    expect(ctx.placed[0]).toMatchObject({
      side: 'sell',
      price: 50_000,
      timeInForce: 'GTX',
      tag: 'hedge-v2:short',
    });
    ctx.book1(s, 49_999.8, 49_999.9, 1, 3); // 1 tick: keep
    expect(ctx.placed).toHaveLength(1);
    ctx.book1(s, 49_999.5, 49_999.6, 1, 3); // 4 ticks: replace
    expect(ctx.cancels).toEqual([ctx.placed[0]!.clientOrderId]);
    expect(ctx.placed[1]).toMatchObject({ price: 49_999.6 });
    ctx.book1(s, 49_999.5, 49_999.6, 3, 1); // the trigger is gone: withdraw
    expect(ctx.cancels).toContain(ctx.placed[1]!.clientOrderId);
  });

  it('after the entry fill: a smaller hedge, a scale-in ladder, saved state, no churn', () => {
    const { ctx, s } = openLong();
    expect(ctx.legMap.get('hedge-v2:long')!.qty).toBe(0.01);
    const n = ctx.placed.length;
    ctx.book1(s, 49_999.9, 50_000, 1, 1);
    const next = ctx.since(n);
    const hedge = next.filter((o) => o.tag === 'hedge-v2:short');
    const ladder = next.filter((o) => o.tag === 'hedge-v2:long');
    expect(hedge).toEqual([
      expect.objectContaining({ side: 'sell', qty: 0.005, timeInForce: 'IOC', price: 49_999.9 }),
    ]);
    expect(ladder.map((o) => [o.side, o.price, o.qty])).toEqual([
      ['buy', 49_998, 0.01],
      ['buy', 49_996, 0.01],
      ['buy', 49_994, 0.01],
    ]);
    const saved = ctx.state.hedgeV2 as { mainDir: string; legs: { long: { qty: number } } };
    expect(saved.mainDir).toBe('long');
    expect(saved.legs.long.qty).toBe(0.01);
    const m = ctx.placed.length;
    for (let i = 0; i < 5; i++) ctx.book1(s, 49_999.9, 50_000, 1, 1);
    expect(ctx.placed.length).toBe(m);
    expect(ctx.cancels).toHaveLength(0);
  });

  it('a filled rung moves the average: the rest of the ladder is replaced, within maxLegQty', () => {
    const { ctx, s } = openLong({ maxLegQty: 0.03 });
    ctx.book1(s, 49_999.9, 50_000, 1, 1);
    const rungs = ctx.placed.filter((o) => o.tag === 'hedge-v2:long' && o.price < 50_000);
    expect(rungs.map((o) => o.qty)).toEqual([0.01, 0.01]); // 0.01 held + 0.02 = 0.03
    ctx.fill(s, rungs[0]!.clientOrderId, 49_998);
    const n = ctx.placed.length;
    ctx.book1(s, 49_997.9, 49_998, 1, 1);
    expect(ctx.cancels).toContain(rungs[1]!.clientOrderId);
    const fresh = ctx.since(n).filter((o) => o.tag === 'hedge-v2:long');
    expect(fresh.map((o) => [o.price, o.qty])).toEqual([[49_997, 0.01]]); // avg 49 999, room 0.01
  });

  it('scales out a fraction on a favourable move', () => {
    const { ctx, s } = openLong({ scaleOutStepTicks: 15, scaleOutFraction: 0.5, bubbleActivation: 100 });
    const n = ctx.placed.length;
    ctx.book1(s, 50_001.5, 50_001.6, 1, 1);
    const out = ctx.since(n).filter((o) => o.type === 'market');
    expect(out).toEqual([
      expect.objectContaining({ side: 'sell', type: 'market', qty: 0.005, tag: 'hedge-v2:long' }),
    ]);
    ctx.book1(s, 50_001.5, 50_001.6, 1, 1); // in flight: not again
    expect(ctx.placed.filter((o) => o.type === 'market')).toHaveLength(1);
  });

  it('bubble exit: arms at the activation profit and exits after the give-back', () => {
    const { ctx, s } = openLong({ maxScaleOuts: 0, bubbleActivation: 0.5, bubbleGiveBack: 0.3 });
    ctx.book1(s, 50_000, 50_000.2, 1, 1); // settle the ladder and the hedge
    const n = ctx.placed.length;
    ctx.book1(s, 50_060, 50_060.2, 1, 1); // +0.6 profit: armed
    expect(ctx.since(n).filter((o) => o.type === 'market')).toHaveLength(0);
    ctx.book1(s, 50_030, 50_030.2, 1, 1); // 0.3 ≤ 0.6 × 0.7: exit
    const exits = ctx.since(n).filter((o) => o.type === 'market' && o.tag === 'hedge-v2:long');
    expect(exits).toEqual([expect.objectContaining({ side: 'sell', type: 'market', qty: 0.01 })]);
    const ladderIds = ctx.placed.filter(
      (o) => o.tag === 'hedge-v2:long' && o.type === 'limit' && o.price < 50_000,
    );
    for (const o of ladderIds) expect(ctx.cancels).toContain(o.clientOrderId);
  });

  it('hard stop closes the main leg; the hedge follows and entries cool down', () => {
    const { ctx, s } = openLong({ stopTicks: 100, cooldownMs: 30_000, maxScaleOuts: 0 });
    ctx.book1(s, 49_999.9, 50_000, 1, 1);
    const hedge = ctx.placed.find((o) => o.tag === 'hedge-v2:short')!;
    ctx.fill(s, hedge.clientOrderId, 49_999.9);
    const n = ctx.placed.length;
    ctx.book1(s, 49_989.9, 49_990, 1, 1); // mid 49 989.95: more than 100 ticks under 50 000
    const stop = ctx.since(n).find((o) => o.tag === 'hedge-v2:long' && o.type === 'market')!;
    expect(stop).toMatchObject({ side: 'sell', type: 'market', qty: 0.01 });
    ctx.fill(s, stop.clientOrderId, 49_990);
    const hedgeExit = ctx.placed.find((o) => o.tag === 'hedge-v2:short' && o.type === 'market')!;
    expect(hedgeExit).toMatchObject({ side: 'buy', type: 'market', qty: 0.005 });
    // The legs net in a one-way account (long 0.01 + short 0.005): exits go without reduceOnly.
    expect([stop.reduceOnly, hedgeExit.reduceOnly]).toEqual([false, false]);
    ctx.fill(s, hedgeExit.clientOrderId, 49_990);
    const m = ctx.placed.length;
    ctx.book1(s, 49_999.9, 50_000, 3, 1); // trigger again, but cooling down
    expect(ctx.placed.length).toBe(m);
    ctx.t += 31_000_000;
    ctx.book1(s, 49_999.9, 50_000, 3, 1);
    expect(ctx.since(m)).toEqual([
      expect.objectContaining({ side: 'buy', timeInForce: 'IOC', tag: 'hedge-v2:long' }),
    ]);
  });

  it('backs off after a rejection instead of retrying on every book update', () => {
    const { ctx, s } = openLong({ stopTicks: 100, retryMs: 2_000 });
    ctx.book1(s, 49_989.9, 49_990, 1, 1); // stop: exit
    const exit = ctx.placed.find((o) => o.tag === 'hedge-v2:long' && o.type === 'market')!;
    const rejected: Order = {
      ...exit,
      status: 'rejected',
      reason: { code: 'RISK_DENIED', message: 'limit' } as never,
    };
    ctx.orders.set(exit.clientOrderId, rejected);
    s.onOrderUpdate?.(rejected);
    const n = ctx.placed.length;
    for (let i = 0; i < 10; i++) ctx.book1(s, 49_989.9, 49_990, 1, 1); // 1 s of book updates
    expect(ctx.since(n).filter((o) => o.tag === 'hedge-v2:long')).toHaveLength(0);
    ctx.t += 1_000_000;
    ctx.book1(s, 49_989.9, 49_990, 1, 1);
    expect(ctx.since(n).filter((o) => o.tag === 'hedge-v2:long' && o.type === 'market')).toHaveLength(1);
  });

  it('restores the legs and its state from ctx.state after a restart', () => {
    const { ctx } = openLong();
    const state = JSON.parse(JSON.stringify(ctx.state)) as Record<string, JsonValue>;
    const again = start({}, state);
    expect(again.ctx.restoredCount).toBe(2);
    const long = again.ctx.legMap.get('hedge-v2:long')!;
    expect(long.qty).toBe(0.01);
    expect(long.avgEntryPrice).toBe(50_000);
    expect(long.bubble).toEqual({ activation: 5, giveBack: 0.3 });
    // The restored cycle goes on: the hedge and the ladder, no new main entry.
    again.ctx.setTrend('up');
    again.ctx.book1(again.s, 49_999.9, 50_000, 3, 1);
    expect(again.ctx.placed.some((o) => o.tag === 'hedge-v2:short' && o.qty === 0.005)).toBe(true);
    expect(again.ctx.placed.filter((o) => o.tag === 'hedge-v2:long' && o.price === 50_000)).toHaveLength(0);
  });
});
