import type { Micros } from '@botplatform/sdk';

/** Wall time in ms (fractional), injectable for tests. */
export type WallClock = () => number;

export const systemWallClock: WallClock = () => performance.timeOrigin + performance.now();

/**
 * The loopback exchange's clock, in exchange time (µs). It follows the market data: the
 * first event anchors it, then it runs at `speed` × wall time, so at speed 1 a replay of
 * last year's data answers `/fapi/v1/time` with last year's time (clients sync their offset
 * as they do against Binance). At speed Infinity (as fast as possible) it is the latest
 * event's time. It never goes back, and before any data it is the wall clock.
 */
export class LoopbackClock {
  private anchorDataUs = Number.NaN;
  private anchorWallMs = Number.NaN;
  private latestUs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly speed: number,
    private readonly wall: WallClock = systemWallClock,
  ) {
    if (!(speed > 0)) throw new RangeError(`LoopbackClock: speed must be > 0 (or Infinity), got ${speed}`);
  }

  get started(): boolean {
    return !Number.isNaN(this.anchorDataUs);
  }

  /** Anchors the clock at the first event's exchange time. */
  start(dataUs: Micros): void {
    if (this.started) return;
    this.anchorDataUs = dataUs;
    this.anchorWallMs = this.wall();
    this.latestUs = dataUs;
  }

  /** An event at `dataUs` was applied: the clock is at least there. */
  observe(dataUs: Micros): void {
    if (dataUs > this.latestUs) this.latestUs = dataUs;
  }

  /** Exchange time now, whole µs. */
  nowUs(): Micros {
    if (!this.started) return Math.floor(this.wall() * 1000);
    if (this.speed === Number.POSITIVE_INFINITY) return this.latestUs;
    const t = this.anchorDataUs + (this.wall() - this.anchorWallMs) * 1000 * this.speed;
    return Math.floor(Math.max(t, this.latestUs));
  }

  nowMs(): number {
    return Math.floor(this.nowUs() / 1000);
  }

  /** Wall milliseconds to wait before an event at `dataUs` is due (≤ 0: now). */
  waitMs(dataUs: Micros): number {
    if (!this.started || this.speed === Number.POSITIVE_INFINITY) return 0;
    const dueWall = this.anchorWallMs + (dataUs - this.anchorDataUs) / 1000 / this.speed;
    return dueWall - this.wall();
  }
}
