import { EMA } from './ema.js';
import type { Indicator, Signal } from './signal.js';

export interface MacdValue {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

/**
 * MACD(fast, slow, signal), TA-Lib conventions: the slow EMA is seeded by the SMA of the first
 * `slow` inputs; the fast EMA is seeded by the SMA of the `fast` inputs ending at the same
 * input (it ignores the first `slow − fast` inputs), so both lines start on input `slow`; the
 * signal line is an EMA of the MACD line seeded by the SMA of its first `signal` values.
 * Ready after `slow + signal − 1` inputs. `histogram = macd − signal`.
 *
 * trading-signals' `MACD` (with its `EMA`s) seeds every EMA with its first input and returns
 * values from input `slow` on; after a burn-in the two agree.
 *
 * `value` is an object, so MACD itself is not a `Signal`; `histogramSignal` is a `Signal` view
 * of the histogram for composites.
 */
export class MACD implements Indicator<MacdValue> {
  private readonly fastEma: EMA;
  private readonly slowEma: EMA;
  private readonly signalEma: EMA;
  private count = 0;
  private current: MacdValue | null = null;
  readonly histogramSignal: Signal;

  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signal = 9,
  ) {
    if (!(Number.isInteger(fast) && Number.isInteger(slow) && fast >= 1 && slow > fast)) {
      throw new RangeError(`MACD needs integer periods with 1 <= fast < slow (got ${fast}, ${slow})`);
    }
    this.fastEma = new EMA(fast);
    this.slowEma = new EMA(slow);
    this.signalEma = new EMA(signal);
    const self = this;
    this.histogramSignal = {
      get value() {
        return self.current === null ? null : self.current.histogram;
      },
      get isReady() {
        return self.current !== null;
      },
    };
  }

  update(x: number): MacdValue | null {
    this.count++;
    const slowV = this.slowEma.update(x);
    const fastV = this.count > this.slow - this.fast ? this.fastEma.update(x) : null;
    if (slowV === null || fastV === null) return null;
    const macd = fastV - slowV;
    const sig = this.signalEma.update(macd);
    if (sig === null) return null;
    this.current = { macd, signal: sig, histogram: macd - sig };
    return this.current;
  }

  get value(): MacdValue | null {
    return this.current;
  }
  get isReady(): boolean {
    return this.current !== null;
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.count = 0;
    this.current = null;
  }
}
