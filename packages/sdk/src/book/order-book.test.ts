import { describe, expect, it } from 'vitest';
import type { DepthUpdate, Level } from '../events/market.js';
import { OrderBook } from './order-book.js';

const depth = (seq: number, bids: Level[], asks: Level[], isSnapshot = false): DepthUpdate => ({
  type: 'depth',
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  exchTs: seq * 1000,
  localTs: seq * 1000 + 4,
  seq,
  prevSeq: seq - 1,
  isSnapshot,
  bids,
  asks,
});

describe('OrderBook', () => {
  it('starts empty: NaN prices, 0 quantities', () => {
    const b = new OrderBook('BTCUSDT', 0.1);
    expect(b.bidLevels).toBe(0);
    expect(b.askLevels).toBe(0);
    expect(b.bestBid()).toBeNaN();
    expect(b.bestAsk()).toBeNaN();
    expect(b.bestBidQty()).toBe(0);
    expect(b.bestAskQty()).toBe(0);
    expect(b.mid()).toBeNaN();
    expect(b.spread()).toBeNaN();
    expect(b.isCrossed()).toBe(false);
    expect(b.depth(1, 5)).toBe(0);
    expect(b.depthWithin(-1, 10)).toBe(0);
    expect(b.levels(1, 5)).toEqual([]);
    expect(b.seq).toBe(0);
  });

  it('rejects a bad tick size', () => {
    expect(() => new OrderBook('X', 0)).toThrow(/tickSize/);
    expect(() => new OrderBook('X', Number.NaN)).toThrow(/tickSize/);
  });

  it('inserts, updates and removes bid levels, best first', () => {
    const b = new OrderBook('BTCUSDT', 0.1);
    b.update(1, 100.1, 1);
    b.update(1, 100.3, 3);
    b.update(1, 100.2, 2);
    expect(b.levels(1, 10)).toEqual([
      [100.3, 3],
      [100.2, 2],
      [100.1, 1],
    ]);
    b.update(1, 100.2, 5);
    expect(b.bidQty(1)).toBe(5);
    expect(b.bidLevels).toBe(3);
    b.update(1, 100.3, 0);
    expect(b.bestBid()).toBe(100.2);
    expect(b.bestBidQty()).toBe(5);
    b.update(1, 99.9, -1); // removing an absent level is a no-op
    expect(b.bidLevels).toBe(2);
  });

  it('inserts, updates and removes ask levels, best (lowest) first', () => {
    const b = new OrderBook('BTCUSDT', 0.1);
    b.update(-1, 100.5, 5);
    b.update(-1, 100.3, 3);
    b.update(-1, 100.4, 4);
    expect(b.levels(-1, 2)).toEqual([
      [100.3, 3],
      [100.4, 4],
    ]);
    expect(b.askPrice(2)).toBe(100.5);
    expect(b.askPrice(3)).toBeNaN();
    expect(b.askQty(3)).toBe(0);
    expect(b.askPrice(-1)).toBeNaN();
    b.update(-1, 100.3, 0);
    expect(b.bestAsk()).toBe(100.4);
    b.update(-1, 100.2, 1);
    expect(b.bestAsk()).toBe(100.2);
    expect(b.askLevels).toBe(3);
  });

  it('keys levels by tick index, so float-noisy prices hit the same level', () => {
    const b = new OrderBook('X', 0.1);
    b.update(1, 0.1 + 0.2, 1);
    b.update(1, 0.3, 2);
    expect(b.bidLevels).toBe(1);
    expect(b.bestBid()).toBe(0.3);
    expect(b.qtyAt(1, 0.30000000000000004)).toBe(2);
    expect(b.qtyAt(1, 0.4)).toBe(0);
    expect(b.qtyAt(-1, 0.3)).toBe(0);
  });

  it('returns exact decimal prices for small ticks', () => {
    const b = new OrderBook('SHIBUSDT', 1e-8);
    b.update(1, 0.00001234, 1e6);
    b.update(-1, 0.00001235, 2e6);
    expect(b.bestBid()).toBe(0.00001234);
    expect(b.bestAsk()).toBe(0.00001235);
    expect(b.spread()).toBe(1e-8);
    const c = new OrderBook('X', 0.1);
    c.update(1, 0.1, 1);
    c.update(-1, 0.2, 1);
    expect(c.mid()).toBe(0.15);
    expect(c.spread()).toBe(0.1);
  });

  it('updateTicks and the tick accessors work in tick indices', () => {
    const b = new OrderBook('X', 0.5);
    b.updateTicks(1, 200, 1);
    b.updateTicks(-1, 202, 2);
    expect(b.bestBid()).toBe(100);
    expect(b.bestAsk()).toBe(101);
    expect(b.bidTicks(0)).toBe(200);
    expect(b.askTicks(0)).toBe(202);
    expect(b.qtyAtTicks(-1, 202)).toBe(2);
    expect(b.bidTicks(1)).toBeNaN();
    expect(b.mid()).toBe(100.5);
  });

  it('applies diffs and snapshots, with seq and clocks', () => {
    const b = new OrderBook('BTCUSDT', 0.1);
    b.applyDepth(
      depth(
        1,
        [
          [50000, 1.5],
          [49999.9, 1],
        ],
        [
          [50000.1, 2],
          [50000.2, 3],
        ],
        true,
      ),
    );
    expect(b.bestBid()).toBe(50000);
    expect(b.bestAsk()).toBe(50000.1);
    expect(b.seq).toBe(1);
    expect(b.exchTs).toBe(1000);
    expect(b.localTs).toBe(1004);
    b.applyDepth(
      depth(
        2,
        [
          [50000, 0],
          [49999.8, 4],
        ],
        [[50000.1, 2.5]],
      ),
    );
    expect(b.levels(1, 5)).toEqual([
      [49999.9, 1],
      [49999.8, 4],
    ]);
    expect(b.bestAskQty()).toBe(2.5);
    expect(b.seq).toBe(2);
    b.applyDepth(depth(3, [[49000, 1]], [[51000, 1]], true));
    expect(b.levels(1, 5)).toEqual([[49000, 1]]);
    expect(b.levels(-1, 5)).toEqual([[51000, 1]]);
    expect(b.seq).toBe(3);
  });

  it('sums depth over the top n levels and within a price band', () => {
    const b = new OrderBook('X', 0.1);
    for (let i = 1; i <= 5; i++) {
      b.update(1, ticksAway(100, -i), i); // bids 99.9 (1), 99.8 (2) ...
      b.update(-1, ticksAway(100, i), 10 * i); // asks 100.1 (10), 100.2 (20) ...
    }
    expect(b.depth(1, 1)).toBe(1);
    expect(b.depth(1, 3)).toBe(6);
    expect(b.depth(1, 99)).toBe(15);
    expect(b.depth(-1, 2)).toBe(30);
    expect(b.depth(-1, 0)).toBe(0);
    expect(b.depthWithin(1, 0)).toBe(1);
    expect(b.depthWithin(1, 0.2)).toBe(6); // 99.9, 99.8, 99.7
    expect(b.depthWithin(-1, 0.3)).toBe(100); // 100.1 .. 100.4
    expect(b.depthWithin(-1, 0.35)).toBe(100);
    expect(b.depthWithin(-1, -1)).toBe(0);
    expect(b.levels(-1, 2)).toEqual([
      [100.1, 10],
      [100.2, 20],
    ]);
  });

  it('reports crossed and locked books', () => {
    const b = new OrderBook('X', 0.1);
    b.update(1, 100, 1);
    b.update(-1, 100.1, 1);
    expect(b.isCrossed()).toBe(false);
    b.update(1, 100.1, 1);
    expect(b.isCrossed()).toBe(true);
    b.update(1, 100.1, 0);
    b.update(1, 100.2, 1);
    expect(b.isCrossed()).toBe(true);
    expect(b.spread()).toBeCloseTo(-0.1, 12);
  });

  it('grows past its initial capacity and clears', () => {
    const b = new OrderBook('X', 1);
    for (let i = 0; i < 1000; i++) b.update(1, i, 1);
    for (let i = 1001; i < 2000; i++) b.update(-1, i, 2);
    expect(b.bidLevels).toBe(1000);
    expect(b.askLevels).toBe(999);
    expect(b.bestBid()).toBe(999);
    expect(b.bidPrice(999)).toBe(0);
    expect(b.bestAsk()).toBe(1001);
    expect(b.depth(-1, 2000)).toBe(1998);
    b.clear();
    expect(b.bidLevels + b.askLevels).toBe(0);
    expect(b.bestBid()).toBeNaN();
  });
});

/** Price `n` ticks of 0.1 away from `p`, as a decimal literal. */
function ticksAway(p: number, n: number): number {
  return Number((p + n * 0.1).toFixed(1));
}
