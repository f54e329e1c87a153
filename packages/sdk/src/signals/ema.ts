import type { Indicator, Signal } from './signal.js';

/**
 * Exponential moving average, α = 2 / (period + 1).
 *
 * Seeding follows TA-Lib (its default, non-Metastock compatibility): the first value is the SMA
 * of the first `period` inputs, returned on the `period`-th input; `null` before that. After
 * that `ema += α·(x − ema)`.
 *
 * trading-signals' `EMA` differs: it seeds with the first input and returns a value from the
 * first input on. The two converge geometrically (the seed's weight decays as (1 − α)^k).
 */
export class EMA implements Indicator, Signal {
  readonly alpha: number;
  private count = 0;
  private seedSum = 0;
  private current: number | null = null;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`EMA period must be an integer >= 1`);
    this.alpha = 2 / (period + 1);
  }

  update(x: number): number | null {
    if (this.current !== null) {
      this.current += this.alpha * (x - this.current);
      return this.current;
    }
    this.seedSum += x;
    if (++this.count === this.period) this.current = this.seedSum / this.period;
    return this.current;
  }

  get value(): number | null {
    return this.current;
  }
  get isReady(): boolean {
    return this.current !== null;
  }

  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.current = null;
  }
}
