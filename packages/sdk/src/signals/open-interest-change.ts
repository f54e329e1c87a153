import type { OpenInterest } from '../events/market.js';
import type { Micros } from '../time.js';
import type { Indicator, Signal } from './signal.js';

/**
 * Change of open interest over a lookback of `windowUs` of event time, from the
 * `open_interest` stream: `value` = OI(now) − OI(now − windowUs), `rateOfChange` = that change
 * divided by OI(now − windowUs) (a fraction: 0.01 = +1 %), `perSecond` = change per second.
 *
 * OI(t) is the last sample at or before t (the value in force at t). Ready once a sample at or
 * before `now − windowUs` exists, i.e. a full window of history has been seen. Samples must come
 * in non-decreasing time (an earlier one is clamped). O(1) amortised; ring buffer that grows.
 */
export class OpenInterestChange implements Indicator, Signal {
  private ts: Float64Array;
  private oi: Float64Array;
  private head = 0;
  private len = 0;
  private now = Number.NEGATIVE_INFINITY;

  constructor(
    readonly windowUs: Micros,
    readonly clock: 'localTs' | 'exchTs' = 'localTs',
  ) {
    if (!(windowUs > 0)) throw new RangeError(`window must be > 0 µs, got ${windowUs}`);
    this.ts = new Float64Array(16);
    this.oi = new Float64Array(16);
  }

  update(event: OpenInterest): number | null {
    return this.updateRaw(event[this.clock], event.openInterest);
  }

  updateRaw(ts: Micros, openInterest: number): number | null {
    if (ts < this.now) ts = this.now;
    if (this.len === this.ts.length) this.grow();
    const i = (this.head + this.len) % this.ts.length;
    this.ts[i] = ts;
    this.oi[i] = openInterest;
    this.len++;
    return this.valueAt(ts);
  }

  /** Advances time to `now` (drops samples no longer needed for the base) and returns the change. */
  valueAt(now: Micros): number | null {
    if (now > this.now) this.now = now;
    const cutoff = this.now - this.windowUs;
    const cap = this.ts.length;
    // Keep the newest sample at or before the cutoff as the base: drop the oldest while the next is also <= cutoff.
    while (this.len > 1 && this.ts[(this.head + 1) % cap]! <= cutoff) {
      this.head = (this.head + 1) % cap;
      this.len--;
    }
    return this.value;
  }

  get isReady(): boolean {
    return this.len > 0 && this.ts[this.head]! <= this.now - this.windowUs;
  }
  /** OI at `now − windowUs`, or null. */
  get base(): number | null {
    return this.isReady ? this.oi[this.head]! : null;
  }
  get latest(): number | null {
    return this.len > 0 ? this.oi[(this.head + this.len - 1) % this.ts.length]! : null;
  }
  get value(): number | null {
    const base = this.base;
    return base === null ? null : this.latest! - base;
  }
  get rateOfChange(): number | null {
    const base = this.base;
    return base === null || base === 0 ? null : (this.latest! - base) / base;
  }
  get perSecond(): number | null {
    const v = this.value;
    return v === null ? null : (v * 1_000_000) / this.windowUs;
  }

  reset(): void {
    this.head = 0;
    this.len = 0;
    this.now = Number.NEGATIVE_INFINITY;
  }

  private grow(): void {
    const cap = this.ts.length;
    const ts = new Float64Array(cap * 2);
    const oi = new Float64Array(cap * 2);
    for (let k = 0; k < this.len; k++) {
      const i = (this.head + k) % cap;
      ts[k] = this.ts[i]!;
      oi[k] = this.oi[i]!;
    }
    this.ts = ts;
    this.oi = oi;
    this.head = 0;
  }
}
