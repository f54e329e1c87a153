import type { Indicator, Signal } from './signal.js';

/**
 * Relative strength index with Wilder smoothing (TA-Lib convention). Changes start at the
 * second input; the average gain and loss are seeded by the plain mean of the first `period`
 * changes, then `avg = (avg·(period − 1) + x) / period`. Ready after `period + 1` inputs.
 *
 * RSI = 100 · avgGain / (avgGain + avgLoss): 100 when there are only gains. When both averages
 * are 0 (a flat series) we return 50 (neutral); trading-signals returns 100 and TA-Lib 0 there.
 */
export class RSI implements Indicator, Signal {
  private prev = Number.NaN;
  private count = 0;
  private avgGain = 0;
  private avgLoss = 0;
  private current: number | null = null;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`RSI period must be an integer >= 1`);
  }

  update(x: number): number | null {
    const prev = this.prev;
    this.prev = x;
    if (Number.isNaN(prev)) return this.current;
    const change = x - prev;
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    const n = this.period;
    if (this.count < n) {
      this.avgGain += gain;
      this.avgLoss += loss;
      if (++this.count < n) return this.current;
      this.avgGain /= n;
      this.avgLoss /= n;
    } else {
      this.avgGain = (this.avgGain * (n - 1) + gain) / n;
      this.avgLoss = (this.avgLoss * (n - 1) + loss) / n;
    }
    const total = this.avgGain + this.avgLoss;
    this.current = total === 0 ? 50 : (100 * this.avgGain) / total;
    return this.current;
  }

  get value(): number | null {
    return this.current;
  }
  get isReady(): boolean {
    return this.current !== null;
  }

  reset(): void {
    this.prev = Number.NaN;
    this.count = 0;
    this.avgGain = 0;
    this.avgLoss = 0;
    this.current = null;
  }
}
