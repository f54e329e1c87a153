import type { Indicator, Signal } from './signal.js';

/** One bar for `ATR`. */
export interface HighLowClose {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * Average true range with Wilder smoothing. True range = max(high − low, |high − prevClose|,
 * |low − prevClose|); the first bar has no previous close, so its TR is `high − low`. The
 * average is seeded by the mean of the first `period` TRs (so ready after `period` bars), then
 * `atr = (atr·(period − 1) + tr) / period`.
 *
 * This matches trading-signals' `ATR`. TA-Lib instead drops the first bar's TR (its ATR is
 * first defined on bar `period + 1`).
 */
export class ATR implements Indicator, Signal {
  private prevClose = Number.NaN;
  private count = 0;
  private current: number | null = null;
  private seedSum = 0;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`ATR period must be an integer >= 1`);
  }

  update(bar: HighLowClose): number | null {
    const { high, low, close } = bar;
    const pc = this.prevClose;
    this.prevClose = close;
    const tr = Number.isNaN(pc) ? high - low : Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    const n = this.period;
    if (this.current !== null) {
      this.current = (this.current * (n - 1) + tr) / n;
      return this.current;
    }
    this.seedSum += tr;
    if (++this.count === n) this.current = this.seedSum / n;
    return this.current;
  }

  get value(): number | null {
    return this.current;
  }
  get isReady(): boolean {
    return this.current !== null;
  }

  reset(): void {
    this.prevClose = Number.NaN;
    this.count = 0;
    this.seedSum = 0;
    this.current = null;
  }
}
