import type { OrderBookView, Side } from '@botplatform/sdk';

/**
 * Order-book imbalance of two volumes: (bid − ask) / (bid + ask), in [−1, 1].
 * +1 = only bids (buying pressure), −1 = only asks, 0 = balanced or empty.
 */
export function obi(bidVolume: number, askVolume: number): number {
  const total = bidVolume + askVolume;
  return total > 0 ? (bidVolume - askVolume) / total : 0;
}

/** OBI over the best `levels` levels of each side of a book. */
export function bookObi(book: OrderBookView, levels: number): number {
  return obi(book.depth(1, levels), book.depth(-1, levels));
}

/**
 * Trade-flow imbalance over a sliding window of event time:
 * (buy volume − sell volume) / total volume of the trades in (now − window, now], in [−1, 1].
 * Time is whatever clock the caller feeds (the strategy uses `trade.localTs`, µs), so a
 * backtest and a live run compute the same values from the same trades.
 */
export class TradeFlowWindow {
  private readonly ts: number[] = [];
  private readonly signedQty: number[] = [];
  private head = 0;
  private buyVolume = 0;
  private sellVolume = 0;

  constructor(readonly windowUs: number) {}

  /** Records one trade (`side` = the aggressor's). Timestamps must not go backwards. */
  add(ts: number, side: Side, qty: number): void {
    this.ts.push(ts);
    this.signedQty.push(side === 'buy' ? qty : -qty);
    if (side === 'buy') this.buyVolume += qty;
    else this.sellVolume += qty;
  }

  /** The imbalance of the trades within the window ending at `now`; 0 when there are none. */
  value(now: number): number {
    this.evict(now);
    return obi(this.buyVolume, this.sellVolume);
  }

  /** Number of trades inside the window ending at `now`. */
  count(now: number): number {
    this.evict(now);
    return this.ts.length - this.head;
  }

  private evict(now: number): void {
    const cutoff = now - this.windowUs;
    while (this.head < this.ts.length && this.ts[this.head]! <= cutoff) {
      const q = this.signedQty[this.head]!;
      if (q > 0) this.buyVolume -= q;
      else this.sellVolume += q;
      this.head++;
    }
    if (this.head === this.ts.length) {
      // Empty: reset exactly (no float residue) and release memory.
      this.ts.length = 0;
      this.signedQty.length = 0;
      this.head = 0;
      this.buyVolume = 0;
      this.sellVolume = 0;
    } else if (this.head > 1024 && this.head * 2 > this.ts.length) {
      this.ts.splice(0, this.head);
      this.signedQty.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Blends book and flow imbalance: (1 − flowWeight)·obi + flowWeight·flow, in [−1, 1]. */
export function combineSignal(bookImbalance: number, flowImbalance: number, flowWeight: number): number {
  const s = (1 - flowWeight) * bookImbalance + flowWeight * flowImbalance;
  return Math.max(-1, Math.min(1, s));
}
