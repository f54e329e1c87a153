import { ATR as OracleATR } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { ATR } from './atr.js';
import { bars, randomWalk, relClose, trending } from './series.test.js';

describe('ATR (Wilder, first TR = high − low)', () => {
  it.each([
    ['random walk', bars(randomWalk(5000, 7), 8)],
    ['trending', bars(trending(5000, 9), 10)],
  ])('matches trading-signals on a %s (1e-9 relative)', (_name, bs) => {
    for (const period of [1, 14, 50]) {
      const ours = new ATR(period);
      const oracle = new OracleATR(period);
      const bad: number[] = [];
      bs.forEach((bar, i) => {
        const a = ours.update(bar);
        const b = oracle.update(bar, false);
        if (i < period - 1 && a !== null) bad.push(i);
        if ((b === null) !== (a === null)) bad.push(i);
        if (b !== null && !relClose(a!, b)) bad.push(i);
      });
      expect(bad).toEqual([]);
    }
  });

  it('hand-derived ATR(2); reset()', () => {
    const a = new ATR(2);
    expect(a.update({ high: 10, low: 8, close: 9 })).toBeNull(); // TR 2
    expect(a.update({ high: 13, low: 11, close: 12 })).toBe(3); // TR max(2, 4, 2) = 4 → (2+4)/2
    expect(a.update({ high: 12, low: 11.5, close: 12 })).toBe(1.75); // TR max(0.5, 0, 0.5) → (3 + 0.5)/2
    a.reset();
    expect(a.isReady).toBe(false);
    expect(a.update({ high: 1, low: 0, close: 1 })).toBeNull();
  });
});
