import { describe, expect, it } from 'vitest';
import { ProbPowerQueue } from '../queue/prob-queue.js';
import { BTC, cmd, harness } from './sim-exchange.test-support.js';

/**
 * Resting (maker) fills. Every scenario starts from one snapshot at t=1000:
 *   bids 100.0 × 2, 99.9 × 3      asks 100.1 × 1.5, 100.2 × 2, 100.3 × 4
 * BTC: tick 0.1, step 0.001, maker fee 0.0002 (2 bp), contract size 1.
 */
const BIDS = [
  [100.0, 2],
  [99.9, 3],
] as const;
const ASKS = [
  [100.1, 1.5],
  [100.2, 2],
  [100.3, 4],
] as const;
const SELL = -1;
const BUY = 1;

function setup(fills: 'partial' | 'full' = 'partial') {
  const h = harness({ fills });
  h.snapshot(BIDS, ASKS, 1000);
  return h;
}

describe('SimulatedExchange: resting orders (risk-averse queue)', () => {
  it('advances the queue by trades at its price, then fills only the excess', () => {
    const h = setup();
    // t=2000 buy 1.5 @ 100.0 joins behind the whole level: ahead = 2.
    h.ex.submit(cmd({ clientOrderId: 'q1', side: 'buy', price: 100.0, qty: 1.5 }), 2000);
    h.ex.onTrade(0, SELL, 100.0, 0.8, 3000); // ahead 2 − 0.8 = 1.2, no fill
    h.ex.onTrade(0, SELL, 100.0, 1.0, 4000); // ahead 1.2 − 1.0 = 0.2, no fill
    expect(h.fills()).toEqual([]);
    // t=5000 sell 0.5: 0.2 of it clears the queue, excess 0.3 fills us at 100.0 as maker.
    // fee = 100.0 × 0.3 × 1 × 0.0002 = 0.006; leaves 1.5 − 0.3 = 1.2.
    h.ex.onTrade(0, SELL, 100.0, 0.5, 5000);
    expect(h.fills()).toEqual([
      {
        kind: 'fill',
        clientOrderId: 'q1',
        price: 100.0,
        qty: 0.3,
        fee: expect.closeTo(0.006, 12),
        liquidity: 'maker',
        leavesQty: 1.2,
        exchTs: 5000,
      },
    ]);
    expect(h.ex.position(0)).toBe(0.3);
  });

  it('fills partially over several trades until done', () => {
    const h = harness();
    h.snapshot([[100.0, 0.5]], [[100.1, 1]], 1000);
    // buy 1 @ 100.0: ahead = 0.5.
    h.ex.submit(cmd({ clientOrderId: 'p1', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.onTrade(0, SELL, 100.0, 0.3, 3000); // ahead 0.2, nothing
    h.ex.onTrade(0, BUY, 100.0, 5, 3500); //   buy aggressor: not our counterparty, nothing
    h.ex.onTrade(0, SELL, 100.0, 0.6, 4000); // excess 0.6 − 0.2 = 0.4 → fill 0.4, leaves 0.6
    h.ex.onTrade(0, SELL, 100.0, 0.25, 5000); // ahead 0 → fill 0.25, leaves 0.35
    h.ex.onTrade(0, SELL, 100.0, 1.0, 6000); // fill min(1.0, 0.35) = 0.35, leaves 0
    expect(h.fills().map((f) => [f.exchTs, f.price, f.qty, f.leavesQty])).toEqual([
      [4000, 100.0, 0.4, 0.6],
      [5000, 100.0, 0.25, 0.35],
      [6000, 100.0, 0.35, 0],
    ]);
    expect(h.ex.openOrderCount()).toBe(0);
    expect(h.ex.position(0)).toBe(1);
  });

  it('caps the queue at a decreased level size, never advances it further, ignores increases', () => {
    const h = harness();
    h.snapshot([[100.0, 5]], [[100.1, 1]], 1000);
    // buy 1 @ 100.0: ahead = 5.
    h.ex.submit(cmd({ clientOrderId: 'd1', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.onDepthLevel(0, BUY, 100.0, 4, false, 3000); // ahead min(5, 4) = 4
    h.ex.onDepthLevel(0, BUY, 100.0, 1.5, false, 4000); // ahead min(4, 1.5) = 1.5
    h.ex.onDepthLevel(0, BUY, 100.0, 3, false, 5000); // increase is behind us: ahead 1.5
    h.ex.onTrade(0, SELL, 100.0, 1.5, 6000); // ahead 1.5 − 1.5 = 0, excess 0: no fill yet
    expect(h.fills()).toEqual([]);
    h.ex.onTrade(0, SELL, 100.0, 0.4, 7000); // ahead 0 → fill 0.4 @ 100.0 at t=7000
    expect(h.fills().map((f) => [f.exchTs, f.price, f.qty, f.leavesQty, f.liquidity])).toEqual([
      [7000, 100.0, 0.4, 0.6, 'maker'],
    ]);
  });

  it('fills the whole order at its own price when a trade goes through it', () => {
    const h = setup();
    // buy 1 @ 100.0 (ahead 2), sell 0.5 @ 100.1 (ahead 1.5).
    h.ex.submit(cmd({ clientOrderId: 'b', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.submit(cmd({ clientOrderId: 's', side: 'sell', price: 100.1, qty: 1.2 }), 2000);
    h.ex.onTrade(0, BUY, 99.9, 0.1, 2500); // buy aggressor below our bid: not a sell through it
    expect(h.fills()).toEqual([]);
    // t=3000 a sell at 99.9 < 100.0 went through our bid: whole 1 fills at 100.0 as maker,
    // fee = 100.0 × 1 × 0.0002 = 0.02 (however small the trade).
    h.ex.onTrade(0, SELL, 99.9, 0.1, 3000);
    // t=4000 a buy at 100.2 > 100.1 went through our offer: whole 1.2 at 100.1,
    // fee = 100.1 × 1.2 × 0.0002 = 0.024024.
    h.ex.onTrade(0, BUY, 100.2, 0.05, 4000);
    expect(h.fills()).toEqual([
      expect.objectContaining({ clientOrderId: 'b', exchTs: 3000, price: 100.0, qty: 1, leavesQty: 0 }),
      expect.objectContaining({ clientOrderId: 's', exchTs: 4000, price: 100.1, qty: 1.2, leavesQty: 0 }),
    ]);
    expect(h.fills()[0]!.fee).toBeCloseTo(0.02, 12);
    expect(h.fills()[1]!.fee).toBeCloseTo(0.024024, 12);
    expect(h.fills().every((f) => f.liquidity === 'maker')).toBe(true);
    expect(h.ex.position(0)).toBe(-0.2);
  });

  it('fills the whole order when a book ticker quote crosses it', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'b', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.submit(cmd({ clientOrderId: 's', side: 'sell', price: 100.2, qty: 1 }), 2000);
    h.ex.onBookTicker(0, 100.0, 1, 100.1, 2, 3000); // ask 100.1 > 100.0, bid 100.0 < 100.2: nothing
    expect(h.fills()).toEqual([]);
    // t=4000 ask 100.0 ≤ our bid 100.0: whole 1 fills at 100.0 (not capped by the 0.3 quoted).
    h.ex.onBookTicker(0, 99.8, 1, 100.0, 0.3, 4000);
    // t=5000 bid 100.3 ≥ our offer 100.2: whole 1 fills at 100.2.
    h.ex.onBookTicker(0, 100.3, 0.1, 100.4, 1, 5000);
    expect(h.fills().map((f) => [f.clientOrderId, f.exchTs, f.price, f.qty, f.liquidity])).toEqual([
      ['b', 4000, 100.0, 1, 'maker'],
      ['s', 5000, 100.2, 1, 'maker'],
    ]);
    // The book ticker does not rewrite the exchange-side L2 book.
    expect(h.ex.book(0).bestAsk()).toBe(100.1);
  });

  it('fills the whole order when a depth update sets a crossing opposite level', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'b', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.onDepthLevel(0, SELL, 100.1, 0, false, 3000); // best ask removed: 100.2 now, no cross
    h.ex.onDepthLevel(0, BUY, 100.0, 7, false, 3500); // own side grows: queue only
    expect(h.fills()).toEqual([]);
    // t=4000 an ask appears at 100.0 ≤ our 100.0: whole 1 at 100.0 as maker.
    h.ex.onDepthLevel(0, SELL, 100.0, 0.2, false, 4000);
    expect(h.fills().map((f) => [f.exchTs, f.price, f.qty, f.liquidity])).toEqual([
      [4000, 100.0, 1, 'maker'],
    ]);
  });

  it('pays a rebate for maker fills when the maker fee is negative', () => {
    const h = harness({ instruments: [{ ...BTC, makerFee: -0.0001 }] });
    h.snapshot(BIDS, ASKS, 1000);
    h.ex.submit(cmd({ clientOrderId: 'r', side: 'buy', price: 100.0, qty: 2 }), 2000);
    h.ex.onTrade(0, SELL, 99.9, 1, 3000); // through our price: whole 2 at 100.0
    // fee = 100.0 × 2 × 1 × (−0.0001) = −0.02 (a rebate).
    const [f] = h.fills();
    expect(f?.qty).toBe(2);
    expect(f?.fee).toBeCloseTo(-0.02, 12);
  });

  it("fills: 'full' fills the whole order on the first trade that reaches it", () => {
    for (const mode of ['full', 'partial'] as const) {
      const h = setup(mode);
      // buy 1.5 @ 100.0: ahead 2.
      h.ex.submit(cmd({ clientOrderId: 'f', side: 'buy', price: 100.0, qty: 1.5 }), 2000);
      h.ex.onTrade(0, SELL, 100.0, 1.9, 3000); // ahead 0.1, nothing reaches us
      // t=4000 sell 0.2: 0.1 clears the queue, 0.1 reaches us.
      // full → the whole 1.5 fills; partial → only 0.1 (leaves 1.4).
      h.ex.onTrade(0, SELL, 100.0, 0.2, 4000);
      const expected = mode === 'full' ? [[4000, 1.5, 0]] : [[4000, 0.1, 1.4]];
      expect(h.fills().map((x) => [x.exchTs, x.qty, x.leavesQty])).toEqual(expected);
    }
  });

  it('never fills more from one trade than its size across our orders at the price', () => {
    const h = harness();
    h.snapshot([[99.9, 3]], [[100.1, 1]], 1000);
    // Two buys @ 100.0 inside the spread: ahead 0 for both (our own orders do not queue each other).
    h.ex.submit(cmd({ clientOrderId: 'a', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.submit(cmd({ clientOrderId: 'b', side: 'buy', price: 100.0, qty: 1.5 }), 2001);
    // t=3000 sell 1.6 @ 100.0: a (first in arrival order) gets min(1, 1.6) = 1; 0.6 of the
    // trade is left, so b gets min(1.5, 0.6) = 0.6 (leaves 0.9). Total 1.6 = the trade.
    h.ex.onTrade(0, SELL, 100.0, 1.6, 3000);
    expect(h.fills().map((f) => [f.clientOrderId, f.qty, f.leavesQty])).toEqual([
      ['a', 1, 0],
      ['b', 0.6, 0.9],
    ]);
  });

  it('keeps instruments apart (events address an instrument by index)', () => {
    const ETH = { ...BTC, symbol: 'ETHUSDT', tickSize: 0.01, stepSize: 0.001, minNotional: 20 };
    const h = harness({ instruments: [BTC, ETH] });
    h.snapshot(BIDS, ASKS, 1000);
    h.ex.onDepthLevel(1, BUY, 2000.0, 10, true, 1000);
    h.ex.onDepthLevel(1, SELL, 2000.01, 10, false, 1000);
    expect(h.ex.symbolIndex('ETHUSDT')).toBe(1);
    expect(h.ex.symbolIndex('XRPUSDT')).toBe(-1);
    h.ex.submit(cmd({ clientOrderId: 'e', symbol: 'ETHUSDT', side: 'buy', price: 2000.0, qty: 1 }), 2000);
    h.ex.onTrade(0, SELL, 1999, 5, 3000); // a BTC trade: does not touch the ETH order
    expect(h.fills()).toEqual([]);
    h.ex.onTrade(1, SELL, 1999.99, 0.001, 4000); // through the ETH bid: whole 1 at 2000.0
    expect(h.fills().map((f) => [f.clientOrderId, f.price, f.qty])).toEqual([['e', 2000.0, 1]]);
    expect(h.ex.position(1)).toBe(1);
    expect(h.ex.position(0)).toBe(0);
    expect(() => h.ex.onTrade(2, SELL, 1, 1, 5000)).toThrow(/no instrument at index 2/);
  });

  it('advances by the queue model: prob-power:2 moves the order up on cancellations', () => {
    const h = harness({ queue: new ProbPowerQueue(2) });
    h.snapshot([[100.0, 4]], [[100.1, 1]], 1000);
    // buy 1 @ 100.0 behind 4 (4000 lots); the level grows to 10 behind it.
    h.ex.submit(cmd({ clientOrderId: 'pq', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.onDepthLevel(0, BUY, 100.0, 10, false, 3000);
    // 10 → 5 with no trades: ahead 4000 − (16/52)·5000 = 2461.54 lots (see queue.test.ts).
    h.ex.onDepthLevel(0, BUY, 100.0, 5, false, 4000);
    // A sell of 3 (3000 lots) at the price: 538.46 lots reach us, whole lots fill: 0.538.
    // (risk-averse would still have 4 ahead and fill nothing.)
    h.ex.onTrade(0, SELL, 100.0, 3, 5000);
    expect(h.fills().map((f) => [f.exchTs, f.qty, f.leavesQty])).toEqual([[5000, 0.538, 0.462]]);
  });
});
