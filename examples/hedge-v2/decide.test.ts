import { describe, expect, it } from 'vitest';
import {
  entryDirection,
  favourableTicks,
  hitStop,
  needsReplace,
  opposite,
  scaleInLevels,
  scaleOutDue,
  trendOf,
} from './decide.js';
import { paramsSchema } from './strategy.js';

const up = { emaFast: 101, emaSlow: 100, rsi: 60, macdHistogram: 0.5 };
const down = { emaFast: 99, emaSlow: 100, rsi: 40, macdHistogram: -0.5 };

describe('trendOf', () => {
  it('is up or down only when EMA, MACD and RSI agree', () => {
    expect(trendOf(up, 70)).toBe('up');
    expect(trendOf(down, 70)).toBe('down');
    expect(trendOf({ ...up, macdHistogram: -0.1 }, 70)).toBeNull();
    expect(trendOf({ ...up, rsi: 45 }, 70)).toBeNull();
    expect(trendOf({ ...down, emaFast: 100.5 }, 70)).toBeNull();
  });

  it('skips exhausted moves (RSI beyond the overbought / oversold bound)', () => {
    expect(trendOf({ ...up, rsi: 75 }, 70)).toBeNull();
    expect(trendOf({ ...down, rsi: 25 }, 70)).toBeNull();
    expect(trendOf({ ...down, rsi: 31 }, 70)).toBe('down');
  });

  it('is null while any indicator warms up', () => {
    for (const k of ['emaFast', 'emaSlow', 'rsi', 'macdHistogram'] as const) {
      expect(trendOf({ ...up, [k]: null }, 70)).toBeNull();
    }
  });
});

describe('entryDirection', () => {
  it('needs the book to lean the trend’s way by the threshold', () => {
    expect(entryDirection('up', 0.3, 0.3)).toBe('long');
    expect(entryDirection('up', 0.29, 0.3)).toBeNull();
    expect(entryDirection('up', -0.9, 0.3)).toBeNull();
    expect(entryDirection('down', -0.5, 0.3)).toBe('short');
    expect(entryDirection('down', 0.5, 0.3)).toBeNull();
    expect(entryDirection(null, 1, 0.3)).toBeNull();
    expect(entryDirection('up', null, 0.3)).toBeNull();
  });

  it('opposite swaps directions', () => {
    expect(opposite('long')).toBe('short');
    expect(opposite('short')).toBe('long');
  });
});

describe('moves, stops and scale-outs', () => {
  it('measures the move in the leg’s favour in ticks', () => {
    expect(favourableTicks('long', 100, 101, 0.1)).toBeCloseTo(10, 9);
    expect(favourableTicks('short', 100, 101, 0.1)).toBeCloseTo(-10, 9);
  });

  it('stops at stopTicks against the entry, not before', () => {
    expect(hitStop('long', 100, 99, 0.1, 10)).toBe(true);
    expect(hitStop('long', 100, 99.2, 0.1, 10)).toBe(false);
    expect(hitStop('short', 100, 101, 0.1, 10)).toBe(true);
    expect(hitStop('short', 100, 99, 0.1, 10)).toBe(false);
  });

  it('the n-th scale-out is due n steps in favour, up to the maximum', () => {
    expect(scaleOutDue('long', 100, 101.5, 0.1, 15, 0, 2)).toBe(true);
    expect(scaleOutDue('long', 100, 101.5, 0.1, 15, 1, 2)).toBe(false);
    expect(scaleOutDue('long', 100, 103, 0.1, 15, 1, 2)).toBe(true);
    expect(scaleOutDue('long', 100, 110, 0.1, 15, 2, 2)).toBe(false);
    expect(scaleOutDue('short', 100, 98.5, 0.1, 15, 0, 2)).toBe(true);
    expect(scaleOutDue('short', 100, 101.5, 0.1, 15, 0, 2)).toBe(false);
  });
});

describe('scaleInLevels', () => {
  it('steps away from the entry by stepTicks per rung', () => {
    expect(scaleInLevels(0.01, 0.05, 3, 20, 0.01)).toEqual([
      { offsetTicks: 20, qty: 0.01 },
      { offsetTicks: 40, qty: 0.01 },
      { offsetTicks: 60, qty: 0.01 },
    ]);
  });

  it('keeps the leg plus the ladder within maxQty', () => {
    const levels = scaleInLevels(0.03, 0.05, 3, 20, 0.015);
    expect(levels).toHaveLength(2);
    expect(levels[0]!.qty).toBe(0.015);
    expect(levels[1]!.qty).toBeCloseTo(0.005, 12);
    const total = levels.reduce((s, l) => s + l.qty, 0.03);
    expect(total).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(scaleInLevels(0.05, 0.05, 3, 20, 0.01)).toEqual([]);
    expect(scaleInLevels(0.01, 0.05, 0, 20, 0.01)).toEqual([]);
  });
});

describe('needsReplace', () => {
  it('only on a move of minTicks or more', () => {
    expect(needsReplace(100, 100.2, 0.1, 3)).toBe(false);
    expect(needsReplace(100, 100.3, 0.1, 3)).toBe(true);
    expect(needsReplace(100, 99.7, 0.1, 3)).toBe(true);
  });
});

describe('params', () => {
  it('has defaults for everything', () => {
    const p = paramsSchema.parse({});
    expect(p.obiLevels).toBe(5);
    expect(p.sampleMs).toBe(1_000);
    expect(p.entryMode).toBe('ioc');
  });

  it('rejects inconsistent periods and a stop inside the ladder', () => {
    expect(paramsSchema.safeParse({ emaFast: 60, emaSlow: 20 }).success).toBe(false);
    expect(paramsSchema.safeParse({ stopTicks: 50, ladderLevels: 3, ladderStepTicks: 20 }).success).toBe(
      false,
    );
    expect(paramsSchema.safeParse({ hedgeRatio: 0 }).success).toBe(false);
  });
});
