import { describe, expect, it } from 'vitest';
import { downsampleIndices, lowerBound } from './downsample.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('lowerBound', () => {
  it('finds the first index at or above a value', () => {
    const xs = [1, 3, 3, 5, 9];
    expect(lowerBound(xs, 0)).toBe(0);
    expect(lowerBound(xs, 3)).toBe(1);
    expect(lowerBound(xs, 4)).toBe(3);
    expect(lowerBound(xs, 9)).toBe(4);
    expect(lowerBound(xs, 10)).toBe(5);
    expect(lowerBound([], 1)).toBe(0);
  });
});

describe('downsampleIndices', () => {
  it('keeps every point of a range that fits the budget', () => {
    const xs = range(100);
    expect(downsampleIndices(xs, [xs], 0, 100, 100)).toEqual(range(100));
    expect(downsampleIndices(xs, [xs], 10, 20, 50)).toEqual(range(10).map((i) => i + 10));
  });

  it('stays within the budget, ascending and without repeats, first and last point kept', () => {
    const n = 100_000;
    const xs = range(n).map((i) => 1_700_000_000 + i * 0.013);
    const a = xs.map((_, i) => Math.sin(i / 50) * 100 + (i % 7));
    const b = a.map((v, i) => (i % 3 === 0 ? null : v + 1));
    for (const budget of [18, 100, 1000, 4000]) {
      const idx = downsampleIndices(xs, [a, b], 0, n, budget);
      expect(idx.length).toBeLessThanOrEqual(budget);
      expect(idx.length).toBeGreaterThan(budget / 3);
      expect(idx[0]).toBe(0);
      expect(idx[idx.length - 1]).toBe(n - 1);
      for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
    }
  });

  it('keeps spikes: each series’ extremes survive', () => {
    const n = 50_000;
    const xs = range(n);
    const ys = xs.map(() => 10);
    ys[12_345] = 1_000; // a one-tick spike up
    ys[40_001] = -500; // and one down
    const fills: (number | null)[] = xs.map(() => null);
    fills[777] = 10.5; // a lone marker in a sparse series
    const idx = downsampleIndices(xs, [ys, fills], 0, n, 400);
    expect(idx).toContain(12_345);
    expect(idx).toContain(40_001);
    expect(idx).toContain(777);
  });

  it('downsamples only the requested slice, so a zoomed window gets its own resolution', () => {
    const n = 20_000;
    const xs = range(n);
    const ys = xs.map((i) => (i * 7919) % 101);
    const idx = downsampleIndices(xs, [ys], 5_000, 9_000, 200);
    expect(idx[0]).toBe(5_000);
    expect(idx[idx.length - 1]).toBe(8_999);
    expect(idx.every((i) => i >= 5_000 && i < 9_000)).toBe(true);
    expect(downsampleIndices(xs, [ys], 5_000, 5_150, 200)).toHaveLength(150);
  });

  it('buckets by time, so a burst of ticks does not starve a quiet stretch', () => {
    // 10,000 ticks in the first second, then one tick a second for 1,000 s.
    const xs = [...range(10_000).map((i) => i / 10_000), ...range(1_000).map((i) => 1 + i)];
    const ys = xs.map((_, i) => i % 13);
    const idx = downsampleIndices(xs, [ys], 0, xs.length, 1_000);
    const late = idx.filter((i) => (xs[i] as number) >= 1).length;
    expect(late).toBeGreaterThan(400);
  });

  it('handles all-null series and equal timestamps', () => {
    const xs = range(1_000).map(() => 5);
    const idx = downsampleIndices(xs, [xs.map(() => null)], 0, 1_000, 10);
    expect(idx).toEqual([0, 999]);
  });
});
