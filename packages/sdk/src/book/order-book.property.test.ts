import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ticksToPrice } from '../instrument/price-grid.js';
import { OrderBook } from './order-book.js';

type Update = readonly [side: 1 | -1, ticks: number, qty: number];

/** The obvious reference: a Map per side from tick index to qty, sorted on demand. */
class NaiveBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();

  update(side: 1 | -1, ticks: number, qty: number): void {
    const m = side === 1 ? this.bids : this.asks;
    if (qty > 0) m.set(ticks, qty);
    else m.delete(ticks);
  }

  /** Levels best first as [ticks, qty]. */
  sorted(side: 1 | -1): Array<[number, number]> {
    const m = side === 1 ? this.bids : this.asks;
    return [...m.entries()].sort((a, b) => (side === 1 ? b[0] - a[0] : a[0] - b[0]));
  }
}

const TICK = 0.1;

/** Quantities with many zeros (removals), on a 0.001 grid. */
const qtyArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 5000 }).map((n) => n / 1000) },
);

const updateArb = (side: fc.Arbitrary<1 | -1>, ticks: fc.Arbitrary<number>): fc.Arbitrary<Update> =>
  fc.tuple(side, ticks, qtyArb);

const sideArb = fc.constantFrom<1 | -1>(1, -1);

function checkAgainst(book: OrderBook, ref: NaiveBook): void {
  for (const side of [1, -1] as const) {
    const want = ref.sorted(side);
    const count = side === 1 ? book.bidLevels : book.askLevels;
    expect(count).toBe(want.length);
    const price = side === 1 ? (i: number) => book.bidPrice(i) : (i: number) => book.askPrice(i);
    const qty = side === 1 ? (i: number) => book.bidQty(i) : (i: number) => book.askQty(i);
    for (let i = 0; i < want.length; i++) {
      const [t, q] = want[i]!;
      expect(price(i)).toBe(ticksToPrice(t, TICK));
      expect(qty(i)).toBe(q);
      expect(book.qtyAt(side, ticksToPrice(t, TICK))).toBe(q);
    }
    expect(price(want.length)).toBeNaN();
    expect(qty(want.length)).toBe(0);
    for (const bandTicks of [0, 3, 50]) {
      const bestT = want[0]?.[0];
      let inBand = 0;
      for (const [t, q] of want) if (bestT !== undefined && Math.abs(t - bestT) <= bandTicks) inBand += q;
      expect(book.depthWithin(side, bandTicks * TICK + 1e-9)).toBeCloseTo(inBand, 9);
    }
    for (const n of [0, 1, 3, 10, want.length]) {
      let sum = 0;
      for (let i = 0; i < Math.min(n, want.length); i++) sum += want[i]![1];
      expect(book.depth(side, n)).toBeCloseTo(sum, 9);
    }
  }
  const bb = ref.sorted(1)[0];
  const ba = ref.sorted(-1)[0];
  expect(book.bestBid()).toBe(bb ? ticksToPrice(bb[0], TICK) : Number.NaN);
  expect(book.bestAsk()).toBe(ba ? ticksToPrice(ba[0], TICK) : Number.NaN);
  expect(book.bestBidQty()).toBe(bb ? bb[1] : 0);
  expect(book.bestAskQty()).toBe(ba ? ba[1] : 0);
}

describe('OrderBook properties', () => {
  it('matches a Map-based reference after any sequence of level updates', () => {
    fc.assert(
      fc.property(
        fc.array(updateArb(sideArb, fc.integer({ min: 999_900, max: 1_000_100 })), { maxLength: 200 }),
        (updates) => {
          const book = new OrderBook('BTCUSDT', TICK);
          const ref = new NaiveBook();
          for (const [side, ticks, qty] of updates) {
            // Half by price, half by tick index: both paths must agree.
            if (ticks % 2 === 0) book.update(side, ticksToPrice(ticks, TICK), qty);
            else book.updateTicks(side, ticks, qty);
            ref.update(side, ticks, qty);
          }
          checkAgainst(book, ref);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches the reference at every step on a narrow range (many collisions and removals)', () => {
    fc.assert(
      fc.property(
        fc.array(updateArb(sideArb, fc.integer({ min: 0, max: 20 })), { maxLength: 80 }),
        (updates) => {
          const book = new OrderBook('X', TICK);
          const ref = new NaiveBook();
          for (const [side, ticks, qty] of updates) {
            book.updateTicks(side, ticks, qty);
            ref.update(side, ticks, qty);
            checkAgainst(book, ref);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('matches the reference when levels spread far beyond the ladder (re-centring and overflow)', () => {
    fc.assert(
      fc.property(
        fc.array(
          updateArb(
            sideArb,
            fc.oneof(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -5_000, max: 5_000 })),
          ),
          { maxLength: 120 },
        ),
        (updates) => {
          const book = new OrderBook('X', TICK, 64); // a 64-tick ladder: most far levels overflow
          const ref = new NaiveBook();
          for (const [side, ticks, qty] of updates) {
            book.updateTicks(side, ticks, qty);
            ref.update(side, ticks, qty);
            checkAgainst(book, ref);
          }
          book.clear();
          expect(book.bidLevels + book.askLevels).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays uncrossed when every bid is below and every ask above a mid', () => {
    const MID = 500_000;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            updateArb(fc.constant<1 | -1>(1), fc.integer({ min: MID - 300, max: MID - 1 })),
            updateArb(fc.constant<1 | -1>(-1), fc.integer({ min: MID + 1, max: MID + 300 })),
          ),
          { maxLength: 300 },
        ),
        (updates) => {
          const book = new OrderBook('X', TICK);
          for (const [side, ticks, qty] of updates) {
            book.update(side, ticksToPrice(ticks, TICK), qty);
            expect(book.isCrossed()).toBe(false);
          }
          if (book.bidLevels > 0 && book.askLevels > 0) {
            expect(book.bestBid()).toBeLessThan(book.bestAsk());
            expect(book.spread()).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
