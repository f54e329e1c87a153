import { type DepthUpdate, type Level, OrderBook } from '@botplatform/sdk';
import type { IdRange, UpdateIds } from './update-ids.js';

/** One book change as the diff stream carries it: absolute sizes, 0 removes. */
export interface DepthChange extends IdRange {
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  /** Transaction time, µs. */
  readonly exchTs: number;
}

export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: Array<[number, number]>;
  readonly asks: Array<[number, number]>;
}

/** How many changes the stale copy of the book lags behind (for the staleSnapshot fault). */
const LAG_CHANGES = 30;
const MAX_LEVELS = 5000;

/**
 * One symbol's book as the loopback publishes it: applies the data's depth messages, turns a
 * snapshot in the data into the diff that gets from the old book to it (the wire only has
 * diffs), stamps each change with update ids, and keeps a lagging copy so a REST snapshot can
 * be served deliberately older than the stream.
 */
export class DepthBook {
  private readonly book: OrderBook;
  private readonly lagged: OrderBook;
  private laggedId: number;
  /** The `u` of the last change: a snapshot's lastUpdateId is always some diff's `u`, so it bridges. */
  private lastId: number;
  private readonly pending: DepthChange[] = [];

  constructor(
    symbol: string,
    tickSize: number,
    private readonly ids: UpdateIds,
  ) {
    this.book = new OrderBook(symbol, tickSize);
    this.lagged = new OrderBook(symbol, tickSize);
    this.laggedId = ids.current;
    this.lastId = ids.current;
  }

  get view(): OrderBook {
    return this.book;
  }

  /** Applies a depth message; the change to publish, or undefined when nothing changed. */
  apply(msg: DepthUpdate): DepthChange | undefined {
    let bids: Level[];
    let asks: Level[];
    if (msg.isSnapshot) {
      bids = snapshotDiff(this.book.levels(1, MAX_LEVELS), msg.bids);
      asks = snapshotDiff(this.book.levels(-1, MAX_LEVELS), msg.asks);
    } else {
      bids = [...msg.bids];
      asks = [...msg.asks];
    }
    if (bids.length === 0 && asks.length === 0) return undefined;
    for (const [p, q] of bids) this.book.update(1, p, q);
    for (const [p, q] of asks) this.book.update(-1, p, q);
    const change: DepthChange = {
      ...this.ids.next(bids.length + asks.length),
      bids,
      asks,
      exchTs: msg.exchTs,
    };
    this.lastId = change.last;
    this.pending.push(change);
    if (this.pending.length > LAG_CHANGES) {
      const old = this.pending.shift()!;
      for (const [p, q] of old.bids) this.lagged.update(1, p, q);
      for (const [p, q] of old.asks) this.lagged.update(-1, p, q);
      this.laggedId = old.last;
    }
    return change;
  }

  /** The book's best `limit` levels per side and the update id it holds. */
  snapshot(limit: number, stale = false): DepthSnapshot {
    const b = stale ? this.lagged : this.book;
    return {
      lastUpdateId: stale ? this.laggedId : this.lastId,
      bids: b.levels(1, limit),
      asks: b.levels(-1, limit),
    };
  }
}

/** Levels that take `old` to `next`: removals (size 0) for levels `next` lacks, then `next` itself. */
function snapshotDiff(old: ReadonlyArray<readonly [number, number]>, next: readonly Level[]): Level[] {
  const keep = new Set(next.map(([p]) => p));
  const out: Level[] = [];
  for (const [p] of old) if (!keep.has(p)) out.push([p, 0]);
  for (const l of next) out.push(l);
  return out;
}
