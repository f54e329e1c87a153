import {
  type CancelCommand,
  type ExecutionReport,
  type GridScale,
  gridScale,
  type Instrument,
  type Liquidity,
  type ModifyCommand,
  OrderBook,
  type OrderBookView,
  type OrderCommand,
  type RejectReason,
  validateOrder,
} from '@botplatform/sdk';
import { type FeeModel, instrumentFees, tradeFee } from '../fees/fee-model.js';
import type { QueueModel } from '../queue/queue-model.js';
import {
  DUPLICATE_CLIENT_ID,
  FOK_NOT_FILLED,
  iocNotFilled,
  modifyQtyNotAboveFilled,
  modifySideMismatch,
  NO_NEED_TO_MODIFY,
  ORDER_DOES_NOT_EXIST,
  POST_ONLY_REJECTED,
  REDUCE_ONLY_EXPIRED,
  REDUCE_ONLY_REJECTED,
  UNKNOWN_ORDER,
  unknownSymbol,
} from './exchange-reasons.js';
import type { FillMode } from './fill-mode.js';
import { lotsToQty, qtyToLots, wholeLots } from './lots.js';
import { SimOrder } from './sim-order.js';

export interface SimulatedExchangeOptions {
  readonly queue: QueueModel;
  /** Receives every report synchronously; must not call back into the exchange. */
  readonly sink: (report: ExecutionReport) => void;
  /** Default `partial`. */
  readonly fills?: FillMode;
  /** Default: the instrument's maker / taker rates ({@link instrumentFees}). */
  readonly fees?: FeeModel;
}

const badSym = (sym: number, n: number): RangeError =>
  new RangeError(`SimulatedExchange: no instrument at index ${sym} (it has ${n}: 0..${n - 1})`);

/**
 * The simulated exchange: one matching engine per instrument against an exchange-side L2 book
 * rebuilt from the recorded depth stream. Pure logic, deterministic, synchronous, in EXCHANGE
 * time: the kernel calls the market-data methods at each event's `exchTs` and `submit` /
 * `cancel` / `modify` at the command's arrival time (local send time + entry latency); every
 * report goes to `sink` at once with `exchTs` = the exchange time of its cause, and the kernel
 * delivers it to the strategy at `exchTs + response latency`.
 *
 * Instruments are addressed by index `sym` (position in the constructor's array) on hot paths;
 * hot-path methods take scalars and allocate nothing unless an order fills. Quantities are
 * counted internally in lots of the step size (exact integers); prices compare as tick indices.
 * Per symbol the exchange keeps the price range of its resting buys and sells, so a market event
 * that cannot touch any of them (not at a resting price, not at or through one) only updates
 * the book and returns.
 *
 * Order rules (Binance USD-M semantics, codes in exchange-reasons.ts):
 * - submit checks, in order: known symbol (-1121); clientOrderId never used by an accepted
 *   order (-4116); the SDK's `validateOrder` filters (tick, step, min/max qty, min notional;
 *   market orders use the opposite best price for notional); reduce-only needs a position on
 *   the opposite side (-2022); GTX must not cross the book (-5022). Accepted orders get
 *   `accepted` (exchange order ids "1", "2", …) before any fill or expiry.
 * - Taking: market, IOC, FOK and the crossing part of a GTC limit walk the opposite side of the
 *   book from the best level, one taker fill per level at that level's price, for
 *   `min(level size, leaves)` lots, up to the limit price (none for market orders).
 *   FOK first checks `Σ level sizes within the limit ≥ qty` and otherwise expires unfilled
 *   (-5021). IOC / market remainders expire (IOC_NOT_FILLED); a GTC remainder rests.
 *   Market orders ignore their time in force (always immediate-or-cancel).
 *   SIMPLIFICATION: taker fills do not alter the exchange-side book (no market impact): the
 *   levels we took stay until the next depth update overwrites them, so two takers in a row
 *   can both take the same liquidity.
 * - Resting (GTC / GTX) orders fill as MAKER at their own price p:
 *   (a) trade at p by the opposite aggressor: the queue model consumes the queue first;
 *       partial mode fills `min(reached, leaves, tradeLeft)` where `reached` is the trade's
 *       excess over the queue ahead and `tradeLeft` is the trade's size minus what it already
 *       filled of our other orders at p in this event (one trade never fills more than its
 *       size); full mode fills the whole leaves whenever `reached > 0`;
 *   (b) trade THROUGH p (sell aggressor below a buy's p, buy aggressor above a sell's p):
 *       the whole leaves;
 *   (c) a crossing opposite quote: a depth update that sets an opposite level with qty > 0 at
 *       a price that crosses p (ask ≤ buy's p, bid ≥ sell's p), or a book ticker whose
 *       opposite best crosses p: the whole leaves. Only a new quote triggers it: stale levels a
 *       GTC already took on arrival do not refill its remainder until the depth stream sets them
 *       again (the trigger is the event, not a re-scan of the book).
 * - The book ticker is used only for (c); it does not modify the L2 book or queue positions
 *   (depth is the source of truth for level sizes).
 * - Reduce-only (Binance caps at the position): accepted only when there is a position on the
 *   opposite side; every fill is capped at the current position size, and whenever a fill
 *   leaves a reduce-only order with nothing to reduce (position flat or flipped), its
 *   remainder expires (REDUCE_ONLY_REJECTED, -2022), as Binance cancels reduce-only orders
 *   when the position closes.
 * - Fees per fill: `price × qty × contractSize × rate` (fees/fee-model.ts). The exchange-side
 *   position moves by `±qty` on every fill.
 * - cancel of an unknown, closed or other-symbol order answers `cancelRejected` (-2011).
 * - modify (see {@link SimulatedExchange.modify}) amends a resting limit order's price and
 *   total quantity; a price change or a quantity increase loses the queue place.
 * - Funding (see {@link SimulatedExchange.onMarkPrice}) settles on the exchange-side position
 *   at each funding time announced by the mark-price stream.
 *
 * Determinism: resting orders are scanned per symbol in arrival order (a modify that loses the
 * queue place counts as a new arrival); no Map/Set iteration, no randomness, no clock.
 */
export class SimulatedExchange {
  private readonly instruments: readonly Instrument[];
  private readonly symbols: readonly string[];
  private readonly symIndex = new Map<string, number>();
  private readonly books: OrderBook[] = [];
  private readonly tickSizes: number[] = [];
  private readonly stepSizes: number[] = [];
  /** Step / tick sizes as exact ratios (see the SDK's gridScale). */
  private readonly scales: GridScale[] = [];
  private readonly tickScales: GridScale[] = [];
  /** Resting orders per symbol, in arrival order (closed ones are compacted away after each call). */
  private readonly resting: SimOrder[][] = [];
  /**
   * Price range of the resting buys / sells per symbol, as bounds half a tick outside the lowest
   * (lo) and highest (hi) order price in ticks: [(lo − ½)·tick, (hi + ½)·tick), the prices that
   * `Math.round(price / tick)` puts in [lo, hi]. So the hot paths' early exit compares the
   * event's price without dividing it. +Infinity / −Infinity when there is no such order. May
   * be wider than the open orders during a call (closed orders are dropped at its end), never
   * narrower.
   */
  private readonly buyLoPx: number[] = [];
  private readonly buyHiPx: number[] = [];
  private readonly sellLoPx: number[] = [];
  private readonly sellHiPx: number[] = [];
  /** Exchange-side signed position per symbol, in lots. */
  private readonly posLots: number[] = [];
  /** Per symbol: mark price and funding rate of the latest mark-price event, and the funding time it announced. */
  private readonly markPrice: Float64Array;
  private readonly fundingRate: Float64Array;
  private readonly nextFundingTs: Float64Array;
  /** Per symbol: the last funding time settled (−Infinity before any). */
  private readonly settledFundingTs: Float64Array;
  private readonly openById = new Map<string, SimOrder>();
  /** clientOrderIds of every accepted order, open or closed. */
  private readonly usedIds = new Set<string>();
  private readonly queue: QueueModel;
  private readonly sink: (report: ExecutionReport) => void;
  private readonly fees: FeeModel;
  private readonly fullFills: boolean;
  private nextOrderId = 1;
  private closedResting = 0;
  private busy = false;

  constructor(instruments: readonly Instrument[], opts: SimulatedExchangeOptions) {
    const fills = opts.fills ?? 'partial';
    if (fills !== 'partial' && fills !== 'full') {
      throw new Error(`SimulatedExchange: fills must be 'partial' or 'full', got ${String(fills)}`);
    }
    this.instruments = instruments;
    this.symbols = instruments.map((i) => i.symbol);
    for (let s = 0; s < instruments.length; s++) {
      const inst = instruments[s]!;
      const prev = this.symIndex.get(inst.symbol);
      if (prev !== undefined) {
        throw new Error(
          `SimulatedExchange: instrument ${inst.symbol} is listed twice (indexes ${prev} and ${s}); list each symbol once`,
        );
      }
      this.symIndex.set(inst.symbol, s);
      this.books.push(new OrderBook(inst.symbol, inst.tickSize));
      this.tickSizes.push(inst.tickSize);
      this.stepSizes.push(inst.stepSize);
      this.scales.push(gridScale(inst.stepSize));
      this.tickScales.push(gridScale(inst.tickSize));
      this.resting.push([]);
      this.posLots.push(0);
      // Packed arrays of doubles (pushed, not `new Array(n)`): the hot paths' fastest reads.
      this.buyLoPx.push(Number.POSITIVE_INFINITY);
      this.buyHiPx.push(Number.NEGATIVE_INFINITY);
      this.sellLoPx.push(Number.POSITIVE_INFINITY);
      this.sellHiPx.push(Number.NEGATIVE_INFINITY);
    }
    const n = instruments.length;

    this.markPrice = new Float64Array(n).fill(Number.NaN);
    this.fundingRate = new Float64Array(n).fill(Number.NaN);
    this.nextFundingTs = new Float64Array(n).fill(Number.NaN);
    this.settledFundingTs = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    this.queue = opts.queue;
    this.sink = opts.sink;
    this.fees = opts.fees ?? instrumentFees;
    this.fullFills = fills === 'full';
  }

  // ── lookups ───────────────────────────────────────────────────────────────────────────────

  /** Index of `symbol` in the instruments array, -1 when not listed. */
  symbolIndex(symbol: string): number {
    return this.symIndex.get(symbol) ?? -1;
  }

  /** The exchange-side book of instrument `sym` (read-only view). */
  book(sym: number): OrderBookView {
    const b = this.books[sym];
    if (b === undefined) throw badSym(sym, this.books.length);
    return b;
  }

  /** Exchange-side signed position of instrument `sym` (+ long, − short), from our fills. */
  position(sym: number): number {
    const p = this.posLots[sym];
    const scale = this.scales[sym];
    if (p === undefined || scale === undefined) throw badSym(sym, this.posLots.length);
    return lotsToQty(p, scale);
  }

  /**
   * Sets the exchange-side position of instrument `sym` (a paper account resumed after a
   * restart); rounded to whole lots. Reduce-only checks and funding use it from now on.
   */
  setPosition(sym: number, qty: number): void {
    if (this.posLots[sym] === undefined) throw badSym(sym, this.posLots.length);
    this.posLots[sym] = Math.round(qty / this.stepSizes[sym]!);
  }

  /** Orders accepted and not yet filled, canceled or expired, over all symbols. */
  openOrderCount(): number {
    return this.openById.size;
  }

  // ── market data (hot paths) ───────────────────────────────────────────────────────────────

  /**
   * One level of a depth message: absolute size `qty` at `price` on `side` (1 bid, -1 ask;
   * 0 removes the level). `isSnapshotStart` on the first level of a snapshot clears the book.
   * Then, for our resting orders: the queue model sees the size change at their own price, and
   * an opposite level with qty > 0 that crosses an order's price fills it whole as maker.
   * SIMPLIFICATION: a snapshot that omits an order's level leaves its queue estimate unchanged
   * (snapshots are depth-limited), and the cleared level counts as size 0 before the snapshot
   * re-lists it (so the change is an increase: no queue advance).
   */
  onDepthLevel(
    sym: number,
    side: 1 | -1,
    price: number,
    qty: number,
    isSnapshotStart: boolean,
    exchTs: number,
  ): void {
    const book = this.books[sym];
    if (book === undefined) throw badSym(sym, this.books.length);
    if (isSnapshotStart) book.clear();
    // Touches an order of ours: same side at a resting price (queue), or an opposite quote at
    // or through one (crossing fill). The ranges are empty (±Infinity) without resting orders.
    if (
      side === 1
        ? (price >= this.buyLoPx[sym]! && price < this.buyHiPx[sym]!) ||
          (qty > 0 && price >= this.sellLoPx[sym]!)
        : (price >= this.sellLoPx[sym]! && price < this.sellHiPx[sym]!) ||
          (qty > 0 && price < this.buyHiPx[sym]!)
    ) {
      this.depthAtOrders(book, sym, side, price, qty, exchTs);
    } else {
      book.update(side, price, qty);
    }
  }

  /** onDepthLevel's slow path: the level may move one of our orders. */
  private depthAtOrders(
    book: OrderBook,
    sym: number,
    side: 1 | -1,
    price: number,
    qty: number,
    exchTs: number,
  ): void {
    // Same tick index as the book computes (it divides by the same tick size).
    const ticks = Math.round(price / this.tickSizes[sym]!);
    const prevQty = book.qtyAtTicks(side, ticks);
    book.updateTicks(side, ticks, qty);
    this.enter();
    try {
      const orders = this.resting[sym]!;
      const step = this.stepSizes[sym]!;
      const n = orders.length;
      for (let i = 0; i < n; i++) {
        const o = orders[i]!;
        if (!o.open) continue;
        if (o.side === side) {
          if (o.priceTicks === ticks)
            this.queue.onLevelChange(o, qtyToLots(prevQty, step), qtyToLots(qty, step));
        } else if (qty > 0 && (side === -1 ? ticks <= o.priceTicks : ticks >= o.priceTicks)) {
          this.fill(o, o.leavesLots, o.price, 'maker', exchTs);
        }
      }
    } finally {
      this.leave();
    }
  }

  /** A trade of `qty` at `price`; `aggressorSide` 1 = buyer took asks, -1 = seller hit bids. */
  onTrade(sym: number, aggressorSide: 1 | -1, price: number, qty: number, exchTs: number): void {
    if (!(sym >= 0 && sym < this.books.length)) throw badSym(sym, this.books.length);
    // A seller reaches buys at or above the price, a buyer sells at or below it.
    if (aggressorSide === -1 ? price < this.buyHiPx[sym]! : price >= this.sellLoPx[sym]!)
      this.tradeAtOrders(sym, aggressorSide, price, qty, exchTs);
  }

  /** onTrade's slow path: the trade may reach one of our orders. */
  private tradeAtOrders(
    sym: number,
    aggressorSide: 1 | -1,
    price: number,
    qty: number,
    exchTs: number,
  ): void {
    this.enter();
    try {
      const orders = this.resting[sym]!;
      const ticks = Math.round(price / this.tickSizes[sym]!);
      const tradeLots = qtyToLots(qty, this.stepSizes[sym]!);
      let tradeLeft = tradeLots;
      const n = orders.length;
      for (let i = 0; i < n; i++) {
        const o = orders[i]!;
        if (!o.open || o.side === aggressorSide) continue;
        if (o.priceTicks === ticks) {
          const reached = this.queue.onTrade(o, tradeLots);
          if (!(reached > 0)) continue;
          if (this.fullFills) {
            this.fill(o, o.leavesLots, o.price, 'maker', exchTs);
          } else {
            const lots = Math.min(o.leavesLots, wholeLots(reached), wholeLots(tradeLeft));
            if (lots > 0) tradeLeft -= this.fill(o, lots, o.price, 'maker', exchTs);
          }
        } else if (o.side === 1 ? ticks < o.priceTicks : ticks > o.priceTicks) {
          this.fill(o, o.leavesLots, o.price, 'maker', exchTs);
        }
      }
    } finally {
      this.leave();
    }
  }

  /**
   * Best bid / ask from the book-ticker stream: a resting buy with `askPrice ≤ price` (or a
   * sell with `bidPrice ≥ price`) fills whole as maker at its price. Sides with qty ≤ 0 are
   * ignored. Does not modify the L2 book.
   */
  onBookTicker(
    sym: number,
    bidPrice: number,
    bidQty: number,
    askPrice: number,
    askQty: number,
    exchTs: number,
  ): void {
    if (!(sym >= 0 && sym < this.books.length)) throw badSym(sym, this.books.length);
    if ((askQty > 0 && askPrice < this.buyHiPx[sym]!) || (bidQty > 0 && bidPrice >= this.sellLoPx[sym]!))
      this.tickerAtOrders(sym, bidPrice, bidQty, askPrice, askQty, exchTs);
  }

  /** onBookTicker's slow path: a quote may cross one of our orders. */
  private tickerAtOrders(
    sym: number,
    bidPrice: number,
    bidQty: number,
    askPrice: number,
    askQty: number,
    exchTs: number,
  ): void {
    this.enter();
    try {
      const orders = this.resting[sym]!;
      const tick = this.tickSizes[sym]!;
      // NaN for an empty side: NaN comparisons are false.
      const bidTicks = bidQty > 0 ? Math.round(bidPrice / tick) : Number.NaN;
      const askTicks = askQty > 0 ? Math.round(askPrice / tick) : Number.NaN;
      const n = orders.length;
      for (let i = 0; i < n; i++) {
        const o = orders[i]!;
        if (o.open && (o.side === 1 ? askTicks <= o.priceTicks : bidTicks >= o.priceTicks)) {
          this.fill(o, o.leavesLots, o.price, 'maker', exchTs);
        }
      }
    } finally {
      this.leave();
    }
  }

  /**
   * A mark-price event (markPrice stream) at exchange time `exchTs`, announcing the funding
   * rate and the next funding time T. Funding settles once per announced T, when the first
   * mark-price event at or after T arrives, on the exchange-side position at that moment and
   * with the mark price and rate of the last mark-price event before T (the one before this):
   *
   *   amount = positionQty × markPrice × rate × contractSize   (rounded to 1e-8; > 0 = paid)
   *
   * so with a positive rate longs pay and shorts receive. A `funding` report with exchTs = T
   * goes to the sink when the position is not flat. Then this event's mark price, rate and
   * next funding time become the current ones (a non-finite value keeps the previous one).
   * A funding time no mark-price event ever announced (a data gap across it) is not settled.
   */
  onMarkPrice(
    sym: number,
    markPrice: number,
    fundingRate: number,
    nextFundingTs: number,
    exchTs: number,
  ): void {
    const pos = this.posLots[sym];
    if (pos === undefined) throw badSym(sym, this.posLots.length);
    const due = this.nextFundingTs[sym]!;
    if (exchTs >= due && due > this.settledFundingTs[sym]!) {
      this.settledFundingTs[sym] = due;
      if (pos !== 0) this.settleFunding(sym, pos, due);
    }
    if (Number.isFinite(markPrice)) this.markPrice[sym] = markPrice;
    if (Number.isFinite(fundingRate)) this.fundingRate[sym] = fundingRate;
    if (Number.isFinite(nextFundingTs)) this.nextFundingTs[sym] = nextFundingTs;
  }

  // ── commands ──────────────────────────────────────────────────────────────────────────────

  /** A new order arriving at the exchange at `exchTs`. Never throws on a bad order: it reports. */
  submit(cmd: OrderCommand, exchTs: number): void {
    this.enter();
    try {
      this.accept(cmd, exchTs);
    } finally {
      this.leave();
    }
  }

  /** A cancel arriving at `exchTs`: `canceled`, or `cancelRejected` (-2011) for an unknown or closed order. */
  cancel(cmd: CancelCommand, exchTs: number): void {
    this.enter();
    try {
      const o = this.openById.get(cmd.clientOrderId);
      if (o === undefined || this.symbols[o.sym] !== cmd.symbol) {
        this.sink({
          kind: 'cancelRejected',
          clientOrderId: cmd.clientOrderId,
          reason: UNKNOWN_ORDER,
          exchTs,
        });
        return;
      }
      this.close(o);
      this.sink({ kind: 'canceled', clientOrderId: o.clientOrderId, exchTs });
    } finally {
      this.leave();
    }
  }

  /**
   * A modify (Binance order.modify) arriving at `exchTs`: new limit price and new TOTAL
   * quantity (filled part included) for a resting limit order. Refusals (`modifyRejected`,
   * the order stays exactly as it was), checked in this order:
   * - unknown, closed or other-symbol order: UNKNOWN_ORDER (-2013 "Order does not exist.");
   * - side not the order's: MODIFY_REJECTED;
   * - the SDK's `validateOrder` on the new price and quantity (tick, step, min/max qty, min
   *   notional; reduce-only exempt from min notional): its reason;
   * - new quantity ≤ the filled quantity: MODIFY_REJECTED;
   * - neither price nor quantity changes: MODIFY_REJECTED (-5027 "No need to modify the order.");
   * - a GTX order whose requeue (below) would cross the book: POST_ONLY_WOULD_CROSS (-5022).
   * Otherwise `modified` with the new price and total quantity, then:
   * - quantity decrease at the same price: the order keeps its queue place (ahead unchanged);
   * - price change or quantity increase: the order loses its place and re-enters as a new GTC /
   *   GTX arrival at its (new) price would: a GTC takes the crossing part as taker (fills after
   *   `modified`), and the remainder queues behind the whole level (queue model `onAccept`) and
   *   behind our other resting orders.
   * SIMPLIFICATION vs Binance: Binance CANCELS the order when the new quantity ≤ executed
   * quantity or a GTX modify would cross; here it is refused and the order stays.
   */
  modify(cmd: ModifyCommand, exchTs: number): void {
    this.enter();
    try {
      this.amend(cmd, exchTs);
    } finally {
      this.leave();
    }
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  /** The first reason the exchange refuses `cmd` before accepting it, or undefined. */
  private refusal(cmd: OrderCommand): RejectReason | undefined {
    const sym = this.symIndex.get(cmd.symbol);
    if (sym === undefined) return unknownSymbol(cmd.symbol, this.symbols);
    if (this.usedIds.has(cmd.clientOrderId)) return DUPLICATE_CLIENT_ID;
    const book = this.books[sym]!;
    const side: 1 | -1 = cmd.side === 'buy' ? 1 : -1;
    const isMarket = cmd.type === 'market';
    const refPrice = isMarket ? (side === 1 ? book.bestAsk() : book.bestBid()) : cmd.price;
    const check = validateOrder(this.instruments[sym]!, cmd, refPrice);
    if (!check.ok) return check.reason;
    if (cmd.reduceOnly && this.reducibleLots(sym, side) === 0) return REDUCE_ONLY_REJECTED;
    if (!isMarket && cmd.timeInForce === 'GTX' && this.crossesBook(sym, side, cmd.price))
      return POST_ONLY_REJECTED;
    return undefined;
  }

  private accept(cmd: OrderCommand, exchTs: number): void {
    const id = cmd.clientOrderId;
    const reason = this.refusal(cmd);
    if (reason !== undefined) {
      this.sink({ kind: 'rejected', clientOrderId: id, reason, exchTs });
      return;
    }
    const sym = this.symIndex.get(cmd.symbol)!;
    const inst = this.instruments[sym]!;
    const side: 1 | -1 = cmd.side === 'buy' ? 1 : -1;
    const isMarket = cmd.type === 'market';
    const tif = cmd.timeInForce;
    const priceTicks = isMarket ? Number.NaN : Math.round(cmd.price / inst.tickSize);

    const o = new SimOrder(
      id,
      String(this.nextOrderId++),
      sym,
      side,
      // The limit price as the exact decimal on the tick grid (float noise in `cmd.price` dropped).
      isMarket ? Number.NaN : lotsToQty(priceTicks, this.tickScales[sym]!),
      priceTicks,
      Math.round(cmd.qty / inst.stepSize),
      tif,
      cmd.reduceOnly,
    );
    this.usedIds.add(id);
    this.openById.set(id, o);
    this.sink({ kind: 'accepted', clientOrderId: id, exchangeOrderId: o.exchangeOrderId, exchTs });

    if (isMarket) {
      this.take(o, side === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, exchTs);
      this.expireTaker(o, exchTs);
      return;
    }
    switch (tif) {
      case 'IOC':
        this.take(o, priceTicks, exchTs);
        this.expireTaker(o, exchTs);
        return;
      case 'FOK':
        if (this.canFillWhole(o)) this.take(o, priceTicks, exchTs);
        else this.expire(o, FOK_NOT_FILLED, exchTs);
        return;
      case 'GTC':
        this.takeThenRest(o, exchTs);
        return;
      default:
        this.rest(o);
    }
  }

  /** A GTC's arrival: take the crossing part, then rest the remainder (or expire a reduce-only with nothing left to reduce). */
  private takeThenRest(o: SimOrder, exchTs: number): void {
    this.take(o, o.priceTicks, exchTs);
    if (!o.open) return;
    if (o.reduceOnly && this.reducibleLots(o.sym, o.side) === 0) this.expire(o, REDUCE_ONLY_EXPIRED, exchTs);
    else this.rest(o);
  }

  /** See {@link SimulatedExchange.modify}. */
  private amend(cmd: ModifyCommand, exchTs: number): void {
    const id = cmd.clientOrderId;
    const o = this.openById.get(id);
    if (o === undefined || !o.resting || this.symbols[o.sym] !== cmd.symbol) {
      this.sink({ kind: 'modifyRejected', clientOrderId: id, reason: ORDER_DOES_NOT_EXIST, exchTs });
      return;
    }
    const reason = this.modifyRefusal(o, cmd);
    if (reason !== undefined) {
      this.sink({ kind: 'modifyRejected', clientOrderId: id, reason, exchTs });
      return;
    }
    const sym = o.sym;
    const newTicks = Math.round(cmd.price / this.tickSizes[sym]!);
    const newLots = Math.round(cmd.qty / this.stepSizes[sym]!);
    const requeue = newTicks !== o.priceTicks || newLots > o.qtyLots;
    o.priceTicks = newTicks;
    o.price = lotsToQty(newTicks, this.tickScales[sym]!);
    o.qtyLots = newLots;
    this.sink({
      kind: 'modified',
      clientOrderId: id,
      price: o.price,
      qty: lotsToQty(newLots, this.scales[sym]!),
      exchTs,
    });
    if (!requeue) return;
    this.unrest(o);
    if (o.timeInForce === 'GTC') this.takeThenRest(o, exchTs);
    else this.rest(o);
    this.recomputeRange(sym);
  }

  /** The first reason a modify of the resting order `o` is refused, or undefined. */
  private modifyRefusal(o: SimOrder, cmd: ModifyCommand): RejectReason | undefined {
    const sideName = o.side === 1 ? 'buy' : 'sell';
    if (cmd.side !== sideName) return modifySideMismatch(String(cmd.side), sideName);
    const sym = o.sym;
    const check = validateOrder(this.instruments[sym]!, {
      symbol: cmd.symbol,
      side: cmd.side,
      type: 'limit',
      qty: cmd.qty,
      price: cmd.price,
      timeInForce: o.timeInForce,
      reduceOnly: o.reduceOnly,
    });
    if (!check.ok) return check.reason;
    const newTicks = Math.round(cmd.price / this.tickSizes[sym]!);
    const newLots = Math.round(cmd.qty / this.stepSizes[sym]!);
    if (newLots <= o.filledLots) {
      const scale = this.scales[sym]!;
      return modifyQtyNotAboveFilled(lotsToQty(newLots, scale), lotsToQty(o.filledLots, scale));
    }
    if (newTicks === o.priceTicks && newLots === o.qtyLots) return NO_NEED_TO_MODIFY;
    const requeue = newTicks !== o.priceTicks || newLots > o.qtyLots;
    if (requeue && o.timeInForce === 'GTX' && this.crossesBook(sym, o.side, cmd.price))
      return POST_ONLY_REJECTED;
    return undefined;
  }

  /** Whether a limit at `price` would take liquidity: buy ≥ best ask, sell ≤ best bid (in ticks). */
  private crossesBook(sym: number, side: 1 | -1, price: number): boolean {
    const book = this.books[sym]!;
    const tick = this.tickSizes[sym]!;
    const priceTicks = Math.round(price / tick);
    // An empty side gives NaN, and NaN comparisons are false: nothing to cross.
    return side === 1
      ? Math.round(book.bestAsk() / tick) <= priceTicks
      : Math.round(book.bestBid() / tick) >= priceTicks;
  }

  /**
   * Walks the opposite side from the best level while it is within `limitTicks`, one taker
   * fill per level: `lots = min(whole lots at the level, leaves)` at the level's price.
   * Stops when the order is filled, the limit is passed, or a reduce-only has nothing left to
   * reduce. The book is not modified (no market impact).
   */
  private take(o: SimOrder, limitTicks: number, exchTs: number): void {
    const book = this.books[o.sym]!;
    const tick = this.tickSizes[o.sym]!;
    const step = this.stepSizes[o.sym]!;
    if (o.side === 1) {
      const n = book.askLevels;
      for (let i = 0; o.open && i < n; i++) {
        const price = book.askPrice(i);
        if (Math.round(price / tick) > limitTicks) break;
        const lots = Math.min(wholeLots(qtyToLots(book.askQty(i), step)), o.leavesLots);
        if (lots > 0 && this.fill(o, lots, price, 'taker', exchTs) === 0) break;
      }
    } else {
      const n = book.bidLevels;
      for (let i = 0; o.open && i < n; i++) {
        const price = book.bidPrice(i);
        if (Math.round(price / tick) < limitTicks) break;
        const lots = Math.min(wholeLots(qtyToLots(book.bidQty(i), step)), o.leavesLots);
        if (lots > 0 && this.fill(o, lots, price, 'taker', exchTs) === 0) break;
      }
    }
  }

  /** FOK test: `Σ whole lots of opposite levels within the limit ≥ qty` (and ≤ the position if reduce-only). */
  private canFillWhole(o: SimOrder): boolean {
    if (o.reduceOnly && this.reducibleLots(o.sym, o.side) < o.qtyLots) return false;
    const book = this.books[o.sym]!;
    const tick = this.tickSizes[o.sym]!;
    const step = this.stepSizes[o.sym]!;
    const buy = o.side === 1;
    const n = buy ? book.askLevels : book.bidLevels;
    let sum = 0;
    for (let i = 0; i < n && sum < o.qtyLots; i++) {
      const ticks = Math.round((buy ? book.askPrice(i) : book.bidPrice(i)) / tick);
      if (buy ? ticks > o.priceTicks : ticks < o.priceTicks) break;
      sum += wholeLots(qtyToLots(buy ? book.askQty(i) : book.bidQty(i), step));
    }
    return sum >= o.qtyLots;
  }

  /** Expires what a market / IOC order could not take. */
  private expireTaker(o: SimOrder, exchTs: number): void {
    if (!o.open) return;
    if (o.reduceOnly && this.reducibleLots(o.sym, o.side) === 0) {
      this.expire(o, REDUCE_ONLY_EXPIRED, exchTs);
      return;
    }
    const scale = this.scales[o.sym]!;
    const what = Number.isNaN(o.price) ? 'market order' : `IOC order at ${o.price}`;
    const leaves = lotsToQty(o.leavesLots, scale);
    const message =
      o.filledLots === 0
        ? `${what} expired unfilled: no liquidity to take${Number.isNaN(o.price) ? '' : ' at or better than its price'}`
        : `${what} expired with ${leaves} unfilled after taking all the liquidity it could`;
    this.expire(o, iocNotFilled(message), exchTs);
  }

  /** Puts a GTC / GTX remainder in the queue behind the whole level at its price, and behind our resting orders. */
  private rest(o: SimOrder): void {
    const sym = o.sym;
    const levelQty = this.books[sym]!.qtyAtTicks(o.side, o.priceTicks);
    this.queue.onAccept(o, qtyToLots(levelQty, this.stepSizes[sym]!));
    o.resting = true;
    this.resting[sym]!.push(o);
    const tick = this.tickSizes[sym]!;
    const lo = (o.priceTicks - 0.5) * tick;
    const hi = (o.priceTicks + 0.5) * tick;
    if (o.side === 1) {
      if (lo < this.buyLoPx[sym]!) this.buyLoPx[sym] = lo;
      if (hi > this.buyHiPx[sym]!) this.buyHiPx[sym] = hi;
    } else {
      if (lo < this.sellLoPx[sym]!) this.sellLoPx[sym] = lo;
      if (hi > this.sellHiPx[sym]!) this.sellHiPx[sym] = hi;
    }
  }

  /** Takes an open order out of its symbol's resting list (it keeps its place nowhere). */
  private unrest(o: SimOrder): void {
    const orders = this.resting[o.sym]!;
    const i = orders.indexOf(o);
    if (i >= 0) orders.splice(i, 1);
    o.resting = false;
  }

  /** Recomputes the price ranges of the open resting buys and sells of `sym`. */
  private recomputeRange(sym: number): void {
    let buyLo = Number.POSITIVE_INFINITY;
    let buyHi = Number.NEGATIVE_INFINITY;
    let sellLo = Number.POSITIVE_INFINITY;
    let sellHi = Number.NEGATIVE_INFINITY;
    const orders = this.resting[sym]!;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i]!;
      if (!o.open) continue;
      const t = o.priceTicks;
      if (o.side === 1) {
        if (t < buyLo) buyLo = t;
        if (t > buyHi) buyHi = t;
      } else {
        if (t < sellLo) sellLo = t;
        if (t > sellHi) sellHi = t;
      }
    }
    // ±Infinity (no order) stays ±Infinity.
    const tick = this.tickSizes[sym]!;
    this.buyLoPx[sym] = (buyLo - 0.5) * tick;
    this.buyHiPx[sym] = (buyHi + 0.5) * tick;
    this.sellLoPx[sym] = (sellLo - 0.5) * tick;
    this.sellHiPx[sym] = (sellHi + 0.5) * tick;
  }

  /**
   * Executes `lots` of `o` at `price` (capped at the position for reduce-only) and reports the
   * fill; returns the lots executed (0 when a reduce-only has nothing to reduce).
   */
  private fill(o: SimOrder, lots: number, price: number, liquidity: Liquidity, exchTs: number): number {
    const sym = o.sym;
    if (o.reduceOnly) {
      const cap = this.reducibleLots(sym, o.side);
      if (lots > cap) lots = cap;
    }
    if (!(lots > 0)) return 0;
    o.filledLots += lots;
    this.posLots[sym]! += o.side * lots;
    const leaves = o.qtyLots - o.filledLots;
    if (leaves === 0) this.close(o);
    const scale = this.scales[sym]!;
    const qty = lotsToQty(lots, scale);
    this.sink({
      kind: 'fill',
      clientOrderId: o.clientOrderId,
      price,
      qty,
      fee: this.fees.fee(this.instruments[sym]!, price, qty, liquidity),
      liquidity,
      leavesQty: lotsToQty(leaves, scale),
      exchTs,
    });
    this.expireStaleReduceOnly(sym, exchTs);
    return lots;
  }

  /** Reports funding at funding time `fundingTs` on a position of `pos` lots (see onMarkPrice). */
  private settleFunding(sym: number, pos: number, fundingTs: number): void {
    const inst = this.instruments[sym]!;
    const markPrice = this.markPrice[sym]!;
    const rate = this.fundingRate[sym]!;
    const positionQty = lotsToQty(pos, this.scales[sym]!);
    this.enter();
    try {
      this.sink({
        kind: 'funding',
        symbol: inst.symbol,
        markPrice,
        rate,
        positionQty,
        amount: tradeFee(markPrice, positionQty, inst.contractSize, rate),
        exchTs: fundingTs,
      });
    } finally {
      this.leave();
    }
  }

  /** After a fill: resting reduce-only orders with nothing left to reduce expire (Binance cancels them). */
  private expireStaleReduceOnly(sym: number, exchTs: number): void {
    const orders = this.resting[sym]!;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i]!;
      if (o.open && o.reduceOnly && this.reducibleLots(sym, o.side) === 0)
        this.expire(o, REDUCE_ONLY_EXPIRED, exchTs);
    }
  }

  /** Lots a reduce-only order on `side` may still execute: the opposite position's size. */
  private reducibleLots(sym: number, side: 1 | -1): number {
    const p = this.posLots[sym]!;
    return side === 1 ? (p < 0 ? -p : 0) : Math.max(p, 0);
  }

  private expire(o: SimOrder, reason: RejectReason, exchTs: number): void {
    this.close(o);
    this.sink({ kind: 'expired', clientOrderId: o.clientOrderId, reason, exchTs });
  }

  private close(o: SimOrder): void {
    o.open = false;
    this.openById.delete(o.clientOrderId);
    if (o.resting) this.closedResting++;
  }

  private enter(): void {
    if (this.busy) {
      throw new Error(
        'SimulatedExchange was called from its own report sink; deliver reports asynchronously (the kernel queues them)',
      );
    }
    this.busy = true;
  }

  /**
   * Ends a call: drops closed orders from the resting lists (in place, keeping arrival order)
   * and narrows those symbols' price ranges to the orders left.
   */
  private leave(): void {
    this.busy = false;
    if (this.closedResting === 0) return;
    this.closedResting = 0;
    for (let s = 0; s < this.resting.length; s++) {
      const orders = this.resting[s]!;
      let k = 0;
      for (let i = 0; i < orders.length; i++) {
        const o = orders[i]!;
        if (o.open) orders[k++] = o;
        else o.resting = false;
      }
      if (k === orders.length) continue;
      orders.length = k;
      this.recomputeRange(s);
    }
  }
}
