import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decimalsOf,
  formatDecimal,
  gridScale,
  isOnGrid,
  priceToTicks,
  roundToStep,
  ticksToPrice,
} from './price-grid.js';

describe('decimalsOf', () => {
  it.each([
    [0.001, 3],
    [0.5, 1],
    [10, 0],
    [1, 0],
    [0.1, 1],
    [0.25, 2],
    [1e-8, 8],
    [5e-7, 7],
    [0.00001, 5],
    [0.0025, 4],
  ])('decimalsOf(%s) = %s', (step, d) => {
    expect(decimalsOf(step)).toBe(d);
  });
});

describe('priceToTicks / ticksToPrice', () => {
  it('rounds price / tick to the nearest integer', () => {
    expect(priceToTicks(0.3, 0.1)).toBe(3);
    expect(priceToTicks(0.1 + 0.2, 0.1)).toBe(3);
    expect(priceToTicks(50000.1, 0.1)).toBe(500001);
    expect(priceToTicks(0.00001234, 1e-8)).toBe(1234);
  });

  it('returns the decimal literal, not the float product', () => {
    expect(3 * 0.1).not.toBe(0.3);
    expect(ticksToPrice(3, 0.1)).toBe(0.3);
    expect(ticksToPrice(500001, 0.1)).toBe(50000.1);
    expect(ticksToPrice(7, 0.01)).toBe(0.07);
    expect(ticksToPrice(1234, 1e-8)).toBe(0.00001234);
    expect(ticksToPrice(3, 10)).toBe(30);
    expect(ticksToPrice(3, 0.3)).toBe(0.9);
    expect(ticksToPrice(7, 0.25)).toBe(1.75);
    expect(ticksToPrice(-3, 0.1)).toBe(-0.3);
  });

  it('uses an integer ratio for the tick', () => {
    expect(gridScale(0.1)).toEqual({ num: 1, den: 10 });
    expect(gridScale(0.005)).toEqual({ num: 1, den: 200 });
    expect(gridScale(0.3)).toEqual({ num: 3, den: 10 });
    expect(gridScale(10)).toEqual({ num: 10, den: 1 });
  });

  it('round-trips every tick index to the parsed decimal string (property)', () => {
    const ticks = [0.1, 0.01, 0.5, 0.25, 0.001, 1e-8, 0.3, 5, 10];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(...ticks), (n, tick) => {
        const p = ticksToPrice(n, tick);
        expect(priceToTicks(p, tick)).toBe(n);
        // The exact decimal string of n × tick, built from integers, parses to the same double.
        const d = decimalsOf(tick);
        const units = BigInt(n) * BigInt(Math.round(tick * 10 ** d));
        const s = units.toString().padStart(d + 1, '0');
        const literal = d === 0 ? s : `${s.slice(0, -d)}.${s.slice(-d)}`;
        expect(p).toBe(Number(literal));
      }),
      { numRuns: 500 },
    );
  });
});

describe('isOnGrid', () => {
  it('accepts multiples, including float-noisy ones', () => {
    expect(isOnGrid(0.3, 0.1)).toBe(true);
    expect(isOnGrid(0.1 + 0.2, 0.1)).toBe(true);
    expect(isOnGrid(50000.1, 0.1)).toBe(true);
    expect(isOnGrid(1000000.001, 0.001)).toBe(true);
    expect(isOnGrid(30, 10)).toBe(true);
    expect(isOnGrid(0, 0.1)).toBe(true);
  });

  it('rejects off-grid values', () => {
    expect(isOnGrid(100.05, 0.1)).toBe(false);
    expect(isOnGrid(0.0015, 0.001)).toBe(false);
    expect(isOnGrid(25, 10)).toBe(false);
    expect(isOnGrid(0.3 + 1e-6, 0.1)).toBe(false);
  });
});

describe('roundToStep', () => {
  it('rounds down / up / nearest to exact decimals', () => {
    expect(roundToStep(0.37, 0.1, 'down')).toBe(0.3);
    expect(roundToStep(0.37, 0.1, 'up')).toBe(0.4);
    expect(roundToStep(0.37, 0.1, 'nearest')).toBe(0.4);
    expect(roundToStep(0.34, 0.1, 'nearest')).toBe(0.3);
    expect(roundToStep(100.07, 0.5, 'down')).toBe(100);
    expect(roundToStep(100.07, 0.5, 'up')).toBe(100.5);
    expect(roundToStep(0.0015, 0.001, 'down')).toBe(0.001);
  });

  it('tolerates float noise around grid points', () => {
    expect(roundToStep(0.30000000000000004, 0.1, 'down')).toBe(0.3);
    expect(roundToStep(0.30000000000000004, 0.1, 'up')).toBe(0.3);
    expect(roundToStep(0.7 - 0.1, 0.1, 'up')).toBe(0.6);
    expect(roundToStep(0.7 - 0.1, 0.1, 'down')).toBe(0.6);
  });

  it('never returns -0', () => {
    expect(Object.is(roundToStep(1e-12, 0.1, 'up'), 0)).toBe(true);
    expect(Object.is(roundToStep(-1e-12, 0.1, 'nearest'), 0)).toBe(true);
  });

  it('down ≤ value ≤ up, both on the grid, one step apart at most (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.constantFrom(0.1, 0.01, 0.5, 0.001, 1, 10),
        (v, step) => {
          const lo = roundToStep(v, step, 'down');
          const hi = roundToStep(v, step, 'up');
          const tol = step * 1e-6;
          expect(lo).toBeLessThanOrEqual(v + tol);
          expect(hi).toBeGreaterThanOrEqual(v - tol);
          expect(isOnGrid(lo, step)).toBe(true);
          expect(isOnGrid(hi, step)).toBe(true);
          expect(hi - lo).toBeLessThanOrEqual(step * (1 + 1e-6));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('formatDecimal', () => {
  it('prints the step decimals exactly', () => {
    expect(formatDecimal(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatDecimal(5, 0.001)).toBe('5.000');
    expect(formatDecimal(50000.1, 0.1)).toBe('50000.1');
    expect(formatDecimal(0.00001234, 1e-8)).toBe('0.00001234');
    expect(formatDecimal(30, 10)).toBe('30');
    expect(formatDecimal(1.005, 0.005)).toBe('1.005');
    expect(formatDecimal(-1e-12, 0.1)).toBe('0.0');
  });
});
