import { EMA as OracleEMA, MACD as OracleMACD } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { MACD } from './macd.js';
import { randomWalk, relClose, trending } from './series.test.js';

/** Straight TA-Lib-style MACD over a whole array (the hand-derived reference). */
function talibMacd(xs: readonly number[], fast: number, slow: number, signal: number) {
  const ema = (values: readonly number[], n: number, from: number) => {
    const out: number[] = new Array(values.length).fill(Number.NaN);
    const k = 2 / (n + 1);
    let e = 0;
    for (let i = from; i < from + n; i++) e += values[i]!;
    e /= n;
    out[from + n - 1] = e;
    for (let i = from + n; i < values.length; i++) {
      e = values[i]! * k + e * (1 - k);
      out[i] = e;
    }
    return out;
  };
  const slowE = ema(xs, slow, 0);
  const fastE = ema(xs, fast, slow - fast);
  const macd = xs.map((_, i) => fastE[i]! - slowE[i]!);
  const sig = ema(macd, signal, slow - 1);
  return xs.map((_, i) => ({ macd: macd[i]!, signal: sig[i]!, histogram: macd[i]! - sig[i]! }));
}

// Convention: TA-Lib seeding (every EMA seeded by an SMA; fast EMA aligned to the slow seed;
// ready after slow + signal − 1 inputs). trading-signals seeds with the first input and is
// ready after `slow` inputs, so we compare to it only after the seeds have decayed away.
describe('MACD', () => {
  it.each([
    ['random walk', randomWalk(5000, 11)],
    ['trending', trending(5000, 12)],
  ])('matches the TA-Lib reference exactly-ish and trading-signals after burn-in (%s)', (_n, xs) => {
    const [fast, slow, signal] = [12, 26, 9];
    const ours = new MACD(fast, slow, signal);
    const oracle = new OracleMACD(new OracleEMA(fast), new OracleEMA(slow), new OracleEMA(signal));
    const ref = talibMacd(xs, fast, slow, signal);
    const burnIn = 1000; // (1 − 2/10)^1000 ≈ 1e-97
    const bad: number[] = [];
    xs.forEach((x, i) => {
      const a = ours.update(x);
      const b = oracle.update(x, false);
      if (i < slow + signal - 2) {
        if (a !== null) bad.push(i);
        return;
      }
      const r = ref[i]!;
      // Values are differences of ~price-sized EMAs: compare relative to the price scale.
      const scale = Math.abs(x);
      for (const key of ['macd', 'signal', 'histogram'] as const) {
        if (!(Math.abs(a![key] - r[key]) <= 1e-9 * scale)) bad.push(i);
        if (i >= burnIn && !relClose(a![key], b![key], 1e-9 * scale)) bad.push(i);
      }
    });
    expect(bad).toEqual([]);
  });

  it('hand-derived MACD(2, 3, 2) on 1..6; histogramSignal; reset()', () => {
    const m = new MACD(2, 3, 2);
    expect(m.update(1)).toBeNull();
    expect(m.update(2)).toBeNull();
    expect(m.update(3)).toBeNull(); // slow seed 2, fast seed (2+3)/2 = 2.5, macd 0.5
    expect(m.histogramSignal.isReady).toBe(false);
    // x=4: slow 2 + 0.5·2 = 3, fast 2.5 + (2/3)·1.5 = 3.5, macd 0.5, signal seed 0.5
    expect(m.update(4)).toEqual({ macd: 0.5, signal: 0.5, histogram: 0 });
    expect(m.histogramSignal.value).toBe(0);
    m.reset();
    expect(m.value).toBeNull();
    expect(() => new MACD(26, 12, 9)).toThrow(RangeError);
  });
});
