import { EMA as OracleEMA, SMA as OracleSMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { EMA } from './ema.js';
import { randomWalk, relClose, trending } from './series.test.js';

// Convention: we seed with the SMA of the first `period` inputs (TA-Lib); trading-signals seeds
// with the first input. The recurrences are the same, so the difference decays as (1 − α)^k:
// we compare to the oracle after a burn-in long enough for (1 − α)^k < 1e-15, and check the
// seed and the first steps against values derived by hand.
describe('EMA', () => {
  it.each([
    ['random walk', randomWalk(5000, 3)],
    ['trending', trending(5000, 4)],
  ])('matches trading-signals after burn-in on a %s (1e-9 relative)', (_name, xs) => {
    for (const period of [2, 9, 26, 50]) {
      const alpha = 2 / (period + 1);
      const burnIn = Math.ceil(Math.log(1e-15) / Math.log(1 - alpha)) + period;
      const ours = new EMA(period);
      const oracle = new OracleEMA(period);
      const seed = new OracleSMA(period);
      const bad: number[] = [];
      xs.forEach((x, i) => {
        const a = ours.update(x);
        const b = oracle.update(x, false);
        const s = seed.update(x, false);
        const ok =
          i < period - 1
            ? a === null
            : i === period - 1
              ? relClose(a!, s!) // seed = SMA of the first n
              : i < burnIn || relClose(a!, b);
        if (!ok) bad.push(i);
      });
      expect(bad).toEqual([]);
    }
  });

  it('hand-derived: EMA(3) of 1,2,3,4,5 = null,null,2,3,4; reset()', () => {
    const e = new EMA(3); // α = 0.5
    expect([1, 2, 3, 4, 5].map((x) => e.update(x))).toEqual([null, null, 2, 3, 4]);
    expect(e.update(0)).toBe(2);
    expect(e.isReady).toBe(true);
    e.reset();
    expect(e.isReady).toBe(false);
    expect(e.update(10)).toBeNull();
  });
});
