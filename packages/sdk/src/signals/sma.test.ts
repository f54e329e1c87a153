import { SMA as OracleSMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { randomWalk, relClose, trending } from './series.test.js';
import { SMA } from './sma.js';

describe('SMA', () => {
  it.each([
    ['random walk', randomWalk(5000, 1)],
    ['trending', trending(5000, 2)],
  ])('matches trading-signals on a %s (1e-9 relative)', (_name, xs) => {
    for (const period of [1, 5, 20, 200]) {
      const ours = new SMA(period);
      const oracle = new OracleSMA(period);
      const bad: number[] = [];
      xs.forEach((x, i) => {
        const a = ours.update(x);
        const b = oracle.update(x, false);
        if (b === null) {
          if (a !== null) bad.push(i);
        } else if (!relClose(a!, b)) bad.push(i);
      });
      expect(bad).toEqual([]);
    }
  });

  it('is null for period − 1 inputs, then ready; reset() starts over', () => {
    const s = new SMA(3);
    expect(s.update(1)).toBeNull();
    expect(s.update(2)).toBeNull();
    expect(s.isReady).toBe(false);
    expect(s.update(6)).toBe(3);
    expect(s.update(10)).toBe(6);
    expect(s.value).toBe(6);
    s.reset();
    expect(s.value).toBeNull();
    expect(s.update(4)).toBeNull();
    expect(s.update(4)).toBeNull();
    expect(s.update(4)).toBe(4);
  });

  it('does not drift over a long series with large offsets', () => {
    const s = new SMA(10);
    for (let i = 0; i < 200_000; i++) s.update(i % 2 === 0 ? 1e8 + 0.1 : -1e8 + 0.3);
    for (let i = 0; i < 10; i++) s.update(0.7);
    expect(s.value).toBe(0.7);
  });
});
