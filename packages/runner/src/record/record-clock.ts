import type { Micros } from '@botplatform/sdk';

/** Time and timers for the recorder, injectable so tests drive flushes and durations. */
export interface RecordClock {
  /** Now, µs since the epoch. */
  now(): Micros;
  /** Runs `fn` once after `delayUs`; the returned function cancels it (idempotent). */
  after(delayUs: number, fn: () => void): () => void;
}

/** Wall-clock µs and Node timers (the same clock the adapters stamp `localTs` with). */
export const systemRecordClock: RecordClock = {
  now: () => Math.round((performance.timeOrigin + performance.now()) * 1000),
  after(delayUs, fn) {
    const t = setTimeout(fn, Math.max(0, delayUs) / 1000);
    return () => clearTimeout(t);
  },
};
