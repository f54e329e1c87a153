import type { DepthUpdate, Level } from '../events/market.js';
import { gridScale } from '../instrument/price-grid.js';
import type { Micros } from '../time.js';
import type { OrderBookView } from './order-book-view.js';

/** Ticks a side's ladder spans at first (it doubles to fit the book). */
const INITIAL_SPAN = 1024;
/** Widest ladder (ticks, 32 MB of Float64): levels farther out go to a small sorted overflow. */
const MAX_SPAN = 1 << 22;

/**
 * One side of the book as a price ladder: quantities in a dense Float64Array indexed by
 * `key − base`, with `key = sideSign × tickIndex` so the best level is the highest key on both
 * sides (bids: highest tick; asks: lowest tick). An update is one store plus, when it empties
 * the best level, a short walk down to the next one: no search and no shifting, whatever the
 * book's depth. The ladder re-centres (doubling) when a level lands outside it; a level more
 * than MAX_SPAN ticks from the rest of the book is kept in a small sorted overflow instead,
 * so one absurd price cannot allocate gigabytes.
 */
class BookSide {
  constructor(private readonly maxSpan: number) {}

  private qty = new Float64Array(INITIAL_SPAN);
  /** Key of qty[0]; set by the first level. */
  private base = Number.NaN;
  /** Index of the best non-empty level; −1 when the ladder is empty. */
  private best = -1;
  /** Non-empty levels in the ladder. */
  private count = 0;
  // Levels too far from the ladder: parallel arrays sorted by key ascending.
  private farKeys: number[] = [];
  private farQtys: number[] = [];

  get n(): number {
    return this.count + this.farKeys.length;
  }

  clear(): void {
    if (this.count > 0) this.qty.fill(0);
    this.count = 0;
    this.best = -1;
    this.base = Number.NaN;
    this.farKeys = [];
    this.farQtys = [];
  }

  /** Sets the level at `key` to `qty`; `qty` ≤ 0 (or NaN) removes it. */
  set(key: number, qty: number): void {
    let idx = key - this.base;
    if (!(idx >= 0 && idx < this.qty.length)) {
      if (!this.place(key, qty)) return;
      idx = key - this.base;
    }
    const q = this.qty;
    const old = q[idx]!;
    if (qty > 0) {
      if (old === 0) {
        this.count++;
        if (idx > this.best) this.best = idx;
      }
      q[idx] = qty;
      return;
    }
    if (old === 0) return;
    q[idx] = 0;
    this.count--;
    if (idx === this.best) {
      let b = idx - 1;
      if (this.count === 0) b = -1;
      else while (q[b] === 0) b--;
      this.best = b;
    }
  }

  /** Quantity at `key`, 0 when absent. */
  get(key: number): number {
    const idx = key - this.base;
    if (idx >= 0 && idx < this.qty.length) return this.qty[idx]!;
    const f = this.farIndex(key);
    return f >= 0 ? this.farQtys[f]! : 0;
  }

  /** Key of the i-th best level (0 = best); NaN past the end. */
  keyAt(i: number): number {
    const idx = this.indexAt(i);
    if (idx >= 0) return this.base + idx;
    const f = this.farAt(i);
    return f >= 0 ? this.farKeys[f]! : Number.NaN;
  }

  /** Quantity of the i-th best level (0 = best); 0 past the end. */
  qtyAt(i: number): number {
    const idx = this.indexAt(i);
    if (idx >= 0) return this.qty[idx]!;
    const f = this.farAt(i);
    return f >= 0 ? this.farQtys[f]! : 0;
  }

  /** Sum of the best `count` quantities. */
  sumTop(count: number): number {
    let sum = 0;
    let left = count;
    const above = this.farAbove();
    for (let f = this.farKeys.length - 1; f >= this.farKeys.length - above && left > 0; f--, left--) {
      sum += this.farQtys[f]!;
    }
    const q = this.qty;
    for (let j = this.best; j >= 0 && left > 0; j--) {
      const x = q[j]!;
      if (x !== 0) {
        sum += x;
        left--;
      }
    }
    for (let f = this.farKeys.length - above - 1; f >= 0 && left > 0; f--, left--) sum += this.farQtys[f]!;
    return sum;
  }

  /** Sum of quantities with key ≥ `minKey` (the levels from the best down to `minKey`). */
  sumFrom(minKey: number): number {
    let sum = 0;
    for (let f = 0; f < this.farKeys.length; f++) if (this.farKeys[f]! >= minKey) sum += this.farQtys[f]!;
    const q = this.qty;
    const stop = Math.max(0, minKey - this.base);
    for (let j = this.best; j >= stop; j--) sum += q[j]!;
    return sum;
  }

  /** Ladder index of the i-th best ladder level, counting far levels above the ladder first; −1 if none. */
  private indexAt(i: number): number {
    if (!(i >= 0)) return -1;
    let left = i - this.farAbove();
    if (left < 0 || left >= this.count) return -1;
    const q = this.qty;
    let j = this.best;
    for (;;) {
      if (q[j] !== 0) {
        if (left === 0) return j;
        left--;
      }
      j--;
    }
  }

  /** Overflow index of the i-th best level when it is a far level; −1 otherwise. */
  private farAt(i: number): number {
    if (!(i >= 0) || i >= this.n) return -1;
    const above = this.farAbove();
    if (i < above) return this.farKeys.length - 1 - i;
    const below = i - above - this.count;
    return below >= 0 ? this.farKeys.length - above - 1 - below : -1;
  }

  /** How many far levels lie above the ladder (better than all its levels). */
  private farAbove(): number {
    const keys = this.farKeys;
    if (keys.length === 0) return 0;
    const top = this.base + this.qty.length;
    let k = 0;
    for (let f = keys.length - 1; f >= 0 && keys[f]! >= top; f--) k++;
    return k;
  }

  private farIndex(key: number): number {
    const keys = this.farKeys;
    for (let f = 0; f < keys.length; f++) if (keys[f] === key) return f;
    return -1;
  }

  /**
   * A level outside the ladder: re-centre the ladder to hold it when the book's span allows
   * (returns true, the caller then stores it), else keep it in the overflow (returns false).
   */
  private place(key: number, qty: number): boolean {
    if (this.count === 0 && this.farKeys.length === 0) {
      if (!(qty > 0)) return false;
      this.base = key - (this.qty.length >> 1);
      return true;
    }
    const f = this.farIndex(key);
    if (f >= 0 || !(qty > 0)) {
      if (f >= 0) {
        if (qty > 0) this.farQtys[f] = qty;
        else {
          this.farKeys.splice(f, 1);
          this.farQtys.splice(f, 1);
        }
      }
      return false;
    }
    const lowest = this.count > 0 ? this.base + this.lowestIndex() : key;
    const highest = this.count > 0 ? this.base + this.best : key;
    const lo = Math.min(lowest, key);
    const hi = Math.max(highest, key);
    if (hi - lo + 1 > this.maxSpan) {
      let at = 0;
      while (at < this.farKeys.length && this.farKeys[at]! < key) at++;
      this.farKeys.splice(at, 0, key);
      this.farQtys.splice(at, 0, qty);
      return false;
    }
    let span = this.qty.length;
    while (span < 2 * (hi - lo + 1)) span *= 2;
    const base = lo - ((span - (hi - lo + 1)) >> 1);
    const q = new Float64Array(span);
    if (this.count > 0) {
      const from = lowest - this.base;
      q.set(this.qty.subarray(from, this.best + 1), lowest - base);
    }
    this.best = this.count > 0 ? highest - base : -1;
    this.qty = q;
    this.base = base;
    return true;
  }

  private lowestIndex(): number {
    const q = this.qty;
    let j = 0;
    while (q[j] === 0) j++;
    return j;
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

  private readonly bids: BookSide;
  private readonly asks: BookSide;
  /** tickSize as the exact ratio num/den: price = ticks × num / den. */
  private readonly num: number;
  private readonly den: number;

  /**
   * @param maxLadderTicks widest price ladder per side, in ticks: levels farther than this
   *   from the rest of the book are kept in a small sorted overflow (default 4,194,304).
   */
  constructor(
    readonly symbol: string,
    readonly tickSize: number,
    maxLadderTicks = MAX_SPAN,
  ) {
    this.bids = new BookSide(maxLadderTicks);
    this.asks = new BookSide(maxLadderTicks);
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
    this.bids.clear();
    this.asks.clear();
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
    return 0 - this.asks.keyAt(i);
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
    return this.price(0 - this.asks.keyAt(i));
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
    return this.bids.n > 0 && this.asks.n > 0 && this.bids.keyAt(0) >= 0 - this.asks.keyAt(0);
  }

  /** Exact decimal price of a tick index (NaN stays NaN). */
  private price(ticks: number): number {
    return (ticks * this.num) / this.den;
  }
}
