import type { OrderBookView } from '../book/order-book-view.js';
import type { Indicator, Signal } from './signal.js';

/** Top `levels` levels of each side, or every level within `band` (price distance) of each side's best. */
export type OrderBookImbalanceOptions = { readonly levels: number } | { readonly band: number };

/**
 * Order-book imbalance OBI = (bidVol − askVol) / (bidVol + askVol), in [−1, 1]; positive when
 * the bids are heavier. Volumes are summed over the best `levels` levels of each side
 * (`book.depth`), or over the levels within `band` of each side's own best price
 * (`book.depthWithin`). `null` while both sides are empty. No allocation per update.
 */
export class OrderBookImbalance implements Indicator, Signal {
  private readonly levels: number;
  private readonly band: number;
  private current: number | null = null;

  constructor(readonly options: OrderBookImbalanceOptions = { levels: 5 }) {
    if ('levels' in options) {
      if (!Number.isInteger(options.levels) || options.levels < 1)
        throw new RangeError('levels must be >= 1');
      this.levels = options.levels;
      this.band = Number.NaN;
    } else {
      if (!(options.band >= 0)) throw new RangeError('band must be >= 0');
      this.levels = 0;
      this.band = options.band;
    }
  }

  update(book: OrderBookView): number | null {
    if (this.levels > 0) return this.updateVolumes(book.depth(1, this.levels), book.depth(-1, this.levels));
    return this.updateVolumes(book.depthWithin(1, this.band), book.depthWithin(-1, this.band));
  }

  /** From volumes computed elsewhere. */
  updateVolumes(bidVol: number, askVol: number): number | null {
    const total = bidVol + askVol;
    this.current = total > 0 ? (bidVol - askVol) / total : null;
    return this.current;
  }

  get value(): number | null {
    return this.current;
  }
  get isReady(): boolean {
    return this.current !== null;
  }
  reset(): void {
    this.current = null;
  }
}
