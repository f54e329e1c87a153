import type { Indicator, Signal } from './signal.js';

/**
 * A threshold with hysteresis: turns on (1) when the input goes above `upper`, off (0) when it
 * goes below `lower`, and keeps its state in between (and at exactly `upper` or `lower`).
 * Starts off. It has state, so it samples its input on `update()`: either `update(x)` with a
 * number, or `update()` to read `source.value`. `null` until the first ready sample.
 */
export class Hysteresis implements Indicator, Signal {
  private on: boolean | null = null;

  constructor(
    readonly upper: number,
    readonly lower: number,
    readonly source: Signal | null = null,
  ) {
    if (!(lower <= upper)) throw new RangeError(`Hysteresis needs lower <= upper (got ${lower}, ${upper})`);
  }

  update(x?: number): number | null {
    let v: number | null;
    if (x !== undefined) v = x;
    else v = this.source?.isReady ? this.source.value : null;
    if (v !== null) {
      if (v > this.upper) this.on = true;
      else if (v < this.lower) this.on = false;
      else if (this.on === null) this.on = false;
    }
    return this.value;
  }

  get value(): number | null {
    return this.on === null ? null : this.on ? 1 : 0;
  }
  get isReady(): boolean {
    return this.on !== null;
  }
  reset(): void {
    this.on = null;
  }
}
