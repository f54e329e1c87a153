import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AllOf } from './all-of.js';
import { AnyOf } from './any-of.js';
import { EMA } from './ema.js';
import { Hysteresis } from './hysteresis.js';
import type { Signal } from './signal.js';
import { WeightedSum } from './weighted-sum.js';

class Fixed implements Signal {
  constructor(public value: number | null) {}
  get isReady(): boolean {
    return this.value !== null;
  }
}

describe('composites', () => {
  it('WeightedSum: Σ wᵢ·vᵢ, null until every input is ready; wraps indicators', () => {
    const a = new Fixed(2);
    const b = new Fixed(null);
    const ws = new WeightedSum([
      { signal: a, weight: 0.5 },
      { signal: b, weight: -2 },
    ]);
    expect(ws.value).toBeNull();
    expect(ws.isReady).toBe(false);
    b.value = 3;
    expect(ws.value).toBe(-5);
    const ema = new EMA(2);
    const withEma = new WeightedSum([{ signal: ema, weight: 10 }]);
    ema.update(1);
    expect(withEma.value).toBeNull();
    ema.update(3);
    expect(withEma.value).toBe(20);
  });

  it('AllOf / AnyOf: 1 or 0 by predicate (default > 0), null while an input warms up', () => {
    const a = new Fixed(1);
    const b = new Fixed(-1);
    const c = new Fixed(null);
    expect(new AllOf([a, b]).value).toBe(0);
    expect(new AnyOf([a, b]).value).toBe(1);
    expect(new AllOf([a, b], (v) => v > -2).value).toBe(1);
    expect(new AnyOf([a, b], (v) => v > 5).value).toBe(0);
    expect(new AllOf([a, c]).value).toBeNull();
    expect(new AnyOf([a, c]).isReady).toBe(false);
    expect(new AllOf([]).value).toBe(1);
    expect(new AnyOf([]).value).toBe(0);
  });

  it('Hysteresis: on above upper, off below lower, holds in between; from a source or scalars', () => {
    const h = new Hysteresis(0.3, -0.1);
    expect(h.value).toBeNull();
    expect([0.1, 0.3, 0.31, 0.0, -0.1, -0.11, 0.2, 0.5].map((x) => h.update(x))).toEqual([
      0, 0, 1, 1, 1, 0, 0, 1,
    ]);
    h.reset();
    expect(h.isReady).toBe(false);
    const src = new Fixed(null);
    const hs = new Hysteresis(1, 0, src);
    expect(hs.update()).toBeNull();
    src.value = 2;
    expect(hs.update()).toBe(1);
    src.value = 0.5;
    expect(hs.update()).toBe(1);
    expect(() => new Hysteresis(0, 1)).toThrow(RangeError);
  });

  it('Hysteresis equals a naive state machine (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { maxLength: 100 }), (xs) => {
        const h = new Hysteresis(0.5, -0.5);
        let on = false;
        for (const x of xs) {
          if (x > 0.5) on = true;
          else if (x < -0.5) on = false;
          expect(h.update(x)).toBe(on ? 1 : 0);
        }
      }),
    );
  });
});
