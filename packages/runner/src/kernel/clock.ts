import type { Micros } from '@botplatform/sdk';

/** The kernel's notion of local time. Backtests move it by hand; live reads the wall clock. */
export interface Clock {
  now(): Micros;
  /** Called with each event's local time: replay time follows it, the wall clock ignores it. */
  advance(ts: Micros): void;
}

/** Replay time: set by the backtest driver to the timestamp of the event being processed. */
export class ReplayClock implements Clock {
  private ts: Micros;
  constructor(startTs: Micros = 0) {
    this.ts = startTs;
  }
  now(): Micros {
    return this.ts;
  }
  /** Moves time forward, never backwards. */
  advance(ts: Micros): void {
    if (ts > this.ts) this.ts = ts;
  }
}

/** Wall-clock µs: `performance.timeOrigin + performance.now()` for sub-ms resolution. */
export class WallClock implements Clock {
  now(): Micros {
    return Math.round((performance.timeOrigin + performance.now()) * 1000);
  }
  advance(_ts: Micros): void {}
}
