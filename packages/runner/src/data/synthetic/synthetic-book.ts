/** Ring size in ticks: every live level and pending change lies within a window far narrower. */
const RING = 4096;
const MASK = RING - 1;

/**
 * One side of the generator's book: level sizes in integer steps, stored in a ring indexed by
 * `tick − origin` modulo RING (the book spans far fewer ticks than the ring, so slots never alias), with the
 * sizes last published in a depth message and the ticks changed since then.
 */
class RingSide {
  readonly qty = new Float64Array(RING);
  readonly published = new Float64Array(RING);
  readonly dirty = new Uint8Array(RING);
  /** Ticks changed since the last drain (relative to the book's origin). */
  readonly dirtyTicks = new Float64Array(RING);
  dirtyCount = 0;
  /** Best tick (highest bid / lowest ask); NaN when the side is empty. */
  best = Number.NaN;
  count = 0;

  constructor(readonly sign: 1 | -1) {}
}

/**
 * The synthetic market's true L2 book, in ticks and steps. Tracks the best level of each side,
 * a Binance-style update id (one per level change) and, per side, the levels changed since the
 * last published depth message so a diff carries exactly those. Ring slots are
 * `(tick − origin) & MASK`: exact int32 arithmetic for any price within 2^31 ticks of the origin.
 */
export class SyntheticBook {
  private readonly bids = new RingSide(1);
  private readonly asks = new RingSide(-1);
  /** Incremented on every level change; depth and book-ticker messages carry it as `seq`. */
  updateId: number;

  constructor(
    firstUpdateId: number,
    /** A tick near the starting price. */
    private readonly origin: number,
  ) {
    this.updateId = firstUpdateId;
  }

  get bestBid(): number {
    return this.bids.best;
  }

  get bestAsk(): number {
    return this.asks.best;
  }

  /** Number of levels on a side. */
  levels(side: 1 | -1): number {
    return this.side(side).count;
  }

  best(side: 1 | -1): number {
    return this.side(side).best;
  }

  /** Size in steps at `tick` on a side (0 when empty). */
  get(side: 1 | -1, tick: number): number {
    return this.side(side).qty[(tick - this.origin) & MASK]!;
  }

  /** Sets the size in steps at `tick`; 0 removes the level. Keeps the best level current. */
  set(side: 1 | -1, tick: number, steps: number): void {
    const s = this.side(side);
    const i = (tick - this.origin) & MASK;
    const old = s.qty[i]!;
    if (old === steps) return;
    s.qty[i] = steps;
    if (s.dirty[i] === 0) {
      s.dirty[i] = 1;
      s.dirtyTicks[s.dirtyCount++] = tick;
    }
    this.updateId++;
    if (steps > 0) {
      if (old === 0) s.count++;
      // `!(a <= b)` is also true when best is NaN (empty side).
      if (side === 1 ? !(tick <= s.best) : !(tick >= s.best)) s.best = tick;
    } else {
      s.count--;
      if (tick === s.best) s.best = this.scanFrom(s, tick);
    }
  }

  /** The tick of the next level beyond `tick` (away from the touch); NaN if none. */
  next(side: 1 | -1, tick: number): number {
    return this.scanFrom(this.side(side), tick);
  }

  /**
   * Passes each level changed since the last call to `out(tick, steps)` (steps 0 for a removed
   * level), best first, and marks them published. Levels changed and changed back are skipped.
   */
  drainChanges(side: 1 | -1, out: (tick: number, steps: number) => void): void {
    const s = this.side(side);
    const n = s.dirtyCount;
    s.dirtyCount = 0;
    const ticks = s.dirtyTicks.subarray(0, n).sort();
    const origin = this.origin;
    for (let k = 0; k < n; k++) {
      const tick = ticks[side === 1 ? n - 1 - k : k]!;
      const i = (tick - origin) & MASK;
      s.dirty[i] = 0;
      const q = s.qty[i]!;
      if (q !== s.published[i]) {
        s.published[i] = q;
        out(tick, q);
      }
    }
  }

  /** Passes every level of a side to `out(tick, steps)`, best first, all marked published (a snapshot). */
  drainAll(side: 1 | -1, out: (tick: number, steps: number) => void): void {
    this.drainChanges(side, () => {});
    const s = this.side(side);
    let tick = s.best;
    for (let k = 0; k < s.count; k++, tick = this.scanFrom(s, tick)) {
      const i = (tick - this.origin) & MASK;
      s.published[i] = s.qty[i]!;
      out(tick, s.qty[i]!);
    }
  }

  private side(side: 1 | -1): RingSide {
    return side === 1 ? this.bids : this.asks;
  }

  private scanFrom(s: RingSide, tick: number): number {
    if (s.count === 0) return Number.NaN;
    const step = -s.sign;
    const qty = s.qty;
    const origin = this.origin;
    for (let k = 1, t = tick + step; k < RING; k++, t += step) {
      if (qty[(t - origin) & MASK]! > 0) return t;
    }
    return Number.NaN;
  }
}
