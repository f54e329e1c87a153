import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../book/order-book.js';
import { Microprice } from './microprice.js';
import { OrderBookImbalance } from './order-book-imbalance.js';

function book(bids: Array<[number, number]>, asks: Array<[number, number]>): OrderBook {
  const b = new OrderBook('BTCUSDT', 0.1);
  for (const [p, q] of bids) b.update(1, p, q);
  for (const [p, q] of asks) b.update(-1, p, q);
  return b;
}

describe('OrderBookImbalance', () => {
  it('top-N levels: (bid − ask) / (bid + ask), hand-derived', () => {
    const b = book(
      [
        [100, 3],
        [99.9, 1],
        [99, 10],
      ],
      [
        [100.1, 1],
        [100.2, 1],
        [101, 10],
      ],
    );
    expect(new OrderBookImbalance({ levels: 1 }).update(b)).toBeCloseTo(0.5, 12); // (3 − 1)/4
    expect(new OrderBookImbalance({ levels: 2 }).update(b)).toBeCloseTo(1 / 3, 12); // (4 − 2)/6
    expect(new OrderBookImbalance({ levels: 3 }).update(b)).toBeCloseTo(2 / 26, 12); // (14 − 12)/26
  });

  it('price band: levels within band of each side’s best', () => {
    const b = book(
      [
        [100, 3],
        [99.9, 1],
        [99, 10],
      ],
      [
        [100.1, 1],
        [100.2, 1],
        [101, 10],
      ],
    );
    const obi = new OrderBookImbalance({ band: 0.15 });
    expect(obi.update(b)).toBeCloseTo((4 - 2) / 6, 12);
    expect(obi.isReady).toBe(true);
    expect(obi.update(book([], []))).toBeNull();
    obi.update(b);
    obi.reset();
    expect(obi.value).toBeNull();
  });

  it('is in [−1, 1] and equals a naive computation (property)', () => {
    const side = fc.array(
      fc.tuple(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.001, max: 100, noNaN: true })),
      {
        maxLength: 20,
      },
    );
    fc.assert(
      fc.property(side, side, fc.integer({ min: 1, max: 10 }), (bidsRaw, asksRaw, n) => {
        const bids = new Map<number, number>();
        const asks = new Map<number, number>();
        for (const [t, q] of bidsRaw) bids.set(1000 - t, q);
        for (const [t, q] of asksRaw) asks.set(1000 + t, q);
        const b = new OrderBook('X', 1);
        for (const [p, q] of bids) b.update(1, p, q);
        for (const [p, q] of asks) b.update(-1, p, q);
        const v = new OrderBookImbalance({ levels: n }).update(b);
        const top = (m: Map<number, number>, dir: number) =>
          [...m.entries()]
            .sort((x, y) => dir * (x[0] - y[0]))
            .slice(0, n)
            .reduce((s, [, q]) => s + q, 0);
        const bv = top(bids, -1);
        const av = top(asks, 1);
        if (bv + av === 0) expect(v).toBeNull();
        else {
          expect(v).not.toBeNull();
          expect(v!).toBeGreaterThanOrEqual(-1);
          expect(v!).toBeLessThanOrEqual(1);
          expect(v!).toBeCloseTo((bv - av) / (bv + av), 9);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Microprice', () => {
  it('weights towards the thinner side; null on a missing side', () => {
    const m = new Microprice();
    // bid qty 1 < ask qty 3: the bid is thinner, so the microprice leans to the bid (100.25)
    expect(m.updateQuote(100, 1, 101, 3)).toBeCloseTo((100 * 3 + 101 * 1) / 4, 12);
    expect(m.updateQuote(100, 1, 101, 1)).toBe(100.5);
    expect(m.update(book([[100, 9]], [[100.1, 1]]))).toBeCloseTo((100 * 1 + 100.1 * 9) / 10, 12);
    expect(m.update(book([[100, 9]], []))).toBeNull();
    expect(m.updateQuote(100, 0, 101, 0)).toBeNull();
    expect(m.isReady).toBe(false);
    m.updateTicker({
      type: 'bookTicker',
      exchange: 'e',
      symbol: 's',
      exchTs: 0,
      localTs: 0,
      seq: 1,
      bidPrice: 10,
      bidQty: 1,
      askPrice: 12,
      askQty: 1,
    });
    expect(m.value).toBe(11);
    m.reset();
    expect(m.value).toBeNull();
  });

  it('lies within [bid, ask] (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        (bid, spread, bq, aq) => {
          const v = new Microprice().updateQuote(bid, bq, bid + spread, aq)!;
          expect(v).toBeGreaterThanOrEqual(bid * (1 - 1e-12));
          expect(v).toBeLessThanOrEqual((bid + spread) * (1 + 1e-12));
        },
      ),
    );
  });
});
