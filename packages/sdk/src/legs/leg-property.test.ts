import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Leg } from './leg.js';
import { BTC, fill } from './legs.test-support.js';

// Quantities are whole steps (0.001) and prices whole ticks (0.01), generated as integers so the
// independent model below can track the position exactly in integer units.
const fillArb = fc.record({
  buy: fc.boolean(),
  units: fc.integer({ min: 1, max: 5000 }),
  ticks: fc.integer({ min: 1, max: 10_000_000 }),
  fee: fc.double({ min: -1, max: 5, noNaN: true }),
});

describe('Leg accounting (property)', () => {
  it('realized + unrealized − fees equals the independent cash-flow computation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'long' | 'short'>('long', 'short'),
        fc.constantFrom(1, 0.01, 10, 0.001),
        fc.array(fillArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (direction, contractSize, fills, markTicks) => {
          const inst = { ...BTC, tickSize: 0.01, contractSize };
          const leg = new Leg({ id: 'P', symbol: 'BTCUSDT', direction, instrument: inst });
          const d = direction === 'long' ? 1 : -1;
          // Independent model: the leg's size in integer step units (never below 0: a reduce
          // larger than the leg applies only the leg's size), and the cash that flowed.
          let units = 0;
          let excessUnits = 0;
          let cash = 0;
          let fees = 0;
          let gross = 0;
          for (const f of fills) {
            const price = f.ticks / 100;
            const qty = f.units / 1000;
            leg.onFill(fill('P', f.buy ? 'buy' : 'sell', qty, price, f.fee));
            const adds = (f.buy ? 1 : -1) === d;
            const applied = adds ? f.units : Math.min(f.units, units);
            if (!adds) excessUnits += f.units - applied;
            units += adds ? applied : -applied;
            const signedApplied = (f.buy ? 1 : -1) * (applied / 1000);
            cash += -signedApplied * price * contractSize - f.fee;
            fees += f.fee;
            gross += qty * price * contractSize;
          }
          const mark = markTicks / 100;
          const position = (d * units) / 1000;
          const expected = cash + position * mark * contractSize;
          const actual = leg.realizedPnl + leg.unrealizedPnl(mark) - leg.fees;
          const tol = Math.max(1e-6, 1e-12 * (gross + Math.abs(position) * mark * contractSize));
          expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
          expect(leg.qty).toBe(units / 1000);
          expect(leg.excessQty).toBe(excessUnits / 1000);
          expect(Math.abs(leg.fees - fees)).toBeLessThanOrEqual(1e-9);
          if (units === 0) expect(leg.avgEntryPrice).toBeNaN();
          // The state survives JSON exactly, whatever the path.
          expect(Leg.fromJSON(JSON.parse(JSON.stringify(leg.toJSON()))).toJSON()).toEqual(leg.toJSON());
        },
      ),
      { numRuns: 500 },
    );
  });
});
