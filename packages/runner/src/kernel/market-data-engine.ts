import { type DepthUpdate, type Instrument, type Micros, OrderBook } from '@botplatform/sdk';
import { DepthFlag } from '../data/schema.js';

/** Depth row flags, as the tick store encodes them (data/schema.ts). */
export const FLAG_SNAPSHOT = DepthFlag.Snapshot;
export const FLAG_FIRST = DepthFlag.First;
export const FLAG_LAST = DepthFlag.Last;

/** Where a symbol's local book lost sync with the exchange. */
export interface BookGap {
  readonly symbol: string;
  readonly localTs: Micros;
  /** seq the book was at, and the prevSeq the next diff expected (NaN before any snapshot). */
  readonly bookSeq: number;
  readonly prevSeq: number;
}

/**
 * The local order books, one per symbol, as the strategy sees them (at local time). Depth
 * arrives either as tick-store rows (backtest hot path: scalars, no objects) or as whole
 * DepthUpdate messages (live adapters).
 *
 * Sync: a book is in sync after a snapshot while each diff's prevSeq equals the seq of the
 * message before it (Binance's `pu` chain). A diff that breaks the chain, or comes before
 * any snapshot, leaves the book wrong until the next snapshot: that is counted once as a gap.
 */
export class MarketDataEngine {
  readonly books: OrderBook[];
  /** Per symbol: NEVER_SYNCED until a snapshot, then IN_SYNC, OUT_OF_SYNC after a chain break. */
  private readonly state: Uint8Array;
  readonly gaps: BookGap[] = [];
  gapCount = 0;

  constructor(instruments: readonly Instrument[]) {
    this.books = instruments.map((i) => new OrderBook(i.symbol, i.tickSize));
    this.state = new Uint8Array(instruments.length);
  }

  /** Applies one level row; returns true when it completed a message (time for onBook). */
  depthRow(
    sym: number,
    side: 1 | -1,
    price: number,
    qty: number,
    flags: number,
    seq: number,
    prevSeq: number,
    exchTs: number,
    localTs: number,
  ): boolean {
    const book = this.books[sym]!;
    if ((flags & FLAG_FIRST) !== 0) this.startMessage(sym, (flags & FLAG_SNAPSHOT) !== 0, prevSeq, localTs);
    book.update(side, price, qty);
    if ((flags & FLAG_LAST) === 0) return false;
    book.setMeta(seq, exchTs, localTs);
    return true;
  }

  applyDepth(sym: number, msg: DepthUpdate): void {
    this.startMessage(sym, msg.isSnapshot, msg.prevSeq, msg.localTs);
    this.books[sym]!.applyDepth(msg);
  }

  private startMessage(sym: number, isSnapshot: boolean, prevSeq: number, localTs: Micros): void {
    const book = this.books[sym]!;
    const state = this.state[sym]!;
    if (isSnapshot) {
      book.clear();
      this.state[sym] = IN_SYNC;
      return;
    }
    if (state === OUT_OF_SYNC || (state === IN_SYNC && prevSeq === book.seq)) return;
    this.state[sym] = OUT_OF_SYNC;
    this.gapCount++;
    if (this.gaps.length < MAX_GAPS_KEPT) {
      this.gaps.push({
        symbol: book.symbol,
        localTs,
        bookSeq: state === NEVER_SYNCED ? Number.NaN : book.seq,
        prevSeq,
      });
    }
  }
}

const NEVER_SYNCED = 0;
const IN_SYNC = 1;
const OUT_OF_SYNC = 2;
const MAX_GAPS_KEPT = 100;
