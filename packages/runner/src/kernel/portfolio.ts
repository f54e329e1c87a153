import { type Fill, type Instrument, type Micros, type Position, roundToStep } from '@botplatform/sdk';

interface Book {
  qty: number;
  avgEntryPrice: number;
  realizedPnl: number;
  fees: number;
  funding: number;
  /** Last mark used for unrealized PnL: the mark price when the feed has one, else the mid. */
  mark: number;
  hasMarkPrice: boolean;
}

/**
 * Positions and money, from locally received fills only (DESIGN "No look-ahead").
 *
 * Average-cost accounting, per symbol with contract size c:
 *   increasing:  avg' = (|q|·avg + qty·price) / (|q| + qty)
 *   reducing:    realized += closedQty · (price − avg) · sign(q) · c
 *   unrealized = q · (mark − avg) · c
 *   equity     = Σ realized + unrealized − fees − funding
 */
export class Portfolio {
  private readonly books: Book[];
  private readonly index = new Map<string, number>();
  private readonly contractSize: number[];
  volume = 0;
  makerVolume = 0;
  peakEquity = 0;
  /** Local time equity was last at its peak. */
  peakTs = Number.NaN;
  maxDrawdown = 0;
  /** Equity at the peak the worst drawdown fell from, and when that fall started and bottomed. */
  maxDrawdownPeak = 0;
  maxDrawdownStartTs = Number.NaN;
  maxDrawdownEndTs = Number.NaN;

  constructor(private readonly instruments: readonly Instrument[]) {
    this.books = instruments.map(() => ({
      qty: 0,
      avgEntryPrice: Number.NaN,
      realizedPnl: 0,
      fees: 0,
      funding: 0,
      mark: Number.NaN,
      hasMarkPrice: false,
    }));
    this.contractSize = instruments.map((i) => i.contractSize);
    instruments.forEach((inst, i) => {
      this.index.set(inst.symbol, i);
    });
  }

  symIndex(symbol: string): number {
    const i = this.index.get(symbol);
    if (i === undefined) throw new Error(`unknown symbol ${symbol}`);
    return i;
  }

  applyFill(fill: Fill): void {
    const sym = this.symIndex(fill.symbol);
    const b = this.books[sym]!;
    const c = this.contractSize[sym]!;
    const signed = fill.side === 'buy' ? fill.qty : -fill.qty;
    b.fees += fill.fee;
    const notional = fill.price * fill.qty * c;
    this.volume += notional;
    if (fill.liquidity === 'maker') this.makerVolume += notional;
    if (b.qty === 0 || Math.sign(b.qty) === Math.sign(signed)) {
      const absQ = Math.abs(b.qty);
      b.avgEntryPrice =
        b.qty === 0 ? fill.price : (absQ * b.avgEntryPrice + fill.qty * fill.price) / (absQ + fill.qty);
      b.qty = this.snap(sym, b.qty + signed);
      return;
    }
    const closed = Math.min(Math.abs(b.qty), fill.qty);
    b.realizedPnl += closed * (fill.price - b.avgEntryPrice) * Math.sign(b.qty) * c;
    const newQty = this.snap(sym, b.qty + signed);
    if (newQty === 0) b.avgEntryPrice = Number.NaN;
    else if (Math.sign(newQty) !== Math.sign(b.qty)) b.avgEntryPrice = fill.price; // flipped: the rest opened at this price
    b.qty = newQty;
  }

  /**
   * Sets a position as the exchange reports it (a live restart's reconciliation): quantity and
   * average entry; realized PnL, fees and funding of this run are untouched.
   */
  setPosition(sym: number, qty: number, avgEntryPrice: number): void {
    const b = this.books[sym]!;
    b.qty = this.snap(sym, qty);
    b.avgEntryPrice = b.qty === 0 ? Number.NaN : avgEntryPrice;
  }

  /** Funding the venue settled on this symbol's position (positive = paid, negative = received). */
  addFunding(symbol: string, amount: number): void {
    this.books[this.symIndex(symbol)]!.funding += amount;
  }

  setMid(sym: number, mid: number): void {
    const b = this.books[sym]!;
    if (!b.hasMarkPrice && !Number.isNaN(mid)) b.mark = mid;
  }

  setMarkPrice(sym: number, mark: number): void {
    const b = this.books[sym]!;
    b.hasMarkPrice = true;
    b.mark = mark;
  }

  /** The price unrealized PnL is marked at: the last mark price, else the last mid (NaN before any). */
  markOf(sym: number): number {
    return this.books[sym]!.mark;
  }

  qty(sym: number): number {
    return this.books[sym]!.qty;
  }

  unrealized(sym: number): number {
    const b = this.books[sym]!;
    if (b.qty === 0 || Number.isNaN(b.mark)) return 0;
    return b.qty * (b.mark - b.avgEntryPrice) * this.contractSize[sym]!;
  }

  position(sym: number): Position {
    const b = this.books[sym]!;
    return {
      symbol: this.instruments[sym]!.symbol,
      qty: b.qty,
      avgEntryPrice: b.avgEntryPrice,
      realizedPnl: b.realizedPnl,
      fees: b.fees,
      funding: b.funding,
    };
  }

  totals(): { realizedPnl: number; unrealizedPnl: number; fees: number; funding: number; equity: number } {
    let realizedPnl = 0;
    let unrealizedPnl = 0;
    let fees = 0;
    let funding = 0;
    for (let i = 0; i < this.books.length; i++) {
      const b = this.books[i]!;
      realizedPnl += b.realizedPnl;
      unrealizedPnl += this.unrealized(i);
      fees += b.fees;
      funding += b.funding;
    }
    return {
      realizedPnl,
      unrealizedPnl,
      fees,
      funding,
      equity: realizedPnl + unrealizedPnl - fees - funding,
    };
  }

  /**
   * Re-marks equity at local time `now` and updates the running peak and the max drawdown
   * (peak − equity), remembering when the worst drawdown's peak and trough were.
   */
  updateDrawdown(now: Micros): number {
    const e = this.equity();
    if (e > this.peakEquity) {
      this.peakEquity = e;
      this.peakTs = now;
    } else if (this.peakEquity - e > this.maxDrawdown) {
      this.maxDrawdown = this.peakEquity - e;
      this.maxDrawdownPeak = this.peakEquity;
      this.maxDrawdownStartTs = this.peakTs;
      this.maxDrawdownEndTs = now;
    }
    return e;
  }

  /** Equity without allocating: the hot-path form of totals().equity. */
  equity(): number {
    let e = 0;
    for (let i = 0; i < this.books.length; i++) {
      const b = this.books[i]!;
      e += b.realizedPnl + this.unrealized(i) - b.fees - b.funding;
    }
    return e;
  }

  /**
   * Positions are whole multiples of the step size; snapping to that grid removes the float
   * dust of summing decimal quantities (0.1 + 0.2 − 0.3), at any position size.
   */
  private snap(sym: number, q: number): number {
    const step = this.instruments[sym]!.stepSize;
    const snapped = roundToStep(q, step, 'nearest');
    return snapped === 0 ? 0 : snapped; // no −0
  }
}
