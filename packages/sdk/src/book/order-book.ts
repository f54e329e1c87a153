import type { DepthUpdate, Level } from '../events/market.js';
import { gridScale } from '../instrument/price-grid.js';
import type { Micros } from '../time.js';
import type { OrderBookView } from './order-book-view.js';

const INITIAL_CAPACITY = 64;
/** Shifts up to this many levels run as a plain loop; longer ones use copyWithin (measured). */
const SHORT_SHIFT = 24;

/**
 * One side of the book as two parallel growable typed arrays, sorted ascending by
 * `key = sideSign × tickIndex`. The best level thus sits at the END for both sides (bids:
 * highest tick; asks: lowest tick = highest negated key), so the frequent updates near the
 * top of book shift only the few elements above them, and removing the best level is O(1).
 */
class BookSide {
  keys = new Float64Array(INITIAL_CAPACITY);
  qtys = new Float64Array(INITIAL_CAPACITY);
  n = 0;

  /** Index of the first key ≥ `key` (binary search). */
  lowerBound(key: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sets the level at `key` to `qty`; `qty` ≤ 0 (or NaN) removes it. */
  set(key: number, qty: number): void {
    const n = this.n;
    const i = this.lowerBound(key);
    const found = i < n && this.keys[i] === key;
    if (!(qty > 0)) {
      if (found) {
        // Shift the levels above down by one. Updates cluster near the top (the array's end),
        // so the run is short: a plain loop beats copyWithin's call into the runtime there.
        const keys = this.keys;
        const qtys = this.qtys;
        if (n - i > SHORT_SHIFT) {
          keys.copyWithin(i, i + 1, n);
          qtys.copyWithin(i, i + 1, n);
        } else {
          for (let j = i + 1; j < n; j++) {
            keys[j - 1] = keys[j]!;
            qtys[j - 1] = qtys[j]!;
          }
        }
        this.n = n - 1;
      }
      return;
    }
    if (found) {
      this.qtys[i] = qty;
      return;
    }
    if (n === this.keys.length) this.grow();
    const keys = this.keys;
    const qtys = this.qtys;
    if (n - i > SHORT_SHIFT) {
      keys.copyWithin(i + 1, i, n);
      qtys.copyWithin(i + 1, i, n);
    } else {
      for (let j = n; j > i; j--) {
        keys[j] = keys[j - 1]!;
        qtys[j] = qtys[j - 1]!;
      }
    }
    keys[i] = key;
    qtys[i] = qty;
    this.n = n + 1;
  }

  /** Quantity at `key`, 0 when absent. */
  get(key: number): number {
    const i = this.lowerBound(key);
    return i < this.n && this.keys[i] === key ? this.qtys[i]! : 0;
  }

  /** Key of the i-th best level (0 = best); NaN past the end. */
  keyAt(i: number): number {
    if (!(i >= 0 && i < this.n)) return Number.NaN;
    return this.keys[this.n - 1 - i] ?? Number.NaN;
  }

  /** Quantity of the i-th best level (0 = best); 0 past the end. */
  qtyAt(i: number): number {
    if (!(i >= 0 && i < this.n)) return 0;
    return this.qtys[this.n - 1 - i] ?? 0;
  }

  /** Sum of the best `count` quantities. */
  sumTop(count: number): number {
    const qtys = this.qtys;
    const stop = Math.max(0, this.n - count);
    let sum = 0;
    for (let j = this.n - 1; j >= stop; j--) sum += qtys[j]!;
    return sum;
  }

  /** Sum of quantities with key ≥ `minKey` (the levels from the best down to `minKey`). */
  sumFrom(minKey: number): number {
    const keys = this.keys;
    const qtys = this.qtys;
    let sum = 0;
    for (let j = this.n - 1; j >= 0 && keys[j]! >= minKey; j--) sum += qtys[j]!;
    return sum;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap);
    const qtys = new Float64Array(cap);
    keys.set(this.keys);
    qtys.set(this.qtys);
    this.keys = keys;
    this.qtys = qtys;
  }
}

/**
 * A mutable L2 order book for one symbol. Levels are keyed by integer tick index
 * (`Math.round(price / tickSize)`), never by float or string, and stored in sorted typed
 * arrays: updates allocate nothing (beyond doubling an array when a side outgrows it).
 * Prices come back as the exact decimal doubles (`ticksToPrice`), so `bestBid() === 0.3`.
 */
export class OrderBook implements OrderBookView {
  /** seq of the last applied depth message (0 before any). */
  seq = 0;
  exchTs: Micros = 0;
  localTs: Micros = 0;

  private readonly bids = new BookSide();
  private readonly asks = new BookSide();
  /** tickSize as the exact ratio num/den: price = ticks × num / den. */
  private readonly num: number;
  private readonly den: number;

  constructor(
    readonly symbol: string,
    readonly tickSize: number,
  ) {
    if (!(Number.isFinite(tickSize) && tickSize > 0)) {
      throw new RangeError(`OrderBook(${symbol}): tickSize must be a finite number > 0, got ${tickSize}`);
    }
    const scale = gridScale(tickSize);
    this.num = scale.num;
    this.den = scale.den;
  }

  get bidLevels(): number {
    return this.bids.n;
  }

  get askLevels(): number {
    return this.asks.n;
  }

  // ── mutators ────────────────────────────────────────────────────────────────────────────

  clear(): void {
    this.bids.n = 0;
    this.asks.n = 0;
  }

  /** Sets the absolute size of the level at `price` (side 1 bid, -1 ask); qty ≤ 0 removes it. */
  update(side: 1 | -1, price: number, qty: number): void {
    this.updateTicks(side, Math.round(price / this.tickSize), qty);
  }

  /** As `update`, with the level given by its integer tick index. */
  updateTicks(side: 1 | -1, ticks: number, qty: number): void {
    if (side === 1) this.bids.set(ticks, qty);
    else this.asks.set(-ticks, qty);
  }

  /** Applies a depth message: a snapshot replaces the book; then bids, asks and the message's seq/clocks. */
  applyDepth(msg: DepthUpdate): void {
    if (msg.isSnapshot) this.clear();
    this.applyLevels(1, msg.bids);
    this.applyLevels(-1, msg.asks);
    this.setMeta(msg.seq, msg.exchTs, msg.localTs);
  }

  setMeta(seq: number, exchTs: Micros, localTs: Micros): void {
    this.seq = seq;
    this.exchTs = exchTs;
    this.localTs = localTs;
  }

  private applyLevels(side: 1 | -1, levels: readonly Level[]): void {
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      this.update(side, level[0], level[1]);
    }
  }

  // ── tick-index accessors (for engines that work in ticks) ──────────────────────────────

  /** Tick index of the i-th best bid; NaN past the end. */
  bidTicks(i: number): number {
    return this.bids.keyAt(i);
  }

  /** Tick index of the i-th best ask; NaN past the end. */
  askTicks(i: number): number {
    return -this.asks.keyAt(i);
  }

  /** Resting quantity at tick index `ticks` on a side; 0 if none. */
  qtyAtTicks(side: 1 | -1, ticks: number): number {
    return side === 1 ? this.bids.get(ticks) : this.asks.get(-ticks);
  }

  // ── OrderBookView ───────────────────────────────────────────────────────────────────────

  bestBid(): number {
    return this.bidPrice(0);
  }

  bestAsk(): number {
    return this.askPrice(0);
  }

  bestBidQty(): number {
    return this.bids.qtyAt(0);
  }

  bestAskQty(): number {
    return this.asks.qtyAt(0);
  }

  /** Computed in ticks, `price(bid + ask) / 2` (halving is exact), so 0.1/0.2 gives 0.15. */
  mid(): number {
    return this.price(this.bidTicks(0) + this.askTicks(0)) / 2;
  }

  /** bestAsk − bestBid, computed in ticks; NaN when a side is empty, negative when crossed. */
  spread(): number {
    return this.price(this.askTicks(0) - this.bidTicks(0));
  }

  bidPrice(i: number): number {
    return this.price(this.bids.keyAt(i));
  }

  bidQty(i: number): number {
    return this.bids.qtyAt(i);
  }

  askPrice(i: number): number {
    return this.price(-this.asks.keyAt(i));
  }

  askQty(i: number): number {
    return this.asks.qtyAt(i);
  }

  qtyAt(side: 1 | -1, price: number): number {
    return this.qtyAtTicks(side, Math.round(price / this.tickSize));
  }

  depth(side: 1 | -1, n: number): number {
    return (side === 1 ? this.bids : this.asks).sumTop(n);
  }

  /** Levels whose distance from the side's best is ≤ band (band in price, floored to whole ticks). */
  depthWithin(side: 1 | -1, band: number): number {
    const s = side === 1 ? this.bids : this.asks;
    const bandTicks = Math.floor(band / this.tickSize + 1e-9);
    if (s.n === 0 || !(bandTicks >= 0)) return 0;
    return s.sumFrom(s.keyAt(0) - bandTicks);
  }

  levels(side: 1 | -1, n: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const count = Math.min(n, side === 1 ? this.bids.n : this.asks.n);
    for (let i = 0; i < count; i++) {
      out.push(side === 1 ? [this.bidPrice(i), this.bidQty(i)] : [this.askPrice(i), this.askQty(i)]);
    }
    return out;
  }

  /** True when best bid ≥ best ask (crossed or locked); false when a side is empty. */
  isCrossed(): boolean {
    return this.bids.n > 0 && this.asks.n > 0 && this.bids.keyAt(0) >= -this.asks.keyAt(0);
  }

  /** Exact decimal price of a tick index (NaN stays NaN). */
  private price(ticks: number): number {
    return (ticks * this.num) / this.den;
  }
}
