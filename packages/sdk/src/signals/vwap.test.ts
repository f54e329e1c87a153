import fc from 'fast-check';
import { VWAP as OracleVWAP } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { US_PER_DAY, US_PER_SECOND } from '../time.js';
import { mulberry32, randomWalk, relClose } from './series.test.js';
import { VWAP } from './vwap.js';

const T0 = 1_700_000_000_000_000;

describe('VWAP', () => {
  it('session mode matches trading-signals (bars with high = low = close = price) within a session', () => {
    const rnd = mulberry32(13);
    const prices = randomWalk(5000, 14);
    const ours = new VWAP();
    const oracle = new OracleVWAP();
    const day0 = Math.floor(T0 / US_PER_DAY) * US_PER_DAY;
    prices.forEach((p, i) => {
      const qty = 0.001 + rnd() * 3;
      const a = ours.update(p, qty, day0 + i * 10 * US_PER_SECOND); // 5000 × 10 s < 1 day
      const b = oracle.update({ high: p, low: p, close: p, volume: qty }, false);
      expect(relClose(a!, b!)).toBe(true);
    });
  });

  it('session mode resets at 00:00 UTC (or at a custom boundary), also on read', () => {
    const day0 = Math.floor(T0 / US_PER_DAY) * US_PER_DAY;
    const v = new VWAP();
    expect(v.value).toBeNull();
    v.update(100, 1, day0 + 5);
    v.update(200, 3, day0 + US_PER_DAY - 1);
    expect(v.value).toBe(175);
    expect(v.update(300, 1, day0 + US_PER_DAY)).toBe(300);
    expect(v.valueAt(day0 + 2 * US_PER_DAY)).toBeNull();
    const h = new VWAP({ mode: 'session', sessionUs: 3600 * US_PER_SECOND, offsetUs: 1800 * US_PER_SECOND });
    h.update(1, 1, day0 + 1799 * US_PER_SECOND);
    expect(h.update(3, 1, day0 + 1800 * US_PER_SECOND)).toBe(3);
    h.reset();
    expect(h.isReady).toBe(false);
  });

  it('rolling mode equals a naive re-scan of (now − window, now]', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 50 }),
            fc.double({ min: 1, max: 1e5, noNaN: true }),
            fc.oneof(fc.constant(0), fc.double({ min: 1e-8, max: 10, noNaN: true })),
          ),
          { minLength: 1, maxLength: 200 },
        ),
        fc.integer({ min: 1, max: 300 }),
        (steps, windowUs) => {
          const v = new VWAP({ mode: 'rolling', windowUs });
          const seen: Array<[number, number, number]> = [];
          let ts = T0;
          for (const [dt, price, qty] of steps) {
            ts += dt;
            seen.push([ts, price, qty]);
            const got = v.update(price, qty, ts);
            let pq = 0;
            let q = 0;
            for (const [t, p, qq] of seen)
              if (t > ts - windowUs) {
                pq += p * qq;
                q += qq;
              }
            if (q > 0) expect(relClose(got!, pq / q, 1e-9)).toBe(true);
            else expect(got).toBeNull();
          }
          expect(v.valueAt(ts + windowUs)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
