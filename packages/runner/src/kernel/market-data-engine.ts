import { type DepthUpdate, type Instrument, OrderBook } from '@botplatform/sdk';

/** Depth row flags, as stored in the tick store (bit0 snapshot, bit1 first row, bit2 last row). */
export const FLAG_SNAPSHOT = 1;
export const FLAG_FIRST = 2;
export const FLAG_LAST = 4;

/**
 * The local order books, one per symbol, as the strategy sees them (at local time). Depth
 * arrives either as tick-store rows (backtest hot path: scalars, no objects) or as whole
 * DepthUpdate messages (live adapters).
 */
export class MarketDataEngine {
  readonly books: OrderBook[];

  constructor(instruments: readonly Instrument[]) {
    this.books = instruments.map((i) => new OrderBook(i.symbol, i.tickSize));
  }

  /** Applies one level row; returns true when it completed a message (time for onBook). */
  depthRow(
    sym: number,
    side: 1 | -1,
    price: number,
    qty: number,
    flags: number,
    seq: number,
    exchTs: number,
    localTs: number,
  ): boolean {
    const book = this.books[sym]!;
    if ((flags & (FLAG_SNAPSHOT | FLAG_FIRST)) === (FLAG_SNAPSHOT | FLAG_FIRST)) book.clear();
    book.update(side, price, qty);
    if ((flags & FLAG_LAST) === 0) return false;
    book.setMeta(seq, exchTs, localTs);
    return true;
  }

  applyDepth(sym: number, msg: DepthUpdate): void {
    this.books[sym]!.applyDepth(msg);
  }
}
