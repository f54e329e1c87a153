import type { ExecutionReport, Fill, Order, OrderRequest } from '@botplatform/sdk';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ExecutionEngine, type ExecutionListener } from './execution-engine.js';
import { BTC, ETH, FakeVenue } from './kernel.test-support.js';
import { Portfolio } from './portfolio.js';
import { RiskEngine } from './risk-engine.js';

type Event =
  | { readonly kind: 'update'; readonly order: Order }
  | { readonly kind: 'fill'; readonly fill: Fill };

class Recorder implements ExecutionListener {
  readonly events: Event[] = [];
  orderUpdate(order: Order): void {
    this.events.push({ kind: 'update', order });
  }
  fill(fill: Fill): void {
    this.events.push({ kind: 'fill', fill });
  }
  /** Takes and clears the events recorded so far. */
  take(): Event[] {
    return this.events.splice(0);
  }
}

function setup(idPrefix?: string) {
  const venue = new FakeVenue();
  const portfolio = new Portfolio([BTC, ETH]);
  const rec = new Recorder();
  const log = pino({ level: 'silent' });
  const ex =
    idPrefix === undefined
      ? new ExecutionEngine([BTC, ETH], venue, new RiskEngine(), portfolio, rec, log)
      : new ExecutionEngine([BTC, ETH], venue, new RiskEngine(), portfolio, rec, log, idPrefix);
  return { venue, portfolio, rec, ex };
}

const limit = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  qty: 0.003,
  price: 50000,
  ...over,
});

const accepted = (id: string, exchangeOrderId = `E-${id}`): ExecutionReport => ({
  kind: 'accepted',
  clientOrderId: id,
  exchangeOrderId,
  exchTs: 1,
});
const filled = (id: string, qty: number, price: number, leavesQty: number, fee = 0): ExecutionReport => ({
  kind: 'fill',
  clientOrderId: id,
  price,
  qty,
  fee,
  liquidity: 'maker',
  leavesQty,
  exchTs: 5,
});
const cancelRejected = (id: string): ExecutionReport => ({
  kind: 'cancelRejected',
  clientOrderId: id,
  reason: { code: 'UNKNOWN_ORDER', message: 'Unknown order sent.', exchangeCode: -2011 },
  exchTs: 9,
});
const rejected = (id: string): ExecutionReport => ({
  kind: 'rejected',
  clientOrderId: id,
  reason: { code: 'POST_ONLY_WOULD_CROSS', message: 'would cross', exchangeCode: -5022 },
  exchTs: 2,
});

const statuses = (events: Event[]) =>
  events.map((e) => (e.kind === 'fill' ? `fill:${e.fill.qty}` : `${e.kind}:${e.order.status}`));

describe('ExecutionEngine: placing', () => {
  it('returns a pending snapshot and sends the command with passive rounding and default GTC', () => {
    const { ex, venue, rec } = setup();
    const o = ex.place(limit({ price: 50000.07, qty: 0.0019 }), 100, Number.NaN);
    // buy rounds the price down to the tick: 50000.07 → 50000.0; qty down: 0.0019 → 0.001
    expect(o).toEqual({
      clientOrderId: 'bp-1',
      symbol: 'BTCUSDT',
      side: 'buy',
      type: 'limit',
      timeInForce: 'GTC',
      price: 50000,
      qty: 0.001,
      filledQty: 0,
      avgFillPrice: Number.NaN,
      status: 'pending',
      reduceOnly: false,
      createdTs: 100,
      updatedTs: 100,
    });
    expect(venue.submits).toEqual([
      {
        clientOrderId: 'bp-1',
        symbol: 'BTCUSDT',
        side: 'buy',
        type: 'limit',
        qty: 0.001,
        price: 50000,
        timeInForce: 'GTC',
        reduceOnly: false,
      },
    ]);
    expect(rec.events).toEqual([]); // pending is returned, not reported
    expect(ex.ordersPlaced).toBe(1);
    expect(ex.ordersRejected).toBe(0);
    expect(ex.openOrderCount()).toBe(1);
  });

  it('rounds a sell price up and its qty down', () => {
    const { ex, venue } = setup();
    const o = ex.place(limit({ side: 'sell', price: 50000.01, qty: 0.0029 }), 0, Number.NaN);
    // sell: 50000.01 → 50000.1 (up); qty 0.0029 → 0.002 (down)
    expect([o.price, o.qty]).toEqual([50000.1, 0.002]);
    expect([venue.submits[0]!.price, venue.submits[0]!.qty]).toEqual([50000.1, 0.002]);
  });

  it('sends a market order with NaN price and default IOC', () => {
    const { ex, venue } = setup();
    const o = ex.place({ symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 0.01, price: 123 }, 0, 50000);
    expect(o.status).toBe('pending');
    expect(o.price).toBeNaN();
    expect(o.timeInForce).toBe('IOC');
    expect(venue.submits[0]).toMatchObject({ type: 'market', timeInForce: 'IOC', qty: 0.01 });
    expect(venue.submits[0]!.price).toBeNaN();
  });

  it('keeps an explicit timeInForce, reduceOnly, clientOrderId and tag', () => {
    const { ex, venue } = setup();
    const o = ex.place(
      limit({ timeInForce: 'GTX', reduceOnly: true, clientOrderId: 'mine', tag: 'leg-1' }),
      0,
      Number.NaN,
    );
    expect(o).toMatchObject({ clientOrderId: 'mine', timeInForce: 'GTX', reduceOnly: true, tag: 'leg-1' });
    expect(venue.submits[0]).toMatchObject({ clientOrderId: 'mine', timeInForce: 'GTX', reduceOnly: true });
    expect(venue.submits[0]).not.toHaveProperty('tag'); // tags stay local
  });

  it('numbers generated ids with the prefix', () => {
    const { ex } = setup('run7');
    expect(ex.place(limit(), 0, Number.NaN).clientOrderId).toBe('run7-1');
    expect(ex.place(limit(), 0, Number.NaN).clientOrderId).toBe('run7-2');
  });
});

describe('ExecutionEngine: local rejection', () => {
  it('refuses an order below min notional: one update, nothing sent, counted', () => {
    const { ex, venue, rec } = setup();
    // notional 0.001 · 4000 = 4 < 5
    const o = ex.place(limit({ qty: 0.001, price: 4000 }), 10, Number.NaN);
    expect(o.status).toBe('rejected');
    expect(o.reason?.code).toBe('NOTIONAL_TOO_SMALL');
    expect(o.reason?.exchangeCode).toBe(-4164);
    expect(venue.submits).toEqual([]);
    expect(ex.ordersPlaced).toBe(1);
    expect(ex.ordersRejected).toBe(1);
    expect(ex.openOrders()).toEqual([]);
    const events = rec.take();
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('update');
    expect((events[0] as { order: Order }).order).toEqual(o);
  });

  it('checks a market order notional against the reference price, and skips it without one', () => {
    const { ex, venue } = setup();
    // 0.001 · 1000 = 1 < 5
    expect(ex.place({ symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.001 }, 0, 1000).status).toBe(
      'rejected',
    );
    expect(
      ex.place({ symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.001 }, 0, Number.NaN).status,
    ).toBe('pending');
    expect(venue.submits).toHaveLength(1);
  });

  it('exempts reduce-only orders from min notional', () => {
    const { ex, venue } = setup();
    expect(ex.place(limit({ qty: 0.001, price: 4000, reduceOnly: true }), 0, Number.NaN).status).toBe(
      'pending',
    );
    expect(venue.submits).toHaveLength(1);
  });

  it('refuses an unknown symbol, naming the traded ones', () => {
    const { ex, venue, rec } = setup();
    const o = ex.place(limit({ symbol: 'DOGEUSDT' }), 0, Number.NaN);
    expect(o.status).toBe('rejected');
    expect(o.reason?.code).toBe('UNKNOWN_SYMBOL');
    expect(o.reason?.message).toContain('BTCUSDT, ETHUSDT');
    expect(venue.submits).toEqual([]);
    expect(ex.ordersRejected).toBe(1);
    expect(statuses(rec.take())).toEqual(['update:rejected']);
  });

  it('refuses a qty that rounds to zero', () => {
    const { ex, venue } = setup();
    const o = ex.place(limit({ qty: 0.0009 }), 0, Number.NaN);
    expect(o.qty).toBe(0);
    expect(o.reason?.code).toBe('INVALID_QTY');
    expect(venue.submits).toEqual([]);
  });

  it('refuses a duplicate clientOrderId without touching the original order', () => {
    const { ex, venue, rec } = setup();
    const first = ex.place(limit({ clientOrderId: 'x' }), 0, Number.NaN);
    const dup = ex.place(limit({ clientOrderId: 'x', side: 'sell', price: 60000 }), 1, Number.NaN);
    expect(first.status).toBe('pending');
    expect(dup.status).toBe('rejected');
    expect(dup.reason?.code).toBe('DUPLICATE_CLIENT_ID');
    expect(venue.submits).toHaveLength(1);
    expect(ex.ordersRejected).toBe(1);
    // Only the caller hears of it: an update under id x would say the live order x had died.
    expect(statuses(rec.take())).toEqual([]);
    // The original is still open and still follows its reports.
    expect(ex.openOrders().map((o) => [o.clientOrderId, o.side, o.status])).toEqual([
      ['x', 'buy', 'pending'],
    ]);
    ex.onReport(accepted('x'), 5);
    expect(ex.openOrders()[0]).toMatchObject({ status: 'new', side: 'buy', price: 50000 });
  });
});

describe('ExecutionEngine: reports', () => {
  it('accepted → new, synchronously, with the exchange order id', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 100, Number.NaN).clientOrderId;
    ex.onReport(accepted(id, 'E42'), 130);
    const events = rec.take();
    expect(statuses(events)).toEqual(['update:new']);
    expect((events[0] as { order: Order }).order).toMatchObject({
      clientOrderId: id,
      exchangeOrderId: 'E42',
      status: 'new',
      createdTs: 100,
      updatedTs: 130,
    });
  });

  it('fills partly then fully: VWAP, filledQty, status, fill with localTs and tag, portfolio', () => {
    const { ex, rec, portfolio } = setup();
    const id = ex.place(limit({ tag: 'entry' }), 0, Number.NaN).clientOrderId;
    ex.onReport(accepted(id), 10);
    rec.take();

    ex.onReport(filled(id, 0.001, 50000, 0.002, 0.01), 20);
    let events = rec.take();
    expect(statuses(events)).toEqual(['fill:0.001', 'update:partiallyFilled']);
    expect((events[0] as { fill: Fill }).fill).toEqual({
      clientOrderId: id,
      symbol: 'BTCUSDT',
      side: 'buy',
      price: 50000,
      qty: 0.001,
      fee: 0.01,
      liquidity: 'maker',
      exchTs: 5,
      localTs: 20,
      tag: 'entry',
    });
    expect((events[1] as { order: Order }).order).toMatchObject({
      filledQty: 0.001,
      avgFillPrice: 50000,
      updatedTs: 20,
    });
    expect(portfolio.qty(0)).toBe(0.001);

    ex.onReport(filled(id, 0.002, 49999.9, 0, 0.02), 30);
    events = rec.take();
    expect(statuses(events)).toEqual(['fill:0.002', 'update:filled']);
    const final = (events[1] as { order: Order }).order;
    // VWAP = (0.001·50000 + 0.002·49999.9) / 0.003 = (50 + 99.9998) / 0.003 = 49999.93333…
    expect(final.avgFillPrice).toBeCloseTo(49999.933333333, 6);
    expect(final.filledQty).toBeCloseTo(0.003, 15);
    expect(final.updatedTs).toBe(30);
    expect(ex.openOrders()).toEqual([]);
    expect(ex.fillCount).toBe(2);
    expect(portfolio.qty(0)).toBe(0.003);
    expect(portfolio.position(0).avgEntryPrice).toBeCloseTo(49999.933333333, 6);
    expect(portfolio.position(0).fees).toBeCloseTo(0.03, 12);
  });

  it('an untagged order produces fills without a tag key', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(filled(id, 0.003, 50000, 0), 1);
    const f = (rec.take()[0] as { fill: Fill }).fill;
    expect(f).not.toHaveProperty('tag');
  });

  it('a fill may arrive before the ack (pending → filled)', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(filled(id, 0.003, 50000, 0), 1);
    ex.onReport(accepted(id), 2); // late ack: no state change, no update
    expect(statuses(rec.take())).toEqual(['fill:0.003', 'update:filled']);
  });

  it('venue rejection, cancel and expiry end the order and leave the open set', () => {
    const { ex, rec } = setup();
    const a = ex.place(limit(), 0, Number.NaN).clientOrderId;
    const b = ex.place(limit(), 0, Number.NaN).clientOrderId;
    const c = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(rejected(a), 1);
    ex.onReport(accepted(b), 1);
    ex.onReport({ kind: 'canceled', clientOrderId: b, exchTs: 2 }, 3);
    ex.onReport(
      { kind: 'expired', clientOrderId: c, reason: { code: 'IOC_NOT_FILLED', message: 'x' }, exchTs: 2 },
      3,
    );
    const events = rec.take();
    expect(statuses(events)).toEqual(['update:rejected', 'update:new', 'update:canceled', 'update:expired']);
    expect((events[0] as { order: Order }).order.reason?.code).toBe('POST_ONLY_WOULD_CROSS');
    expect((events[3] as { order: Order }).order.reason?.code).toBe('IOC_NOT_FILLED');
    expect(ex.ordersRejected).toBe(1);
    expect(ex.openOrders()).toEqual([]);
  });

  it('ignores a report for an unknown clientOrderId', () => {
    const { ex, rec, portfolio } = setup();
    ex.place(limit(), 0, Number.NaN);
    expect(() => ex.onReport(filled('nobody', 1, 50000, 0), 5)).not.toThrow();
    expect(() => ex.onReport(accepted('nobody'), 5)).not.toThrow();
    expect(rec.events).toEqual([]);
    expect(ex.fillCount).toBe(0);
    expect(portfolio.qty(0)).toBe(0);
    expect(ex.openOrders().map((o) => o.status)).toEqual(['pending']);
  });

  // BUG (execution-engine.ts:154-157, and 165-167 for 'expired'): a 'rejected' report counts
  // ordersRejected and writes order.reason *before* transition() checks legality. For an order
  // already 'new' (new → rejected is illegal) the transition is refused and logged, but
  // ordersRejected becomes 1 and the live order now carries a rejection reason.
  it('an illegal rejected report (order already new) changes nothing', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(accepted(id), 1);
    rec.take();
    ex.onReport(rejected(id), 2);
    expect(rec.events).toEqual([]);
    expect(ex.openOrders()[0]!.status).toBe('new');
    expect(ex.ordersRejected).toBe(0); // actual: 1
    expect(ex.openOrders()[0]!.reason).toBeUndefined(); // actual: POST_ONLY_WOULD_CROSS
  });
});

describe('ExecutionEngine: cancel', () => {
  it('cancel → one pendingCancel update and one venue cancel, however often asked', () => {
    const { ex, venue, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(accepted(id), 10);
    rec.take();
    expect(ex.cancel(id, 30)).toBe(true);
    expect(venue.cancels).toEqual([{ clientOrderId: id, symbol: 'BTCUSDT' }]);
    const events = rec.take();
    expect(statuses(events)).toEqual(['update:pendingCancel']);
    expect((events[0] as { order: Order }).order.updatedTs).toBe(30);
    // a second cancel is accepted but sends nothing and reports nothing
    expect(ex.cancel(id, 31)).toBe(true);
    expect(venue.cancels).toHaveLength(1);
    expect(rec.events).toEqual([]);
    // the venue confirms
    ex.onReport({ kind: 'canceled', clientOrderId: id, exchTs: 40 }, 45);
    expect(statuses(rec.take())).toEqual(['update:canceled']);
    expect(ex.openOrders()).toEqual([]);
    expect(ex.cancel(id, 50)).toBe(false); // no longer open
    expect(venue.cancels).toHaveLength(1);
  });

  it('cancel of an unknown or locally rejected id returns false and sends nothing', () => {
    const { ex, venue, rec } = setup();
    expect(ex.cancel('nope', 0)).toBe(false);
    const r = ex.place(limit({ price: 1 }), 0, Number.NaN); // notional 0.003 < 5
    rec.take();
    expect(ex.cancel(r.clientOrderId, 0)).toBe(false);
    expect(venue.cancels).toEqual([]);
    expect(rec.events).toEqual([]);
  });

  it('cancelRejected while pendingCancel returns to new, with the reason', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(accepted(id), 1);
    ex.cancel(id, 2);
    rec.take();
    ex.onReport(cancelRejected(id), 3);
    const events = rec.take();
    expect(statuses(events)).toEqual(['update:new']);
    expect((events[0] as { order: Order }).order.reason).toEqual({
      code: 'UNKNOWN_ORDER',
      message: 'Unknown order sent.',
      exchangeCode: -2011,
    });
    expect(ex.openOrders()[0]!.status).toBe('new');
    // and it can be cancelled again
    expect(ex.cancel(id, 4)).toBe(true);
    expect(statuses(rec.take())).toEqual(['update:pendingCancel']);
  });

  it('cancelRejected while pendingCancel returns to partiallyFilled when partly filled', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(accepted(id), 1);
    ex.onReport(filled(id, 0.001, 50000, 0.002), 2);
    ex.cancel(id, 3);
    rec.take();
    ex.onReport(cancelRejected(id), 4);
    const events = rec.take();
    expect(statuses(events)).toEqual(['update:partiallyFilled']);
    expect((events[0] as { order: Order }).order).toMatchObject({ filledQty: 0.001, updatedTs: 4 });
    expect((events[0] as { order: Order }).order.reason?.code).toBe('UNKNOWN_ORDER');
  });

  it('cancelRejected after the order filled changes nothing and emits nothing', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(accepted(id), 1);
    rec.take();
    ex.cancel(id, 2);
    ex.onReport(filled(id, 0.003, 50000, 0), 3); // the fill won the race
    expect(statuses(rec.take())).toEqual(['update:pendingCancel', 'fill:0.003', 'update:filled']);
    ex.onReport(cancelRejected(id), 4);
    expect(rec.events).toEqual([]);
    expect(ex.openOrders()).toEqual([]);
    expect(ex.ordersRejected).toBe(0);
  });

  it('cancelRejected after the order was rejected changes nothing and emits nothing', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(rejected(id), 1);
    rec.take();
    ex.onReport(cancelRejected(id), 2);
    expect(rec.events).toEqual([]);
    expect(ex.ordersRejected).toBe(1);
  });

  it('pending → pendingCancel → rejected is legal (the cancel crossed the rejection)', () => {
    const { ex, rec, venue } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    expect(ex.cancel(id, 1)).toBe(true);
    expect(venue.cancels).toHaveLength(1);
    ex.onReport(rejected(id), 2);
    const events = rec.take();
    expect(statuses(events)).toEqual(['update:pendingCancel', 'update:rejected']);
    expect((events[1] as { order: Order }).order.reason?.code).toBe('POST_ONLY_WOULD_CROSS');
    expect(ex.ordersRejected).toBe(1);
    expect(ex.openOrders()).toEqual([]);
  });

  it('an ack arriving while pendingCancel keeps pendingCancel and reports nothing', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.cancel(id, 1);
    rec.take();
    ex.onReport(accepted(id, 'E9'), 2);
    expect(rec.events).toEqual([]);
    expect(ex.openOrders()[0]).toMatchObject({
      status: 'pendingCancel',
      exchangeOrderId: 'E9',
      updatedTs: 2,
    });
  });

  it('a fill while pendingCancel keeps pendingCancel until the leaves are 0', () => {
    const { ex, rec } = setup();
    const id = ex.place(limit(), 0, Number.NaN).clientOrderId;
    ex.onReport(accepted(id), 1);
    ex.cancel(id, 2);
    rec.take();
    ex.onReport(filled(id, 0.001, 50000, 0.002), 3);
    let events = rec.take();
    expect(statuses(events)).toEqual(['fill:0.001', 'update:pendingCancel']);
    expect((events[1] as { order: Order }).order.filledQty).toBe(0.001);
    ex.onReport(filled(id, 0.001, 50000, 0.001), 4);
    expect(statuses(rec.take())).toEqual(['fill:0.001', 'update:pendingCancel']);
    ex.onReport(filled(id, 0.001, 50000, 0), 5);
    events = rec.take();
    expect(statuses(events)).toEqual(['fill:0.001', 'update:filled']);
    expect(ex.openOrders()).toEqual([]);
  });

  it('cancelAll cancels the open orders of one symbol or of all', () => {
    const { ex, venue } = setup();
    const b1 = ex.place(limit(), 0, Number.NaN).clientOrderId;
    const e1 = ex.place(limit({ symbol: 'ETHUSDT', price: 3000 }), 0, Number.NaN).clientOrderId;
    const b2 = ex.place(limit(), 0, Number.NaN).clientOrderId;
    expect(ex.cancelAll('BTCUSDT', 1)).toBe(2);
    expect(venue.cancels.map((c) => c.clientOrderId)).toEqual([b1, b2]);
    // Only e1 is sent now; the count is not asserted here: it also counts b1 and b2, already
    // pendingCancel (see the cancelAll bug test in kernel.test.ts).
    ex.cancelAll(undefined, 2);
    expect(venue.cancels.map((c) => c.clientOrderId)).toEqual([b1, b2, e1]);
  });
});

describe('ExecutionEngine: open orders and snapshots', () => {
  it('openOrders filters by symbol and keeps placement order', () => {
    const { ex } = setup();
    const b1 = ex.place(limit(), 0, Number.NaN).clientOrderId;
    const e1 = ex.place(limit({ symbol: 'ETHUSDT', price: 3000 }), 0, Number.NaN).clientOrderId;
    const b2 = ex.place(limit({ side: 'sell', price: 51000 }), 0, Number.NaN).clientOrderId;
    ex.place(limit({ price: 1 }), 0, Number.NaN); // rejected locally: never open
    expect(ex.openOrders().map((o) => o.clientOrderId)).toEqual([b1, e1, b2]);
    expect(ex.openOrders('BTCUSDT').map((o) => o.clientOrderId)).toEqual([b1, b2]);
    expect(ex.openOrders('ETHUSDT').map((o) => o.clientOrderId)).toEqual([e1]);
    expect(ex.openOrders('XRPUSDT')).toEqual([]);
    expect(ex.openOrderCount()).toBe(3);
  });

  it('snapshots are frozen and never change afterwards', () => {
    const { ex, rec } = setup();
    const placed = ex.place(limit(), 0, Number.NaN);
    const listed = ex.openOrders()[0]!;
    expect(Object.isFrozen(placed)).toBe(true);
    expect(Object.isFrozen(listed)).toBe(true);
    expect(() => {
      (placed as { status: string }).status = 'filled';
    }).toThrow(TypeError); // ESM test modules are strict mode
    ex.onReport(accepted(placed.clientOrderId), 1);
    ex.cancel(placed.clientOrderId, 2);
    ex.onReport(filled(placed.clientOrderId, 0.001, 50000, 0.002), 3);
    const events = rec.take();
    for (const e of events) if (e.kind !== 'fill') expect(Object.isFrozen(e.order)).toBe(true);
    // Earlier snapshots still show the state they were taken in.
    expect(placed).toMatchObject({ status: 'pending', filledQty: 0, updatedTs: 0 });
    expect(placed.exchangeOrderId).toBeUndefined();
    expect(listed.status).toBe('pending');
    const [newSnap, pc, , pcFilled] = events.map((e) => (e.kind === 'fill' ? undefined : e.order));
    expect(newSnap).toMatchObject({ status: 'new', updatedTs: 1, filledQty: 0 });
    expect(pc).toMatchObject({ status: 'pendingCancel', updatedTs: 2, filledQty: 0 });
    expect(pcFilled).toMatchObject({ status: 'pendingCancel', updatedTs: 3, filledQty: 0.001 });
    const rejectedSnap = ex.place(limit({ price: 1 }), 4, Number.NaN);
    expect(Object.isFrozen(rejectedSnap)).toBe(true);
  });
});

describe('ExecutionEngine: modify', () => {
  it('sends a passively rounded amend and applies the venue’s answer', () => {
    const { ex, venue, rec } = setup();
    ex.place(limit({ clientOrderId: 'm' }), 0, Number.NaN);
    ex.onReport(accepted('m'), 1);
    rec.take();
    // buy: price rounds down to the tick (49990.07 → 49990), qty down to the step (0.0049 → 0.004)
    expect(ex.modify('m', { price: 49990.07, qty: 0.0049 }, 2, Number.NaN)).toBe(true);
    expect(venue.modifies).toEqual([
      { clientOrderId: 'm', symbol: 'BTCUSDT', side: 'buy', price: 49990, qty: 0.004 },
    ]);
    expect(rec.take()).toEqual([]); // nothing changes until the venue answers
    ex.onReport({ kind: 'modified', clientOrderId: 'm', price: 49990, qty: 0.004, exchTs: 3 }, 4);
    const [u] = rec.take();
    expect(u).toMatchObject({
      kind: 'update',
      order: { status: 'new', price: 49990, qty: 0.004, updatedTs: 4 },
    });
  });

  it('sends nothing for no change, a market order, an unknown id, or a cancel in flight', () => {
    const { ex, venue } = setup();
    ex.place(limit({ clientOrderId: 'a' }), 0, Number.NaN);
    expect(ex.modify('a', { price: 50000 }, 1, Number.NaN)).toBe(false); // same price
    expect(ex.modify('nope', { price: 1 }, 1, Number.NaN)).toBe(false);
    ex.place(
      { symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.003, clientOrderId: 'mk' },
      0,
      Number.NaN,
    );
    expect(ex.modify('mk', { qty: 0.004 }, 1, Number.NaN)).toBe(false);
    ex.cancel('a', 2);
    expect(ex.modify('a', { price: 49000 }, 3, Number.NaN)).toBe(false);
    expect(venue.modifies).toEqual([]);
  });

  it('refuses locally an amend that breaks the filters or goes below the filled quantity', () => {
    const { ex, venue, rec } = setup();
    ex.place(limit({ clientOrderId: 'f', qty: 0.003 }), 0, Number.NaN);
    ex.onReport(accepted('f'), 1);
    ex.onReport(filled('f', 0.002, 50000, 0.001), 2);
    rec.take();
    expect(ex.modify('f', { qty: 0.002 }, 3, Number.NaN)).toBe(false); // not above the 0.002 filled
    const [u] = rec.take();
    expect(u).toMatchObject({
      order: { status: 'partiallyFilled', qty: 0.003, reason: { code: 'MODIFY_REJECTED' } },
    });
    // 0.003 · 1000 = 3 < min notional 5
    expect(ex.modify('f', { price: 1000 }, 4, Number.NaN)).toBe(false);
    expect(rec.take()[0]).toMatchObject({ order: { reason: { code: 'NOTIONAL_TOO_SMALL' } } });
    expect(venue.modifies).toEqual([]);
  });

  it('reports a venue refusal on the open order, and ignores one for an order that already ended', () => {
    const { ex, rec } = setup();
    ex.place(limit({ clientOrderId: 'r' }), 0, Number.NaN);
    ex.onReport(accepted('r'), 1);
    rec.take();
    const reason = {
      code: 'MODIFY_REJECTED',
      message: 'No need to modify the order.',
      exchangeCode: -5027,
    } as const;
    ex.onReport({ kind: 'modifyRejected', clientOrderId: 'r', reason, exchTs: 2 }, 3);
    expect(rec.take()[0]).toMatchObject({ order: { status: 'new', reason } });
    ex.onReport(filled('r', 0.003, 50000, 0), 4);
    rec.take();
    ex.onReport({ kind: 'modifyRejected', clientOrderId: 'r', reason, exchTs: 4 }, 5);
    ex.onReport({ kind: 'modified', clientOrderId: 'r', price: 1, qty: 1, exchTs: 4 }, 5);
    expect(rec.take()).toEqual([]);
  });
});

describe('ExecutionEngine: funding', () => {
  it('books the funding the venue settled on the symbol', () => {
    const { ex, portfolio } = setup();
    // 0.5 long × mark 50000 × rate 0.0001 = 2.5 paid
    ex.onReport(
      {
        kind: 'funding',
        symbol: 'BTCUSDT',
        markPrice: 50000,
        rate: 0.0001,
        positionQty: 0.5,
        amount: 2.5,
        exchTs: 8,
      },
      9,
    );
    expect(portfolio.position(0).funding).toBe(2.5);
    expect(portfolio.totals().equity).toBe(-2.5);
  });
});

describe('ExecutionEngine: long runs', () => {
  it('forgets long-closed orders but never reuses their ids, and ignores their late reports', () => {
    const { ex, venue, rec } = setup();
    // 5000 orders rejected locally (below min notional): each closes at once.
    for (let i = 0; i < 5000; i++)
      ex.place(limit({ clientOrderId: `c${i}`, qty: 0.001, price: 4000 }), i, Number.NaN);
    rec.take();
    // c0 is long forgotten (more than 4096 closings ago), yet its id stays used.
    expect(ex.place(limit({ clientOrderId: 'c0' }), 6000, Number.NaN).reason?.code).toBe(
      'DUPLICATE_CLIENT_ID',
    );
    ex.onReport(cancelRejected('c0'), 6001); // a very late report: nothing happens
    expect(rec.take()).toEqual([]);
    // Auto ids skip used ones.
    ex.place(limit({ clientOrderId: 'bp-1' }), 6002, Number.NaN);
    expect(ex.place(limit(), 6003, Number.NaN).clientOrderId).toBe('bp-2');
    expect(venue.submits.map((s) => s.clientOrderId)).toEqual(['bp-1', 'bp-2']);
  });
});
