import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayUs } from './backoff.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  // 2400 weight per minute, as Binance USD-M's REQUEST_WEIGHT limit.
  const MIN = 60_000_000;

  it('spends and refills linearly over the window', () => {
    const b = new TokenBucket(2400, MIN, 0);
    expect(b.tryTake(2000, 0)).toBe(true);
    expect(b.available(0)).toBe(400);
    expect(b.tryTake(500, 0)).toBe(false);
    // 15 s refills 2400 · 15/60 = 600 → 1000.
    expect(b.available(15_000_000)).toBe(1000);
    // Never above capacity.
    expect(b.available(10 * MIN)).toBe(2400);
  });

  it('says how long to wait for a cost', () => {
    const b = new TokenBucket(2400, MIN, 0);
    b.tryTake(2400, 0);
    // 40 tokens at 2400/60 s = 40 per second → 1 s.
    expect(b.waitUs(40, 0)).toBe(1_000_000);
    expect(b.waitUs(2401, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('adopts the exchange-reported usage', () => {
    const b = new TokenBucket(2400, MIN, 0);
    b.sync(2300, 0); // X-MBX-USED-WEIGHT-1M: 2300
    expect(b.available(0)).toBe(100);
    expect(b.tryTake(200, 0)).toBe(false);
  });

  it('never goes negative nor above capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5000), fc.nat(10_000_000))), (ops) => {
        const b = new TokenBucket(2400, MIN, 0);
        let t = 0;
        for (const [cost, dt] of ops) {
          t += dt;
          b.tryTake(cost, t);
          const a = b.available(t);
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(2400);
        }
      }),
    );
  });
});

describe('backoffDelayUs', () => {
  it('grows exponentially up to the cap, scaled by the jitter draw', () => {
    const one = () => 0.999999;
    expect(backoffDelayUs(0, 500_000, 30_000_000, one)).toBe(499_999);
    expect(backoffDelayUs(3, 500_000, 30_000_000, one)).toBe(3_999_996);
    expect(backoffDelayUs(10, 500_000, 30_000_000, one)).toBe(29_999_970);
    expect(backoffDelayUs(5, 500_000, 30_000_000, () => 0)).toBe(0);
    expect(backoffDelayUs(5000, 500_000, 30_000_000, () => 0.5)).toBe(15_000_000);
  });
});
