import type { Prng } from './prng.js';
import type { SyntheticBook } from './synthetic-book.js';

/**
 * The passive side of the synthetic market: market makers who keep a ladder of `width` ticks
 * on each side of the touch. Level sizes grow away from the touch (thin at the top, thicker
 * deeper, the odd wall) with lognormal noise; levels near the touch are always quoted, deeper
 * ones 80% of the time. Quotes re-centre on the fair price: levels on the wrong side of it are
 * pulled, the gap toward it is filled with small fresh quotes, and the ladder's far end follows
 * the touch (levels beyond `width` are dropped, new ones appear).
 */
export class LiquidityModel {
  /** Lowest bid tick and highest ask tick the ladders currently cover. */
  private bidFloor = 0;
  private askCeil = 0;

  constructor(
    private readonly book: SyntheticBook,
    private readonly rng: Prng,
    /** Ladder width in ticks. */
    private readonly width: number,
    /** Typical level size in steps, about 10 ticks from the touch. */
    private readonly levelSteps: number,
  ) {}

  /** Builds both ladders from scratch with the touch at `bidTick` / `askTick`. */
  seed(bidTick: number, askTick: number): void {
    for (let d = 0; d <= this.width; d++) {
      if (d === 0 || this.quoted(d)) {
        this.book.set(1, bidTick - d, this.levelSize(d));
        this.book.set(-1, askTick + d, this.levelSize(d));
      }
    }
    this.bidFloor = bidTick - this.width;
    this.askCeil = askTick + this.width;
  }

  /**
   * Re-centres the quotes so the best bid is at most `bidTick` and the best ask at least
   * `askTick` (pulling what sits beyond), and fills the gap up to them with fresh quotes,
   * never crossing the other side. Then moves the ladders' far ends along.
   */
  recentre(bidTick: number, askTick: number): void {
    const book = this.book;
    while (book.bestBid > bidTick && book.levels(1) > 1) book.set(1, book.bestBid, 0);
    while (book.bestAsk < askTick && book.levels(-1) > 1) book.set(-1, book.bestAsk, 0);

    const bidTop = Math.min(bidTick, book.bestAsk - 1);
    for (let t = Math.max(book.bestBid + 1, bidTop - this.width); t <= bidTop; t++) {
      book.set(1, t, this.freshQuote());
    }
    const askBottom = Math.max(askTick, book.bestBid + 1);
    for (let t = Math.min(book.bestAsk - 1, askBottom + this.width); t >= askBottom; t--) {
      book.set(-1, t, this.freshQuote());
    }
    this.reframe();
  }

  /**
   * One limit-order event somewhere in the book: a level near the touch (30% at the touch
   * itself) grows, shrinks toward its typical size, is cancelled, or an empty tick is quoted.
   */
  perturb(): void {
    const rng = this.rng;
    const book = this.book;
    const side: 1 | -1 = rng.next() < 0.5 ? 1 : -1;
    const d = rng.next() < 0.3 ? 0 : Math.min(this.width, 1 + Math.floor(rng.exponential(1 / 6)));
    const tick = book.best(side) - side * d;
    if (side === 1 ? tick < this.bidFloor : tick > this.askCeil) return; // outside the ladder
    const q = book.get(side, tick);
    if (q === 0) {
      book.set(side, tick, this.levelSize(d));
      return;
    }
    if (rng.next() < (d === 0 ? 0.05 : 0.08) && book.levels(side) > 1) {
      book.set(side, tick, 0);
      return;
    }
    const target = this.typicalSize(d);
    const next = Math.round(q + 0.3 * (target - q) + 0.35 * target * rng.normal());
    book.set(side, tick, next >= 1 ? next : Math.max(1, Math.round(q * 0.5)));
  }

  /** Drops levels that fell beyond `width` from the touch and quotes the ticks that came within it. */
  reframe(): void {
    const book = this.book;
    const bidFloor = book.bestBid - this.width;
    if (bidFloor > this.bidFloor) {
      for (let t = this.bidFloor; t < bidFloor; t++) book.set(1, t, 0);
    } else {
      for (let t = Math.max(bidFloor, this.bidFloor - this.width - 1); t < this.bidFloor; t++) {
        if (this.quoted(book.bestBid - t)) book.set(1, t, this.levelSize(book.bestBid - t));
      }
    }
    this.bidFloor = bidFloor;

    const askCeil = book.bestAsk + this.width;
    if (askCeil < this.askCeil) {
      for (let t = this.askCeil; t > askCeil; t--) book.set(-1, t, 0);
    } else {
      for (let t = Math.min(askCeil, this.askCeil + this.width + 1); t > this.askCeil; t--) {
        if (this.quoted(t - book.bestAsk)) book.set(-1, t, this.levelSize(t - book.bestAsk));
      }
    }
    this.askCeil = askCeil;
  }

  /** Mean size in steps of a level `d` ticks from the touch. */
  typicalSize(d: number): number {
    const ramp = d >= 12 ? 1 : 0.35 + (0.65 * d) / 12;
    return this.levelSteps * ramp * (1 + d / 25);
  }

  /** A random level size at distance `d`: lognormal around the profile, 2% walls. */
  private levelSize(d: number): number {
    const wall = this.rng.next() < 0.02 ? 6 : 1;
    return Math.max(1, Math.round(this.typicalSize(d) * wall * this.rng.lognormal(-0.18, 0.6)));
  }

  /** A new quote at the touch: a fraction of a typical touch level. */
  private freshQuote(): number {
    return Math.max(1, Math.round(this.typicalSize(0) * this.rng.uniform(0.1, 0.6)));
  }

  private quoted(d: number): boolean {
    return d <= 8 || this.rng.next() < 0.8;
  }
}
