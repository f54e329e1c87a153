import type { Micros } from '../time.js';
import { RISK_OK, type RiskResult, type RiskRule, riskDenied } from './risk-decision.js';

/**
 * At most `limit` events in any window of `windowUs`: a ring of the last `limit` event
 * times. O(1) per check and per record.
 */
export class SlidingWindowCounter {
  private readonly times: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    readonly limit: number,
    readonly windowUs: Micros,
  ) {
    this.times = new Float64Array(limit);
  }

  /** Whether one more event at `now` stays within the limit. */
  allows(now: Micros): boolean {
    if (this.size < this.limit) return true;
    // The oldest of the last `limit` events must have left the window (t ≤ now − window).
    return this.times[this.head]! <= now - this.windowUs;
  }

  record(now: Micros): void {
    this.times[this.head] = now;
    this.head = (this.head + 1) % this.limit;
    if (this.size < this.limit) this.size++;
  }

  /** Events within (now − window, now]. O(limit): for tests and diagnostics. */
  countAt(now: Micros): number {
    let n = 0;
    for (let k = 0; k < this.size; k++) if (this.times[k]! > now - this.windowUs) n++;
    return n;
  }
}

/** Order-count limits per 10 s and per 60 s (Binance USD-M: 300 and 1200 per account). */
export class OrderRateLimiter {
  private readonly windows: ReadonlyArray<readonly [SlidingWindowCounter, RiskRule]>;

  constructor(per10s: number, per60s: number) {
    this.windows = [
      [new SlidingWindowCounter(per10s, 10_000_000), 'orderRate10s'],
      [new SlidingWindowCounter(per60s, 60_000_000), 'orderRate60s'],
    ];
  }

  check(now: Micros): RiskResult {
    for (const [w, rule] of this.windows) {
      if (!w.allows(now)) {
        return riskDenied(
          rule,
          `${w.limit} orders already sent in the last ${w.windowUs / 1_000_000} s, the limit`,
        );
      }
    }
    return RISK_OK;
  }

  /** An order (or amend) that left for the venue. */
  record(now: Micros): void {
    for (const [w] of this.windows) w.record(now);
  }
}
