import type { Prng } from './prng.js';

const SECONDS_PER_YEAR = 365 * 24 * 3600;

/**
 * The latent "fair" price the synthetic market makers quote around: a geometric random walk
 * whose volatility clusters. Volatility is `annualVol × volMult` with `volMult = exp(h)`, `h` a
 * mean-reverting (Ornstein–Uhlenbeck, ~10-minute half-life) log-volatility with occasional
 * upward jumps (news), so calm stretches alternate with bursts.
 */
export class FairPrice {
  /** Fair price in ticks (fractional). */
  ticks: number;
  /** Current volatility multiplier, exp(h). */
  volMult = 1;
  private h = 0;
  /** Relative volatility per √µs. */
  private readonly sigmaPerRootUs: number;

  constructor(
    private readonly rng: Prng,
    startTicks: number,
    annualVol: number,
  ) {
    this.ticks = startTicks;
    this.sigmaPerRootUs = annualVol / Math.sqrt(SECONDS_PER_YEAR * 1e6);
  }

  /** Advances the walk by `dtUs` microseconds at the current volatility. */
  advance(dtUs: number): void {
    if (dtUs <= 0) return;
    const s = this.sigmaPerRootUs * this.volMult * Math.sqrt(dtUs);
    this.ticks *= Math.exp(s * this.rng.normal() - 0.5 * s * s);
  }

  /** Moves the fair price by `deltaTicks` (price impact of a trade). */
  nudge(deltaTicks: number): void {
    this.ticks += deltaTicks;
  }

  /** Evolves the volatility regime over `dtUs` (called on a coarse grid, e.g. every 100 ms). */
  evolveRegime(dtUs: number): void {
    const dt = dtUs / 1e6;
    const theta = 1 / 600; // mean reversion per second
    const stationarySd = 0.45;
    const eta = stationarySd * Math.sqrt(2 * theta);
    this.h += -theta * this.h * dt + eta * Math.sqrt(dt) * this.rng.normal();
    if (this.rng.next() < dt / 900) this.h += this.rng.uniform(0.5, 1.2); // a burst every ~15 min
    if (this.h < -1.2) this.h = -1.2;
    else if (this.h > 2) this.h = 2;
    this.volMult = Math.exp(this.h);
  }
}
