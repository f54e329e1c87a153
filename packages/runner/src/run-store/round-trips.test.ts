import type { Fill } from '@botplatform/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC } from '../kernel/kernel.test-support.js';
import { Portfolio } from '../kernel/portfolio.js';
import { RoundTripTracker } from './round-trips.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;

describe('RoundTripTracker', () => {
  it('cuts a scale-in, partial exit, flip and close into trips with hand-computed figures', () => {
    const rt = new RoundTripTracker([BTC]);
    rt.onFill(0, 'buy', 100, 1, 0.1, T0, 0); // long 1 @ 100
    rt.mark(0, 97); // running pnl −3
    rt.onFill(0, 'buy', 98, 1, 0.1, T0 + S, 0); // long 2 @ 99
    rt.mark(0, 103); // +8
    rt.onFill(0, 'sell', 102, 3, 0.3, T0 + 2 * S, 0.5); // closes 2 @ 102 (+6), opens short 1 @ 102
    rt.onFill(0, 'buy', 101, 1, 0.1, T0 + 3 * S, 0.5); // closes the short: +1
    expect(rt.trips).toHaveLength(2);
    const [long, short] = rt.trips;
    expect(long).toMatchObject({
      direction: 'long',
      entryTs: T0,
      exitTs: T0 + 2 * S,
      entryPrice: 99,
      exitPrice: 102,
      qty: 2,
      holdingS: 2,
      funding: 0.5,
      mae: -3,
      mfe: 8,
      isOpen: false,
    });
    expect(long!.grossPnl).toBeCloseTo(6, 12);
    expect(long!.fees).toBeCloseTo(0.1 + 0.1 + 0.2, 12); // two thirds of the flip's fee
    expect(long!.netPnl).toBeCloseTo(6 - 0.4 - 0.5, 12);
    expect(short).toMatchObject({ direction: 'short', entryPrice: 102, exitPrice: 101, qty: 1, funding: 0 });
    expect(short!.grossPnl).toBeCloseTo(1, 12);
    expect(short!.fees).toBeCloseTo(0.1 + 0.1, 12);
  });

  it('reports a trip still open at the end marked at the last price, flagged open', () => {
    const rt = new RoundTripTracker([BTC]);
    rt.onFill(0, 'sell', 100, 0.5, 0, T0, 0);
    rt.finish(T0 + 10 * S, [96], [0.2]);
    expect(rt.trips[0]).toMatchObject({
      direction: 'short',
      isOpen: true,
      exitPrice: 96,
      holdingS: 10,
      funding: 0.2,
    });
    expect(rt.trips[0]!.grossPnl).toBeCloseTo(2, 12);
  });

  it('the trips add up to the portfolio: Σ gross = realized + unrealized, Σ fees = fees (property)', () => {
    const fillArb = fc.record({
      buy: fc.boolean(),
      steps: fc.integer({ min: 1, max: 3000 }), // × 0.001
      ticks: fc.integer({ min: 999_000, max: 1_001_000 }), // × 0.1 → ~100 000
      fee: fc.double({ min: -0.5, max: 2, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 999_000, max: 1_001_000 }),
        (fills, markTicks) => {
          const rt = new RoundTripTracker([BTC]);
          const p = new Portfolio([BTC]);
          fills.forEach((f, i) => {
            const fill: Fill = {
              clientOrderId: `o${i}`,
              symbol: 'BTCUSDT',
              side: f.buy ? 'buy' : 'sell',
              price: f.ticks / 10,
              qty: f.steps / 1000,
              fee: f.fee,
              liquidity: 'maker',
              exchTs: T0 + i,
              localTs: T0 + i,
            };
            p.applyFill(fill);
            rt.onFill(0, fill.side, fill.price, fill.qty, fill.fee, fill.localTs, 0);
          });
          const mark = markTicks / 10;
          p.setMid(0, mark);
          rt.finish(T0 + 1000, [mark], [0]);
          const t = p.totals();
          const gross = rt.trips.reduce((s, x) => s + x.grossPnl, 0);
          const fees = rt.trips.reduce((s, x) => s + x.fees, 0);
          expect(gross).toBeCloseTo(t.realizedPnl + t.unrealizedPnl, 4);
          expect(fees).toBeCloseTo(t.fees, 9);
          // Every trip but the last is closed, and a closed trip took off exactly what it added.
          for (const trip of rt.trips.slice(0, -1)) expect(trip.isOpen).toBe(false);
          for (const trip of rt.trips.filter((x) => !x.isOpen))
            expect(trip.mfe).toBeGreaterThanOrEqual(trip.mae);
        },
      ),
      { numRuns: 300 },
    );
  });
});
