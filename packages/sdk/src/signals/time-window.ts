import type { Micros } from '../time.js';
import { CompensatedSum } from './compensated-sum.js';

/**
 * A sliding event-time window of `(ts, a, b)` samples with running sums of `a` and `b`: the
 * storage under the windowed signals. Ring buffer of typed arrays that doubles when full (so
 * steady state allocates nothing).
 *
 * Window semantics: at time `now`, a sample is in the window iff `ts > now − windowUs`
 * (half-open `(now − windowUs, now]`). `evict(now)` drops the rest; callers evict on every
 * update (with the event's timestamp) and on every read with a caller-supplied `now`.
 * Timestamps must be non-decreasing; an earlier timestamp is clamped to the latest seen.
 */
export class TimeWindow {
  private ts: Float64Array;
  private a: Float64Array;
  private b: Float64Array;
  private head = 0;
  private len = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private readonly sa = new CompensatedSum();
  private readonly sb = new CompensatedSum();

  constructor(
    readonly windowUs: Micros,
    initialCapacity = 64,
  ) {
    if (!(windowUs > 0)) throw new RangeError(`window must be > 0 µs, got ${windowUs}`);
    const cap = Math.max(1, initialCapacity | 0);
    this.ts = new Float64Array(cap);
    this.a = new Float64Array(cap);
    this.b = new Float64Array(cap);
  }

  get count(): number {
    return this.len;
  }
  get sumA(): number {
    return this.sa.value;
  }
  get sumB(): number {
    return this.sb.value;
  }
  /** Latest timestamp seen (−∞ before the first sample). */
  get latestTs(): Micros {
    return this.lastTs;
  }

  push(ts: Micros, a: number, b: number): void {
    if (ts < this.lastTs) ts = this.lastTs;
    this.lastTs = ts;
    this.evict(ts);
    if (this.len === this.ts.length) this.grow();
    const i = (this.head + this.len) % this.ts.length;
    this.ts[i] = ts;
    this.a[i] = a;
    this.b[i] = b;
    this.len++;
    this.sa.add(a);
    this.sb.add(b);
  }

  /** Drops samples with `ts <= now − windowUs`. */
  evict(now: Micros): void {
    const cutoff = now - this.windowUs;
    const cap = this.ts.length;
    while (this.len > 0 && this.ts[this.head]! <= cutoff) {
      this.sa.add(-this.a[this.head]!);
      this.sb.add(-this.b[this.head]!);
      this.head = (this.head + 1) % cap;
      this.len--;
    }
    if (this.len === 0) {
      this.sa.reset();
      this.sb.reset();
    }
  }

  clear(): void {
    this.head = 0;
    this.len = 0;
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.sa.reset();
    this.sb.reset();
  }

  private grow(): void {
    const cap = this.ts.length;
    const ts = new Float64Array(cap * 2);
    const a = new Float64Array(cap * 2);
    const b = new Float64Array(cap * 2);
    for (let k = 0; k < this.len; k++) {
      const i = (this.head + k) % cap;
      ts[k] = this.ts[i]!;
      a[k] = this.a[i]!;
      b[k] = this.b[i]!;
    }
    this.ts = ts;
    this.a = a;
    this.b = b;
    this.head = 0;
  }
}
