/**
 * Time and timers for connection code, injectable so tests can drive them. Times and delays are
 * integer µs, as everywhere in the platform; `systemScheduler` maps them onto the wall clock
 * and Node's timers.
 */
export interface Scheduler {
  /** Now, µs since the epoch. */
  now(): number;
  /** Runs `fn` once after `delayUs`; the returned function cancels it (idempotent). */
  after(delayUs: number, fn: () => void): () => void;
}

/** Wall-clock µs (`performance.timeOrigin + performance.now()`: sub-ms, monotonic within a process). */
export function wallClockUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

export const systemScheduler: Scheduler = {
  now: wallClockUs,
  after(delayUs, fn) {
    // setTimeout takes ms and clamps above 2^31−1 ms (~24.8 days): far beyond any delay here.
    const t = setTimeout(fn, Math.max(0, delayUs) / 1000);
    return () => clearTimeout(t);
  },
};
