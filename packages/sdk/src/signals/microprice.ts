import type { OrderBookView } from '../book/order-book-view.js';
import type { BookTicker } from '../events/market.js';
import type { Indicator, Signal } from './signal.js';

/**
 * Microprice = (bid·askQty + ask·bidQty) / (bidQty + askQty): the mid weighted towards the side
 * with less resting quantity (the price the book is "leaning" to). `null` while either side is
 * missing (NaN price) or both top-of-book quantities are 0.
 */
export class Microprice implements Indicator, Signal {
  private current: number | null = null;

  update(book: OrderBookView): number | null {
    return this.updateQuote(book.bestBid(), book.bestBidQty(), book.bestAsk(), book.bestAskQty());
  }

  updateTicker(t: BookTicker): number | null {
    return this.updateQuote(t.bidPrice, t.bidQty, t.askPrice, t.askQty);
  }

  updateQuote(bid: number, bidQty: number, ask: number, askQty: number): number | null {
    const q = bidQty + askQty;
    const m = (bid * askQty + ask * bidQty) / q;
    this.current = q > 0 && Number.isFinite(m) ? m : null;
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
