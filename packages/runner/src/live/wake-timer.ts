import type { Micros } from '@botplatform/sdk';
import type { Clock } from '../kernel/clock.js';

/** Longest single wait; setTimeout overflows past 2^31 − 1 ms, and a late re-arm costs nothing. */
const MAX_WAIT_MS = 3_600_000;

/**
 * One real-time timer, re-armed to the kernel's next due time (timers, deferred reports), so
 * strategy timers fire in wall-clock time between market events. Arming to the time already
 * armed is free; an earlier or later time replaces it; +Infinity disarms.
 */
export class WakeTimer {
  private handle: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  arm(dueTs: Micros): void {
    if (dueTs === this.armedAt && this.handle !== undefined) return;
    this.cancel();
    if (!Number.isFinite(dueTs)) return;
    this.armedAt = dueTs;
    // Rounded up: firing a little late is harmless, firing early just re-arms.
    const ms = Math.min(MAX_WAIT_MS, Math.max(0, Math.ceil((dueTs - this.clock.now()) / 1000)));
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.armedAt = Number.POSITIVE_INFINITY;
      this.fire();
    }, ms);
  }

  cancel(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }
}
