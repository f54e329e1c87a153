import type { Prng } from './prng.js';

/** Branching ratio of the self-exciting arrivals: each trade triggers 0.5 more on average. */
const BRANCHING = 0.5;
/** Decay rate of the excitation per second (≈ 70 ms half-life). */
const DECAY_PER_S = 10;

/**
 * The aggressive side of the synthetic market: when takers arrive, which side they take and
 * how much. Arrivals are a Hawkes process (clustered: each trade raises the intensity, which
 * decays back) whose base rate scales with the volatility regime, simulated by thinning.
 * Sides follow the fair price (takers buy when fair is above the mid) with some momentum;
 * sizes are lognormal with an occasional block that sweeps several levels.
 */
export class TradeFlow {
  private readonly baseRatePerUs: number;
  private readonly jumpPerUs: number;
  private readonly decayPerUs = DECAY_PER_S / 1e6;
  private excitation = 0;
  private excitationTs = 0;
  private lastSide: 1 | -1 = 1;
  private readonly logMedianSteps: number;

  constructor(
    private readonly rng: Prng,
    /** Mean trades per second in a normal regime. */
    tradesPerSecond: number,
    /** Median trade size in steps. */
    medianSteps: number,
  ) {
    this.baseRatePerUs = (tradesPerSecond * (1 - BRANCHING)) / 1e6;
    this.jumpPerUs = BRANCHING * this.decayPerUs;
    this.logMedianSteps = Math.log(medianSteps);
  }

  /** Arrival intensity (per µs) at time `ts`. */
  intensity(ts: number, volMult: number): number {
    return (
      this.baseRatePerUs * volMult + this.excitation * Math.exp(-this.decayPerUs * (ts - this.excitationTs))
    );
  }

  /** Registers a trade at `ts`: the intensity jumps. */
  excite(ts: number): void {
    this.excitation =
      this.excitation * Math.exp(-this.decayPerUs * (ts - this.excitationTs)) + this.jumpPerUs;
    this.excitationTs = ts;
  }

  /** Aggressor side (1 buy, -1 sell) given how far fair is above the mid, in ticks. */
  side(fairMinusMidTicks: number): 1 | -1 {
    const rng = this.rng;
    if (rng.next() < 0.3) return this.lastSide;
    const pBuy = 0.5 + 0.4 * Math.tanh(0.7 * fairMinusMidTicks);
    this.lastSide = rng.next() < pBuy ? 1 : -1;
    return this.lastSide;
  }

  /** Trade size in steps: lognormal around the median, 1% blocks 25× larger. */
  sizeSteps(): number {
    const block = this.rng.next() < 0.01 ? 25 : 1;
    return Math.max(1, Math.round(block * this.rng.lognormal(this.logMedianSteps, 1.2)));
  }
}
