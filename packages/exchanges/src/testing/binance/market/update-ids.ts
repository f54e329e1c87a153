import { Prng } from '../prng.js';

/** The update-id range one book change covers: `U` first, `u` final. */
export interface IdRange {
  readonly first: number;
  readonly last: number;
}

/**
 * A symbol's order-book update ids. Like Binance USD-M's, they are not consecutive between
 * events: each change skips a few ids (updates the public stream never shows), so a client
 * that checks `U == previous u + 1` breaks, and only `pu == previous u` proves continuity.
 */
export class UpdateIds {
  private lastId: number;
  private readonly rng: Prng;

  constructor(start: number, seed: number) {
    this.lastId = start;
    this.rng = new Prng(seed);
  }

  /** The last id handed out. */
  get current(): number {
    return this.lastId;
  }

  /** One id for a book-ticker update, which the batched diff streams show only in their next event. */
  single(): number {
    this.lastId += this.rng.int(1, 3);
    return this.lastId;
  }

  /** Ids for one change of `levels` levels. */
  next(levels: number): IdRange {
    const first = this.lastId + this.rng.int(2, 6);
    const last = first + Math.max(0, levels - 1) + this.rng.int(0, 2);
    this.lastId = last;
    return { first, last };
  }
}
