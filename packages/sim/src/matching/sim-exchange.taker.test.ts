import { describe, expect, it } from 'vitest';
import { cmd, harness } from './sim-exchange.test-support.js';

/**
 * Orders that take liquidity on arrival. Book (snapshot at t=1000):
 *   bids 100.0 × 2, 99.9 × 3      asks 100.1 × 1.5, 100.2 × 2, 100.3 × 4
 * BTC: taker fee 0.0005 (5 bp), maker fee 0.0002, contract size 1.
 */
function setup() {
  const h = harness();
  h.snapshot(
    [
      [100.0, 2],
      [99.9, 3],
    ],
    [
      [100.1, 1.5],
      [100.2, 2],
      [100.3, 4],
    ],
    1000,
  );
  return h;
}

describe('SimulatedExchange: taking liquidity', () => {
  it('walks an IOC level by level up to its limit, then expires the remainder', () => {
    const h = setup();
    // IOC buy 4 @ 100.2 at t=2000: takes 1.5 @ 100.1, then 2 @ 100.2 (100.3 is past the limit);
    // fees 100.1 × 1.5 × 0.0005 = 0.075075 and 100.2 × 2 × 0.0005 = 0.1002; 0.5 expires.
    h.ex.submit(cmd({ clientOrderId: 'i', side: 'buy', price: 100.2, qty: 4, timeInForce: 'IOC' }), 2000);
    expect(h.reports).toEqual([
      { kind: 'accepted', clientOrderId: 'i', exchangeOrderId: '1', exchTs: 2000 },
      {
        kind: 'fill',
        clientOrderId: 'i',
        price: 100.1,
        qty: 1.5,
        fee: expect.closeTo(0.075075, 12),
        liquidity: 'taker',
        leavesQty: 2.5,
        exchTs: 2000,
      },
      {
        kind: 'fill',
        clientOrderId: 'i',
        price: 100.2,
        qty: 2,
        fee: expect.closeTo(0.1002, 12),
        liquidity: 'taker',
        leavesQty: 0.5,
        exchTs: 2000,
      },
      {
        kind: 'expired',
        clientOrderId: 'i',
        reason: expect.objectContaining({ code: 'IOC_NOT_FILLED' }),
        exchTs: 2000,
      },
    ]);
    expect(h.ex.position(0)).toBe(3.5);
    expect(h.ex.openOrderCount()).toBe(0);
  });

  it('expires an IOC that finds nothing within its limit, without fills', () => {
    const h = setup();
    // IOC sell 1.2 @ 100.1: best bid 100.0 < 100.1, nothing to take.
    h.ex.submit(cmd({ clientOrderId: 'n', side: 'sell', price: 100.1, qty: 1.2, timeInForce: 'IOC' }), 2000);
    expect(h.reports.map((r) => r.kind)).toEqual(['accepted', 'expired']);
    expect(h.reports[1]).toMatchObject({ reason: { code: 'IOC_NOT_FILLED' } });
  });

  it('expires a FOK that cannot fill whole, with no fills; fills one that can', () => {
    const h = setup();
    // FOK buy 4 @ 100.2: within the limit only 1.5 + 2 = 3.5 < 4 → expired, no fills.
    h.ex.submit(cmd({ clientOrderId: 'k', side: 'buy', price: 100.2, qty: 4, timeInForce: 'FOK' }), 2000);
    expect(h.drain()).toEqual([
      { kind: 'accepted', clientOrderId: 'k', exchangeOrderId: '1', exchTs: 2000 },
      {
        kind: 'expired',
        clientOrderId: 'k',
        reason: {
          code: 'FOK_NOT_FILLED',
          message: 'Due to the order could not be filled immediately, the FOK order has been rejected.',
          exchangeCode: -5021,
        },
        exchTs: 2000,
      },
    ]);
    expect(h.ex.position(0)).toBe(0);
    // FOK buy 3.5 @ 100.2: exactly 3.5 available → 1.5 @ 100.1 + 2 @ 100.2.
    h.ex.submit(cmd({ clientOrderId: 'k2', side: 'buy', price: 100.2, qty: 3.5, timeInForce: 'FOK' }), 3000);
    expect(h.fills().map((f) => [f.price, f.qty, f.leavesQty])).toEqual([
      [100.1, 1.5, 2],
      [100.2, 2, 0],
    ]);
  });

  it('walks a market order through the book with no price limit', () => {
    const h = setup();
    // market sell 4: 2 @ 100.0 (fee 100 × 2 × 0.0005 = 0.1), then 2 of the 3 @ 99.9
    // (fee 99.9 × 2 × 0.0005 = 0.0999); done.
    h.ex.submit(cmd({ clientOrderId: 'm', side: 'sell', type: 'market', qty: 4 }), 2000);
    const fills = h.fills();
    expect(fills.map((f) => [f.price, f.qty, f.leavesQty, f.liquidity])).toEqual([
      [100.0, 2, 2, 'taker'],
      [99.9, 2, 0, 'taker'],
    ]);
    expect(fills[0]!.fee).toBeCloseTo(0.1, 12);
    expect(fills[1]!.fee).toBeCloseTo(0.0999, 12);
    expect(h.ex.position(0)).toBe(-4);
    // market buy 10: the whole ask side is 1.5 + 2 + 4 = 7.5 → 2.5 expire.
    h.drain();
    h.ex.submit(cmd({ clientOrderId: 'm2', side: 'buy', type: 'market', qty: 10 }), 3000);
    expect(h.reports.map((r) => (r.kind === 'fill' ? [r.price, r.qty] : r.kind))).toEqual([
      'accepted',
      [100.1, 1.5],
      [100.2, 2],
      [100.3, 4],
      'expired',
    ]);
  });

  it('expires a market order on an empty side', () => {
    const h = harness();
    h.snapshot([[100.0, 2]], [], 1000);
    h.ex.submit(cmd({ clientOrderId: 'e', side: 'buy', type: 'market', qty: 1 }), 2000);
    expect(h.reports.map((r) => r.kind)).toEqual(['accepted', 'expired']);
    expect(h.reports[1]).toMatchObject({ reason: { code: 'IOC_NOT_FILLED' } });
  });

  it('fills the crossing part of a GTC as taker and rests the rest as maker', () => {
    const h = setup();
    // GTC buy 5 @ 100.2 at t=2000: takes 1.5 @ 100.1 and 2 @ 100.2 as taker, rests 1.5 @ 100.2
    // with ahead = bid size at 100.2 = 0.
    h.ex.submit(cmd({ clientOrderId: 'g', side: 'buy', price: 100.2, qty: 5 }), 2000);
    expect(
      h.reports.map((r) => (r.kind === 'fill' ? [r.price, r.qty, r.leavesQty, r.liquidity] : r.kind)),
    ).toEqual(['accepted', [100.1, 1.5, 3.5, 'taker'], [100.2, 2, 1.5, 'taker']]);
    expect(h.ex.openOrderCount()).toBe(1);
    // No market impact: the asks we took are still in the exchange-side book.
    expect(h.ex.book(0).bestAsk()).toBe(100.1);
    h.drain();
    // t=3000 sell 1 @ 100.2: queue ahead 0 → maker fill 1 @ 100.2 (fee 100.2 × 1 × 0.0002).
    h.ex.onTrade(0, -1, 100.2, 1, 3000);
    // t=4000 the ask at 100.3 changes: does not cross 100.2, nothing.
    h.ex.onDepthLevel(0, -1, 100.3, 3, false, 4000);
    // t=5000 the depth stream sets the ask at 100.1 again (≤ 100.2): the last 0.5 fills as maker.
    h.ex.onDepthLevel(0, -1, 100.1, 1, false, 5000);
    const fills = h.fills();
    expect(fills.map((f) => [f.exchTs, f.price, f.qty, f.leavesQty, f.liquidity])).toEqual([
      [3000, 100.2, 1, 0.5, 'maker'],
      [5000, 100.2, 0.5, 0, 'maker'],
    ]);
    expect(fills[0]!.fee).toBeCloseTo(0.02004, 12);
    expect(h.ex.position(0)).toBe(5);
  });

  it('takes the same liquidity twice when two takers arrive before a depth update (no market impact)', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'x', side: 'buy', price: 100.1, qty: 1.5, timeInForce: 'IOC' }), 2000);
    h.ex.submit(cmd({ clientOrderId: 'y', side: 'buy', price: 100.1, qty: 1.5, timeInForce: 'IOC' }), 2001);
    expect(h.fills().map((f) => [f.clientOrderId, f.price, f.qty])).toEqual([
      ['x', 100.1, 1.5],
      ['y', 100.1, 1.5],
    ]);
  });
});
