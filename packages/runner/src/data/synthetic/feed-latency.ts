import type { Prng } from './prng.js';

/** Spike decay time constant: a spike has all but faded after about a second. */
const SPIKE_TAU_US = 250_000;
/** Nothing is delivered faster than this. */
const MIN_LATENCY_US = 500;

/**
 * Feed latency of the synthetic market's WebSocket streams: `localTs = exchTs + latency`.
 * Latency = the stream's base (a few ms) + a slow shared wander + per-message jitter
 * (exponential) + the tail of the latest spike. Spikes (network hiccups) hit all streams every
 * 30–90 s, 50–300 ms high, decaying exponentially. Each stream is delivered in order, so its
 * local time never goes backwards (messages delayed by a spike arrive in a burst).
 */
export class FeedLatency {
  private readonly lastLocal: number[];
  private wanderUs = 0;
  private spikeTs = Number.NEGATIVE_INFINITY;
  private spikeUs = 0;
  private nextSpikeTs: number;

  constructor(
    private readonly rng: Prng,
    /** Base latency per stream, µs. */
    private readonly baseUs: readonly number[],
    startTs: number,
    private readonly spikes: boolean,
  ) {
    this.lastLocal = baseUs.map(() => Number.NEGATIVE_INFINITY);
    this.nextSpikeTs = startTs + this.spikeGap();
  }

  /** Evolves the shared wander over `dtUs` (call on a coarse grid, e.g. every 100 ms). */
  evolve(dtUs: number): void {
    const dt = dtUs / 1e6;
    const theta = 1 / 20;
    const sd = 600; // µs
    this.wanderUs += -theta * this.wanderUs * dt + sd * Math.sqrt(2 * theta * dt) * this.rng.normal();
  }

  /** Local receive time of a message of `stream` produced at `exchTs` (non-decreasing per stream). */
  localTs(stream: number, exchTs: number): number {
    if (this.spikes && exchTs >= this.nextSpikeTs) {
      this.spikeTs = this.nextSpikeTs;
      this.spikeUs = this.rng.uniform(50_000, 300_000);
      this.nextSpikeTs += this.spikeGap();
    }
    let latency = this.baseUs[stream]! + this.wanderUs + this.rng.exponential(1 / 600);
    const sinceSpike = exchTs - this.spikeTs;
    if (sinceSpike < 10 * SPIKE_TAU_US) latency += this.spikeUs * Math.exp(-sinceSpike / SPIKE_TAU_US);
    let local = exchTs + Math.round(Math.max(latency, MIN_LATENCY_US));
    const last = this.lastLocal[stream]!;
    if (local < last) local = last;
    this.lastLocal[stream] = local;
    return local;
  }

  private spikeGap(): number {
    return Math.round(this.rng.uniform(30e6, 90e6));
  }
}
