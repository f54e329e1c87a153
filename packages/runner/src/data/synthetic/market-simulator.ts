import { gridScale, type Level, type MarketEvent, type Side } from '@botplatform/sdk';
import { FairPrice } from './fair-price.js';
import { FeedLatency } from './feed-latency.js';
import { LiquidityModel } from './liquidity-model.js';
import { Prng } from './prng.js';
import { StreamMerger } from './stream-merger.js';
import { SyntheticBook } from './synthetic-book.js';
import type { ResolvedSyntheticOptions } from './synthetic-options.js';
import { TradeFlow } from './trade-flow.js';

const DEPTH = 0;
const TRADE = 1;
const BOOK_TICKER = 2;
const MARK = 3;
/** Base feed latency of each stream relative to the mean, µs. */
const STREAM_LATENCY_OFFSET_US = [500, 0, -800, 1_000];

/** A taker never sweeps more levels than this (its limit price stops it). */
const MAX_SWEEP_LEVELS = 8;
/** Permanent price impact of a median-size trade, ticks (grows with √size). */
const IMPACT_TICKS = 0.12;
const FUNDING_INTERVAL_US = 8 * 3600 * 1_000_000;

/**
 * The synthetic market's engine, in exchange time. Four processes drive it: limit-order events
 * (Poisson), taker arrivals (Hawkes), depth publication (every `depthIntervalUs`) and mark
 * publication (every `markIntervalUs`), plus a fifth when book tickers are throttled
 * (`bookTickerIntervalUs` > 0: publication of the best bid/offer on that grid, if it changed;
 * otherwise every change publishes one at once). `step()` runs the earliest of them; book
 * changes and trades at one instant are published before a book ticker or depth diff at that
 * instant, so a diff or ticker at t reflects every trade with exchTs ≤ t. Every published message gets a local time from the
 * feed-latency model and is queued in `merger`; `now` is the exchange time reached, and since
 * latency is positive every message still to come has localTs > now.
 */
export class MarketSimulator {
  readonly merger = new StreamMerger<MarketEvent>(4);
  /** Exchange time of the last step. */
  now: number;

  private readonly rng: Prng;
  private readonly book: SyntheticBook;
  private readonly fair: FairPrice;
  private readonly liquidity: LiquidityModel;
  private readonly flow: TradeFlow;
  private readonly latency: FeedLatency;
  private readonly endTs: number;
  private readonly tickNum: number;
  private readonly tickDen: number;
  private readonly stepNum: number;
  private readonly stepDen: number;
  private readonly medianTradeSteps: number;

  private nextTradeTs: number;
  private tradeBound = 0;
  private nextQuoteTs: number;
  private nextDepthTs: number;
  private nextMarkTs: number;
  /** Next throttled book-ticker instant; +∞ when book tickers publish every change. */
  private nextTickerTs: number;
  /** Exchange time of the last book change (actions get distinct µs). */
  private lastActionTs: number;
  private fairTs: number;

  private spreadTicks = 1;
  private midEma: number;
  private basis = 0.00002;
  private funding: number;
  private lastDepthSeq = 0;
  private tradeId = 1;
  private bboBid = Number.NaN;
  private bboBidQty = 0;
  private bboAsk = Number.NaN;
  private bboAskQty = 0;

  constructor(private readonly o: ResolvedSyntheticOptions) {
    this.rng = new Prng(o.seed);
    const rng = this.rng;
    const tick = gridScale(o.tickSize);
    const step = gridScale(o.stepSize);
    this.tickNum = tick.num;
    this.tickDen = tick.den;
    this.stepNum = step.num;
    this.stepDen = step.den;
    this.medianTradeSteps = Math.max(1, o.medianTradeQty / o.stepSize);

    const startTicks = Math.round(o.startPrice / o.tickSize);
    this.book = new SyntheticBook(1_000_000_000 + rng.int(1_000_000_000), startTicks);
    this.fair = new FairPrice(rng, o.startPrice / o.tickSize, o.annualVol);
    this.liquidity = new LiquidityModel(
      this.book,
      rng,
      o.bookWidthTicks,
      Math.max(1, Math.round(o.levelQty / o.stepSize)),
    );
    this.flow = new TradeFlow(rng, o.tradesPerSecond, this.medianTradeSteps);
    this.latency = new FeedLatency(
      rng,
      STREAM_LATENCY_OFFSET_US.map((d) => Math.max(1_000, o.feedLatencyUs + d)),
      o.startTs,
      o.latencySpikes,
    );
    this.funding = o.fundingRate;

    this.now = o.startTs;
    this.endTs = o.startTs + o.durationUs;
    this.lastActionTs = o.startTs;
    this.fairTs = o.startTs;
    this.nextDepthTs = o.startTs + o.depthIntervalUs;
    this.nextMarkTs = o.startTs;
    this.nextTickerTs =
      o.bookTickerIntervalUs > 0 ? o.startTs + o.bookTickerIntervalUs : Number.POSITIVE_INFINITY;
    this.nextQuoteTs = o.startTs + this.quoteGap();
    this.nextTradeTs = this.drawTrade(o.startTs);

    const bid = Math.floor(this.fair.ticks);
    this.liquidity.seed(bid, bid + 1);
    this.midEma = bid + 0.5;
    this.publishSnapshot(o.startTs);
    this.publishBookTicker(o.startTs);
  }

  /** Runs the next process step; false once the market's duration is over. */
  step(): boolean {
    const tTrade = this.nextTradeTs;
    const tQuote = this.nextQuoteTs;
    const tDepth = this.nextDepthTs;
    const tMark = this.nextMarkTs;
    const tTicker = this.nextTickerTs;
    const t = Math.min(tTrade, tQuote, tDepth, tMark, tTicker);
    if (t >= this.endTs) return false;
    this.now = t;
    if (t === tTrade) this.tradeArrival(t);
    else if (t === tQuote) this.quoteEvent(t);
    else if (t === tTicker) this.publishThrottledTicker(t);
    else if (t === tDepth) this.publishDepth(t);
    else this.publishMark(t);
    return true;
  }

  // ── processes ───────────────────────────────────────────────────────────────────────────

  /** A candidate taker arrival (thinning): executes with probability intensity / bound. */
  private tradeArrival(t: number): void {
    const intensity = this.flow.intensity(t, this.fair.volMult);
    if (this.rng.next() * this.tradeBound < intensity) {
      this.advanceFair(t);
      this.executeTrade(t);
      this.flow.excite(t);
      this.actionDone(t);
    }
    this.nextTradeTs = this.drawTrade(t);
  }

  /** A limit-order event: one level changes, then quotes re-centre on the fair price. */
  private quoteEvent(t: number): void {
    this.advanceFair(t);
    this.liquidity.perturb();
    const bid = Math.floor(this.fair.ticks - this.spreadTicks / 2 + 0.5);
    this.liquidity.recentre(bid, bid + this.spreadTicks);
    this.bboMayHaveChanged(t);
    this.actionDone(t);
    this.nextQuoteTs = t + this.quoteGap();
  }

  /** A taker order: sweeps the opposite side from the touch, printing one trade per level. */
  private executeTrade(t: number): void {
    const book = this.book;
    const side = this.flow.side(this.fair.ticks - (book.bestBid + book.bestAsk) / 2);
    const take: 1 | -1 = side === 1 ? -1 : 1;
    const aggressor: Side = side === 1 ? 'buy' : 'sell';
    let remaining = this.flow.sizeSteps();
    let executed = 0;
    for (let n = 0; remaining > 0 && n < MAX_SWEEP_LEVELS; n++) {
      const tick = book.best(take);
      const q = book.get(take, tick);
      let fill = Math.min(q, remaining);
      if (fill === q && book.levels(take) === 1) fill = q - 1; // never empty a side
      if (fill <= 0) break;
      book.set(take, tick, q - fill);
      this.emit(TRADE, {
        type: 'trade',
        exchange: this.o.exchange,
        symbol: this.o.symbol,
        exchTs: t,
        localTs: this.latency.localTs(TRADE, t),
        tradeId: this.tradeId++,
        price: this.price(tick),
        qty: this.qty(fill),
        side: aggressor,
      });
      remaining -= fill;
      executed += fill;
    }
    if (executed === 0) return;
    this.fair.nudge(side * IMPACT_TICKS * Math.sqrt(executed / this.medianTradeSteps));
    this.liquidity.reframe();
    this.bboMayHaveChanged(t);
  }

  /** Every depth interval: evolve the slow state, then publish the levels changed since the last diff. */
  private publishDepth(t: number): void {
    const dt = this.o.depthIntervalUs;
    this.nextDepthTs = t + dt;
    this.fair.evolveRegime(dt);
    this.latency.evolve(dt);
    const v = this.fair.volMult;
    this.spreadTicks = v > 1.8 && this.rng.next() < (v - 1.8) / 2 ? 2 + this.rng.int(2) : 1;
    const mid = (this.book.bestBid + this.book.bestAsk) / 2;
    this.midEma += (1 - Math.exp(-dt / 500_000)) * (mid - this.midEma);
    // The regime changed the taker intensity: redraw the next arrival (memoryless).
    this.nextTradeTs = this.drawTrade(t);

    const bids = this.drainLevels(1, false);
    const asks = this.drainLevels(-1, false);
    if (bids.length === 0 && asks.length === 0) return;
    const seq = this.book.updateId;
    this.emitDepth(t, seq, this.lastDepthSeq, false, bids, asks);
    this.lastDepthSeq = seq;
  }

  /** Every mark interval: mark ≈ smoothed mid, index = mark less a small basis, drifting funding. */
  private publishMark(t: number): void {
    const dt = this.o.markIntervalUs / 1e6;
    this.nextMarkTs = t + this.o.markIntervalUs;
    const rng = this.rng;
    this.basis += (0.00002 - this.basis) * (dt / 120) + 0.00003 * Math.sqrt((2 * dt) / 120) * rng.normal();
    const f0 = this.o.fundingRate;
    this.funding += (f0 - this.funding) * (dt / 3600) + 0.00005 * Math.sqrt((2 * dt) / 3600) * rng.normal();
    const mark = round8((this.midEma * this.tickNum) / this.tickDen);
    this.emit(MARK, {
      type: 'markPrice',
      exchange: this.o.exchange,
      symbol: this.o.symbol,
      exchTs: t,
      localTs: this.latency.localTs(MARK, t),
      markPrice: mark,
      indexPrice: round8(mark * (1 - this.basis)),
      fundingRate: round8(this.funding),
      nextFundingTs: (Math.floor(t / FUNDING_INTERVAL_US) + 1) * FUNDING_INTERVAL_US,
    });
  }

  // ── publication ─────────────────────────────────────────────────────────────────────────

  private publishSnapshot(t: number): void {
    const bids = this.drainLevels(1, true);
    const asks = this.drainLevels(-1, true);
    const seq = this.book.updateId;
    this.emitDepth(t, seq, seq - 1, true, bids, asks);
    this.lastDepthSeq = seq;
  }

  private emitDepth(
    t: number,
    seq: number,
    prevSeq: number,
    isSnapshot: boolean,
    bids: Level[],
    asks: Level[],
  ): void {
    this.emit(DEPTH, {
      type: 'depth',
      exchange: this.o.exchange,
      symbol: this.o.symbol,
      exchTs: t,
      localTs: this.latency.localTs(DEPTH, t),
      seq,
      prevSeq,
      isSnapshot,
      bids,
      asks,
    });
  }

  /** After a book change: an unthrottled book ticker publishes at once; a throttled one waits for its grid. */
  private bboMayHaveChanged(t: number): void {
    if (this.o.bookTickerIntervalUs === 0) this.publishBookTicker(t);
  }

  /** A throttled book-ticker instant: the best bid/offer now, if it changed since the last one. */
  private publishThrottledTicker(t: number): void {
    this.nextTickerTs = t + this.o.bookTickerIntervalUs;
    this.publishBookTicker(t);
  }

  /** Publishes the best bid/offer if it changed (price or size), as Binance's bookTicker does. */
  private publishBookTicker(t: number): void {
    const book = this.book;
    const bid = book.bestBid;
    const ask = book.bestAsk;
    const bidQty = book.get(1, bid);
    const askQty = book.get(-1, ask);
    if (bid === this.bboBid && ask === this.bboAsk && bidQty === this.bboBidQty && askQty === this.bboAskQty)
      return;
    this.bboBid = bid;
    this.bboAsk = ask;
    this.bboBidQty = bidQty;
    this.bboAskQty = askQty;
    this.emit(BOOK_TICKER, {
      type: 'bookTicker',
      exchange: this.o.exchange,
      symbol: this.o.symbol,
      exchTs: t,
      localTs: this.latency.localTs(BOOK_TICKER, t),
      seq: book.updateId,
      bidPrice: this.price(bid),
      bidQty: this.qty(bidQty),
      askPrice: this.price(ask),
      askQty: this.qty(askQty),
    });
  }

  private emit(stream: number, event: MarketEvent): void {
    this.merger.push(stream, event);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  private advanceFair(t: number): void {
    this.fair.advance(t - this.fairTs);
    this.fairTs = t;
  }

  /** Book changes happen at distinct µs: push pending candidates past this one. */
  private actionDone(t: number): void {
    this.lastActionTs = t;
    if (this.nextQuoteTs <= t) this.nextQuoteTs = t + 1;
    if (this.nextTradeTs <= t) this.nextTradeTs = t + 1;
  }

  /** Next taker-arrival candidate after `t`, bounded by the current (only decaying) intensity. */
  private drawTrade(t: number): number {
    this.tradeBound = this.flow.intensity(t, this.fair.volMult);
    const gap = Math.max(1, Math.round(this.rng.exponential(this.tradeBound)));
    return Math.max(t + gap, this.lastActionTs + 1);
  }

  private quoteGap(): number {
    const rate = (this.o.quoteEventsPerSecond * (0.6 + 0.4 * this.fair.volMult)) / 1e6;
    return Math.max(1, Math.round(this.rng.exponential(rate)));
  }

  /** The levels of a side changed since the last diff (or all of them), as `[price, qty]`. */
  private drainLevels(side: 1 | -1, all: boolean): Level[] {
    const out: Level[] = [];
    const push = (tick: number, steps: number): void => {
      out.push([this.price(tick), this.qty(steps)]);
    };
    if (all) this.book.drainAll(side, push);
    else this.book.drainChanges(side, push);
    return out;
  }

  private price(ticks: number): number {
    return (ticks * this.tickNum) / this.tickDen;
  }

  private qty(steps: number): number {
    return (steps * this.stepNum) / this.stepDen;
  }
}

const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;
