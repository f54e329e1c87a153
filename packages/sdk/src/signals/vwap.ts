import { type Micros, US_PER_DAY } from '../time.js';
import { CompensatedSum } from './compensated-sum.js';
import type { Indicator, Signal } from './signal.js';
import { TimeWindow } from './time-window.js';

export type VwapOptions =
  | {
      readonly mode: 'session';
      /** Session length in µs; default one day. */
      readonly sessionUs?: Micros;
      /** Session boundary offset from the epoch in µs; default 0 (boundaries at 00:00 UTC). */
      readonly offsetUs?: Micros;
    }
  | { readonly mode: 'rolling'; readonly windowUs: Micros };

/**
 * Volume-weighted average price of `(price, qty, ts)` samples (e.g. trades), ts in µs.
 *
 * - `session` mode: cumulative since the start of the current session; sessions are
 *   `[offsetUs + k·sessionUs, offsetUs + (k+1)·sessionUs)`, default daily from 00:00 UTC. The
 *   first sample (or read with `valueAt(now)`) in a new session starts from zero.
 * - `rolling` mode: over samples with `ts > now − windowUs` (see `TimeWindow`).
 *
 * `null` while there is no quantity in the session / window. Sums are compensated.
 */
export class VWAP implements Indicator, Signal {
  private readonly sessionUs: Micros;
  private readonly offsetUs: Micros;
  private session = Number.NaN;
  private readonly pq = new CompensatedSum();
  private readonly q = new CompensatedSum();
  private readonly window: TimeWindow | null;

  constructor(readonly options: VwapOptions = { mode: 'session' }) {
    if (options.mode === 'rolling') {
      this.window = new TimeWindow(options.windowUs);
      this.sessionUs = 0;
      this.offsetUs = 0;
    } else {
      this.window = null;
      this.sessionUs = options.sessionUs ?? US_PER_DAY;
      this.offsetUs = options.offsetUs ?? 0;
      if (!(this.sessionUs > 0)) throw new RangeError('VWAP sessionUs must be > 0');
    }
  }

  update(price: number, qty: number, ts: Micros): number | null {
    if (this.window !== null) {
      this.window.push(ts, price * qty, qty);
    } else {
      this.roll(ts);
      this.pq.add(price * qty);
      this.q.add(qty);
    }
    return this.value;
  }

  /** The value at time `now`: evicts (rolling) or starts a new session first. */
  valueAt(now: Micros): number | null {
    if (this.window !== null) this.window.evict(now);
    else this.roll(now);
    return this.value;
  }

  get value(): number | null {
    const q = this.window !== null ? this.window.sumB : this.q.value;
    if (!(q > 0)) return null;
    return (this.window !== null ? this.window.sumA : this.pq.value) / q;
  }
  get isReady(): boolean {
    return this.value !== null;
  }

  reset(): void {
    this.window?.clear();
    this.pq.reset();
    this.q.reset();
    this.session = Number.NaN;
  }

  private roll(ts: Micros): void {
    const s = Math.floor((ts - this.offsetUs) / this.sessionUs);
    if (s > this.session || Number.isNaN(this.session)) {
      this.session = s;
      this.pq.reset();
      this.q.reset();
    }
  }
}
