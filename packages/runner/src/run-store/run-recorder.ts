import type { Fill, JsonValue, Micros, Order } from '@botplatform/sdk';
import type { Kernel } from '../kernel/kernel.js';
import { OrderLedger } from './order-ledger.js';
import { RoundTripTracker } from './round-trips.js';

/** Columns of one sampled series, kept as plain arrays (one row = index i across them). */
export interface EquityRows {
  ts: number[];
  equity: number[];
  realized: number[];
  unrealized: number[];
  fees: number[];
  funding: number[];
  drawdown: number[];
  grossExposure: number[];
}

export interface PriceRows {
  ts: number[];
  sym: number[];
  bid: number[];
  ask: number[];
}

export interface FillRow {
  readonly fill: Fill;
  readonly positionAfter: number;
}

/** ctx.emit history, one column per field (a strategy may emit on every book update). */
export interface SignalColumns {
  readonly ts: number[];
  readonly name: string[];
  readonly value: number[];
}

/** What the recorder holds at the end of a run. */
export interface RunRecord {
  readonly symbols: readonly string[];
  readonly fills: readonly FillRow[];
  readonly orders: OrderLedger;
  readonly trips: RoundTripTracker;
  readonly equity: EquityRows;
  readonly prices: PriceRows;
  readonly positions: { ts: number[]; sym: number[]; qty: number[] };
  readonly signals: SignalColumns;
  readonly makerFees: number;
  readonly takerFees: number;
  /** Largest Σ |qty| · mark · contractSize seen at a sample or fill. */
  readonly maxGrossExposure: number;
  /** Local µs with a non-zero position in any symbol. */
  readonly timeInMarketUs: number;
}

/**
 * Subscribes to the kernel's bus and keeps what the run store writes: every fill with the
 * position after it, every order's history, round trips, and equity and best bid/ask sampled
 * every `sampleEveryUs` of local time and at every fill. It only listens: nothing in the
 * trading path changes when it is attached.
 */
export class RunRecorder {
  private readonly fills: FillRow[] = [];
  readonly orders = new OrderLedger();
  private readonly trips: RoundTripTracker;
  private readonly equity: EquityRows = {
    ts: [],
    equity: [],
    realized: [],
    unrealized: [],
    fees: [],
    funding: [],
    drawdown: [],
    grossExposure: [],
  };
  private readonly prices: PriceRows = { ts: [], sym: [], bid: [], ask: [] };
  private readonly positions = { ts: [] as number[], sym: [] as number[], qty: [] as number[] };
  private readonly signals: SignalColumns = { ts: [], name: [], value: [] };
  private makerFees = 0;
  private takerFees = 0;
  private peak = 0;
  private maxGrossExposure = 0;
  private inMarketSince = Number.NaN;
  private timeInMarketUs = 0;

  private nextEquityTs = Number.NEGATIVE_INFINITY;

  /**
   * @param priceEveryUs best bid/ask (and trips' excursions) sampled this often
   * @param equityEveryUs equity sampled this often (a multiple of priceEveryUs is sensible)
   */
  constructor(
    private readonly kernel: Kernel,
    priceEveryUs: Micros,
    private readonly equityEveryUs: Micros,
  ) {
    this.trips = new RoundTripTracker(kernel.instruments);
    kernel.bus.subscribe('fill', (f) => this.onFill(f));
    kernel.bus.subscribe('orderUpdate', (o: Order) => this.orders.onUpdate(o));
    kernel.bus.subscribe('signal', (s) => this.onSignal(s.ts, s.name, s.value));
    kernel.bus.subscribe('sample', (s) => this.sample(s.ts, false));
    kernel.sampleEvery(priceEveryUs);
  }

  private onFill(f: Fill): void {
    const k = this.kernel;
    const sym = k.sym(f.symbol);
    const qty = k.portfolio.qty(sym);
    this.fills.push({ fill: f, positionAfter: qty });
    this.orders.onFill(f);
    if (f.liquidity === 'maker') this.makerFees += f.fee;
    else this.takerFees += f.fee;
    this.trips.onFill(sym, f.side, f.price, f.qty, f.fee, f.localTs, k.portfolio.position(sym).funding);
    this.positions.ts.push(f.localTs);
    this.positions.sym.push(sym);
    this.positions.qty.push(qty);
    this.sample(f.localTs, true);
  }

  /**
   * A position the run starts with (a live restart takes it over from the exchange): it opens a
   * round trip at its entry price, with no fee, as if filled at `ts`.
   */
  openPosition(sym: number, qty: number, avgEntryPrice: number, ts: Micros): void {
    if (qty === 0) return;
    const k = this.kernel;
    this.trips.onFill(sym, qty > 0 ? 'buy' : 'sell', avgEntryPrice, Math.abs(qty), 0, ts, 0);
    this.positions.ts.push(ts);
    this.positions.sym.push(sym);
    this.positions.qty.push(k.portfolio.qty(sym));
  }

  private onSignal(ts: Micros, name: string, value: number | JsonValue): void {
    // Numeric history only (booleans as 0/1); a structured JSON value has no place in a series.
    const v = typeof value === 'number' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
    if (v === undefined) return;
    this.signals.ts.push(ts);
    this.signals.name.push(name);
    this.signals.value.push(v);
  }

  /** Prices and excursions at local time `ts`; equity too when due (or `withEquity`). */
  private sample(ts: Micros, withEquity: boolean): void {
    const k = this.kernel;
    const p = k.portfolio;
    const t = p.totals();
    if (t.equity > this.peak) this.peak = t.equity;
    let gross = 0;
    let inMarket = false;
    for (let sym = 0; sym < k.instruments.length; sym++) {
      const book = k.marketData.books[sym]!;
      const mark = p.markOf(sym);
      const q = p.qty(sym);
      if (q !== 0) inMarket = true;
      if (!Number.isNaN(mark)) {
        gross += Math.abs(q) * mark * k.instruments[sym]!.contractSize;
        this.trips.mark(sym, mark);
      }
      if (book.bidLevels > 0 || book.askLevels > 0) {
        this.prices.ts.push(ts);
        this.prices.sym.push(sym);
        this.prices.bid.push(book.bestBid());
        this.prices.ask.push(book.bestAsk());
      }
    }
    if (gross > this.maxGrossExposure) this.maxGrossExposure = gross;
    this.trackTimeInMarket(ts, inMarket);
    if (!withEquity && ts < this.nextEquityTs) return;
    this.nextEquityTs = (Math.floor(ts / this.equityEveryUs) + 1) * this.equityEveryUs;
    const e = this.equity;
    e.ts.push(ts);
    e.equity.push(t.equity);
    e.realized.push(t.realizedPnl);
    e.unrealized.push(t.unrealizedPnl);
    e.fees.push(t.fees);
    e.funding.push(t.funding);
    e.drawdown.push(this.peak - t.equity);
    e.grossExposure.push(gross);
  }

  private trackTimeInMarket(ts: Micros, inMarket: boolean): void {
    if (!Number.isNaN(this.inMarketSince)) this.timeInMarketUs += ts - this.inMarketSince;
    this.inMarketSince = inMarket ? ts : Number.NaN;
  }

  /** Closes the books at local time `endTs` (open trips marked) and hands over the record. */
  finish(endTs: Micros): RunRecord {
    const k = this.kernel;
    this.sample(endTs, true);
    this.trackTimeInMarket(endTs, false);
    const n = k.instruments.length;
    const marks = Array.from({ length: n }, (_, sym) => k.portfolio.markOf(sym));
    const funding = Array.from({ length: n }, (_, sym) => k.portfolio.position(sym).funding);
    this.trips.finish(endTs, marks, funding);
    return {
      symbols: k.instruments.map((i) => i.symbol),
      fills: this.fills,
      orders: this.orders,
      trips: this.trips,
      equity: this.equity,
      prices: this.prices,
      positions: this.positions,
      signals: this.signals,
      makerFees: this.makerFees,
      takerFees: this.takerFees,
      maxGrossExposure: this.maxGrossExposure,
      timeInMarketUs: this.timeInMarketUs,
    };
  }
}
