import { describe, expect, it } from 'vitest';
import { histogram, niceStep } from './histogram.js';
import { pnlByDay, pnlByHourOfDay } from './pnl-buckets.js';

describe('histogram', () => {
  it('picks 1-2-5 steps', () => {
    expect(niceStep(0.13)).toBeCloseTo(0.2);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(100)).toBe(100);
  });

  it('counts every value once, in bins whose edges are multiples of the width', () => {
    const values = [-3.2, -1.1, -0.4, -0.01, 0, 0.3, 0.9, 2.5, 2.6];
    const h = histogram(values);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(Math.abs(h.lo / h.width - Math.round(h.lo / h.width))).toBeLessThan(1e-9);
    // zero is an edge: no bin holds both a loss and a gain
    for (const [i] of h.counts.entries()) {
      const from = h.lo + i * h.width;
      const to = from + h.width;
      expect(from >= -1e-12 || to <= 1e-12).toBe(true);
    }
  });

  it('handles no values and identical values', () => {
    expect(histogram([]).counts).toEqual([]);
    const h = histogram([5, 5, 5]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(histogram([0]).counts).toEqual([1]);
  });
});

describe('PnL buckets', () => {
  const H = 3_600_000_000;
  const day = 24 * H;
  const t0 = 1_700_006_400_000_000; // 2023-11-15 00:00 UTC

  it('credits each equity change to the hour and day of the later sample; buckets sum to the PnL', () => {
    const ts = [t0 - H / 2, t0 + H / 2, t0 + 5 * H, t0 + day + 5 * H + 1];
    const equity = [0, 2, -1, 4];
    const byHour = pnlByHourOfDay(ts, equity);
    expect(byHour.keys).toHaveLength(24);
    expect(byHour.pnl[0]).toBe(2);
    expect(byHour.pnl[5]).toBe(-3 + 5);
    expect(byHour.pnl.reduce((a, b) => a + b, 0)).toBe(4);
    const byDay = pnlByDay(ts, equity);
    expect(byDay.keys).toEqual([t0 - day, t0, t0 + day]);
    expect(byDay.pnl).toEqual([0, -1, 5]);
  });

  it('is empty without samples', () => {
    expect(pnlByHourOfDay([], []).keys).toEqual([]);
    expect(pnlByDay([], []).keys).toEqual([]);
  });
});
