import { RSI as OracleRSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { RSI } from './rsi.js';
import { randomWalk, relClose, trending } from './series.test.js';

describe('RSI (Wilder)', () => {
  it.each([
    ['random walk', randomWalk(5000, 5)],
    ['trending', trending(5000, 6)],
  ])('matches trading-signals (WSMA smoothing) on a %s (1e-9 relative)', (_name, xs) => {
    for (const period of [2, 14, 30]) {
      const ours = new RSI(period);
      const oracle = new OracleRSI(period);
      const bad: number[] = [];
      xs.forEach((x, i) => {
        const a = ours.update(x);
        const b = oracle.update(x, false);
        if (i < period && a !== null) bad.push(i);
        if ((b === null) !== (a === null)) bad.push(i);
        if (b !== null && !relClose(a!, b)) bad.push(i);
      });
      expect(bad).toEqual([]);
    }
  });

  it('hand-derived: RSI(2)', () => {
    const r = new RSI(2);
    // changes: +2, −1 → avgGain 1, avgLoss 0.5 → 100·1/1.5
    expect(r.update(10)).toBeNull();
    expect(r.update(12)).toBeNull();
    expect(r.update(11)).toBeCloseTo(200 / 3, 12);
    // change +3: avgGain (1·1 + 3)/2 = 2, avgLoss (0.5 + 0)/2 = 0.25 → 100·2/2.25
    expect(r.update(14)).toBeCloseTo(800 / 9, 12);
  });

  it('differs by convention on a flat series: 50 (trading-signals says 100); only gains: 100', () => {
    const flat = new RSI(3);
    for (let i = 0; i < 5; i++) flat.update(7);
    expect(flat.value).toBe(50);
    const up = new RSI(3);
    for (let i = 0; i < 5; i++) up.update(i);
    expect(up.value).toBe(100);
    up.reset();
    expect(up.value).toBeNull();
    expect(up.isReady).toBe(false);
  });
});
