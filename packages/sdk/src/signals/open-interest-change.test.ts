import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenInterest } from '../events/market.js';
import { OpenInterestChange } from './open-interest-change.js';

const T0 = 1_700_000_000_000_000;
const oi = (localTs: number, openInterest: number): OpenInterest => ({
  type: 'openInterest',
  exchange: 'e',
  symbol: 's',
  exchTs: localTs - 5,
  localTs,
  openInterest,
});

describe('OpenInterestChange', () => {
  it('hand-derived: change, rate of change and per-second rate over the lookback', () => {
    const c = new OpenInterestChange(10_000_000); // 10 s
    expect(c.update(oi(T0, 1000))).toBeNull();
    expect(c.update(oi(T0 + 5_000_000, 1010))).toBeNull();
    expect(c.isReady).toBe(false);
    expect(c.update(oi(T0 + 10_000_000, 1050))).toBe(50); // base: OI at T0
    expect(c.rateOfChange).toBeCloseTo(0.05, 12);
    expect(c.perSecond).toBeCloseTo(5, 12);
    expect(c.update(oi(T0 + 16_000_000, 1040))).toBe(30); // base: OI in force at T0+6 s = 1010
    expect(c.valueAt(T0 + 20_000_000)).toBe(-10); // base: 1050, in force at T0+10 s
  });

  it('equals a naive computation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 1e6 })), {
          minLength: 1,
          maxLength: 100,
        }),
        fc.integer({ min: 1, max: 60 }),
        (steps, w) => {
          const c = new OpenInterestChange(w);
          const seen: Array<[number, number]> = [];
          let ts = T0;
          for (const [dt, v] of steps) {
            ts += dt;
            seen.push([ts, v]);
            const got = c.updateRaw(ts, v);
            const cutoff = ts - w;
            let base: number | null = null;
            for (const [t, x] of seen) if (t <= cutoff) base = x;
            expect(got).toBe(base === null ? null : v - base);
          }
          c.reset();
          expect(c.value).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
