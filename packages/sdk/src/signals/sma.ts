import { CompensatedSum } from './compensated-sum.js';
import type { Indicator, Signal } from './signal.js';

/**
 * Simple moving average over the last `period` inputs. Ready after `period` inputs (TA-Lib
 * lookback `period − 1`). O(1) per update: a ring buffer plus a running sum; the sum is
 * Neumaier-compensated (see `CompensatedSum`), so it does not drift over arbitrarily long series.
 */
export class SMA implements Indicator, Signal {
  private readonly buf: Float64Array;
  private readonly sum = new CompensatedSum();
  private idx = 0;
  private count = 0;
  private current: number | null = null;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`SMA period must be an integer >= 1`);
    this.buf = new Float64Array(period);
  }

  update(x: number): number | null {
    if (this.count === this.period) this.sum.add(-this.buf[this.idx]!);
    else this.count++;
    this.buf[this.idx] = x;
    this.sum.add(x);
    this.idx = (this.idx + 1) % this.period;
    this.current = this.count === this.period ? this.sum.value / this.period : null;
    return this.current;
  }

  get value(): number | null {
    return this.current;
  }
  get isReady(): boolean {
    return this.current !== null;
  }

  reset(): void {
    this.buf.fill(0);
    this.sum.reset();
    this.idx = 0;
    this.count = 0;
    this.current = null;
  }
}
