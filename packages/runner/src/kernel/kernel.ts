import type {
  BookTicker,
  DepthUpdate,
  Exchange,
  ExecutionReport,
  Fill,
  Instrument,
  JsonValue,
  MarketEvent,
  MarkPrice,
  Micros,
  OpenInterest,
  Order,
  RiskConfig,
  RunMode,
  Strategy,
  StrategyDefinition,
  Trade,
} from '@botplatform/sdk';
import { LegBook } from '@botplatform/sdk';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { EventBus } from './event-bus.js';
import { ExecutionEngine, type ExecutionListener } from './execution-engine.js';
import { MarketDataEngine } from './market-data-engine.js';
import { Portfolio } from './portfolio.js';
import { kernelRiskState, RiskEngine } from './risk-engine.js';
import { Scheduler } from './scheduler.js';
import { SignalsEngine } from './signals-engine.js';
import { createStrategyContext } from './strategy-context.js';
import { StrategyError } from './strategy-error.js';
import { SNAPSHOT_VERSION, type StrategySnapshot } from './strategy-snapshot.js';

export interface KernelOptions {
  readonly mode: RunMode;
  readonly clock: Clock;
  readonly instruments: readonly Instrument[];
  readonly venue: Exchange;
  readonly strategy: StrategyDefinition;
  /** Params already validated against the strategy's schema. */
  readonly params: Record<string, unknown>;
  readonly logger: Logger;
  readonly bus?: EventBus;
  /** The run config's `risk` section, parsed with riskConfigSchema; absent = exchange filters only. */
  readonly risk?: RiskConfig;
  /** Resume a strategy from a snapshot (a live restart): its ctx.state and its signals' state. */
  readonly restore?: StrategySnapshot;
  /**
   * Generated clientOrderIds are `<prefix>-<next>`, `<prefix>-<next+1>`, …; default `bp` from 1.
   * Live runs pass their state file's prefix and count, so ids are never reused across restarts.
   */
  readonly orderIds?: { readonly prefix: string; readonly next: number };
}

type Callback = keyof Strategy;

/**
 * The one kernel every mode runs (DESIGN "One kernel"): a clock, an ordered queue of due
 * work, the engines in the order market data → strategy → risk → execution, and a typed bus.
 * It lives entirely in local time. A backtest driver or a live adapter feeds it market data
 * and venue reports as they arrive locally and calls `runDue` to let timers and deferred
 * updates fire; strategy callbacks are synchronous and run to completion, never re-entered.
 */
export class Kernel implements ExecutionListener {
  readonly mode: RunMode;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly instruments: readonly Instrument[];
  readonly marketData: MarketDataEngine;
  readonly portfolio: Portfolio;
  readonly risk: RiskEngine;
  readonly execution: ExecutionEngine;
  readonly scheduler = new Scheduler();
  readonly signals: SignalsEngine;
  /** The strategy's legs (ctx.legs); fills tagged with a leg's id reach it before onFill. */
  readonly legs = new LegBook();
  readonly log: Logger;
  private readonly strategyName: string;
  private readonly definition: StrategyDefinition;
  private readonly params: Record<string, unknown>;
  private handlers: Strategy;
  private state: Record<string, JsonValue> = {};
  /** Restart the strategy at the first quiet book update at or after this local time (tests, checkpoints). */
  private restartAt = Number.POSITIVE_INFINITY;
  /** Next local time a `sample` is published (sampleEvery); +∞ when nobody samples. */
  private nextSampleTs = Number.POSITIVE_INFINITY;
  private sampleEveryUs = 0;
  /** Local time of the last in-run restart; NaN if none. */
  restartedAt = Number.NaN;
  private readonly symIndex = new Map<string, number>();
  /** Live generation per timer name; heap entries of other generations are stale. */
  private readonly timerGen = new Map<string, number>();
  private timerSeq = 0;
  /** Order updates and fills not yet delivered (see drain). */
  private readonly announcements: Array<Order | Fill> = [];
  private draining = false;
  /** Strategy callbacks on the stack. */
  private depth = 0;
  /** Values recorded with ctx.emit. */
  emitted = 0;

  constructor(opts: KernelOptions) {
    this.mode = opts.mode;
    this.clock = opts.clock;
    this.bus = opts.bus ?? new EventBus();
    this.instruments = opts.instruments;
    this.log = opts.logger;
    this.strategyName = opts.strategy.name;
    opts.instruments.forEach((inst, i) => {
      this.symIndex.set(inst.symbol, i);
    });
    this.marketData = new MarketDataEngine(opts.instruments);
    this.portfolio = new Portfolio(opts.instruments);
    this.risk = new RiskEngine(opts.risk, { warn: (msg, details) => this.log.warn(details, msg) });
    this.execution = new ExecutionEngine(
      opts.instruments,
      opts.venue,
      this.risk,
      this.portfolio,
      this,
      this.log,
      opts.orderIds?.prefix,
      opts.orderIds?.next,
    );
    this.risk.attach(
      kernelRiskState(this.clock, opts.instruments, this.portfolio, this.marketData, this.execution),
    );
    this.signals = new SignalsEngine(opts.instruments.length);
    this.definition = opts.strategy;
    this.params = opts.params;
    this.handlers = this.createStrategy(opts.restore);
  }

  /**
   * Builds the strategy: a fresh ctx (with the snapshot's state, if any) and `create()`. The
   * signals it registers take the snapshot's saved states in registration order.
   */
  private createStrategy(snapshot: StrategySnapshot | undefined): Strategy {
    if (snapshot !== undefined && snapshot.strategy !== this.strategyName) {
      throw new StrategyError(
        this.strategyName,
        'create',
        this.clock.now(),
        new Error(`the saved state belongs to strategy ${snapshot.strategy}, not ${this.strategyName}`),
      );
    }
    this.state = snapshot ? (JSON.parse(JSON.stringify(snapshot.state)) as Record<string, JsonValue>) : {};
    this.signals.reset(snapshot?.signals);
    const ctx = createStrategyContext(this, this.state);
    let handlers: Strategy;
    try {
      handlers = this.definition.create(ctx, this.params);
      this.signals.finishRestore();
    } catch (err) {
      throw new StrategyError(this.strategyName, 'create', this.clock.now(), err);
    }
    if (typeof handlers !== 'object' || handlers === null) {
      throw new StrategyError(
        this.strategyName,
        'create',
        this.clock.now(),
        new Error('create() must return an object of callbacks'),
      );
    }
    return handlers;
  }

  /** The strategy's resumable state now: ctx.state and its signals (a deep, JSON-safe copy). */
  snapshotStrategy(): StrategySnapshot {
    return JSON.parse(
      JSON.stringify({
        version: SNAPSHOT_VERSION,
        strategy: this.strategyName,
        ts: this.clock.now(),
        state: this.state,
        signals: this.signals.snapshot(),
      }),
    ) as StrategySnapshot;
  }

  /**
   * Restarts the strategy in place, as a process restart would: its snapshot goes through
   * JSON, the old instance with its timers, signals and legs is dropped, a new one is created
   * from the snapshot and started. Positions, open orders and market state stay (they are the
   * exchange's).
   */
  restartStrategy(): void {
    const snapshot = JSON.parse(JSON.stringify(this.snapshotStrategy())) as StrategySnapshot;
    this.timerGen.clear(); // pending timer entries become stale
    this.legs.clear();
    this.handlers = this.createStrategy(snapshot);
    this.restartedAt = this.clock.now();
    this.call('onStart');
  }

  /**
   * Restart the strategy (restartStrategy) on the first book update at or after `ts` when it
   * has no open orders: a checkpoint whose continuation must make the same decisions as the
   * uninterrupted run.
   */
  restartWhenQuietAfter(ts: Micros): void {
    this.restartAt = ts;
  }

  sym(symbol: string): number {
    const i = this.symIndex.get(symbol);
    if (i === undefined)
      throw new Error(`unknown symbol ${symbol}; this run trades ${[...this.symIndex.keys()].join(', ')}`);
    return i;
  }

  start(): void {
    this.call('onStart');
  }

  /** Calls onStop; the strategy's timers end with it (a live run still applies reports after this). */
  stop(): void {
    this.call('onStop');
    this.timerGen.clear();
  }

  /** Time of the next timer, report or deferred update; +Infinity when none. */
  nextDueTs(): Micros {
    return this.scheduler.nextTs();
  }

  /** Runs every scheduled item due at or before `ts`, in (time, scheduling order). */
  runDue(ts: Micros): void {
    this.drain(); // anything announced outside a callback (e.g. ctx used from onStart's caller)
    while (this.scheduler.nextTs() <= ts) {
      const item = this.scheduler.pop()!;
      this.advance(item.ts);
      switch (item.kind) {
        case 'report':
          this.execution.onReport(item.report, item.ts);
          this.drain(); // its callbacks run before the next report is applied
          break;
        case 'timer':
          if (this.timerGen.get(item.name) !== item.generation) break; // replaced or cleared
          if (item.everyUs > 0) this.scheduler.push({ ...item, ts: item.ts + item.everyUs });
          else this.timerGen.delete(item.name);
          this.call('onTimer', item.name);
          break;
      }
    }
  }

  /**
   * Publishes `sample` on the bus on the first book update at or after each multiple of
   * `everyUs` of local time (equity curves, price series of the run store); `0` = on every
   * book update (tick level).
   */
  sampleEvery(everyUs: Micros): void {
    if (!(everyUs >= 0)) throw new RangeError(`sampleEvery: everyUs must be ≥ 0, got ${everyUs}`);
    this.sampleEveryUs = everyUs;
    this.nextSampleTs =
      everyUs > 0 ? Math.floor(this.clock.now() / everyUs) * everyUs : Number.NEGATIVE_INFINITY;
  }

  // ---- market data, local side (hot path: scalars in, objects only if the strategy listens)

  depthRow(
    sym: number,
    side: 1 | -1,
    price: number,
    qty: number,
    flags: number,
    seq: number,
    prevSeq: number,
    exchTs: Micros,
    localTs: Micros,
  ): void {
    this.advance(localTs);
    if (!this.marketData.depthRow(sym, side, price, qty, flags, seq, prevSeq, exchTs, localTs)) return;
    this.afterBook(sym);
  }

  trade(
    sym: number,
    side: 1 | -1,
    price: number,
    qty: number,
    tradeId: number,
    exchTs: Micros,
    localTs: Micros,
  ): void {
    this.advance(localTs);
    const signals = this.signals.wantsTrades(sym);
    if (this.handlers.onTrade === undefined && !signals) return;
    const inst = this.instruments[sym]!;
    const trade: Trade = {
      type: 'trade',
      exchange: inst.exchange,
      symbol: inst.symbol,
      exchTs,
      localTs,
      tradeId,
      price,
      qty,
      side: side > 0 ? 'buy' : 'sell',
    };
    if (signals) this.signals.onTrade(sym, trade);
    this.call('onTrade', trade);
  }

  bookTicker(
    sym: number,
    bidPrice: number,
    bidQty: number,
    askPrice: number,
    askQty: number,
    seq: number,
    exchTs: Micros,
    localTs: Micros,
  ): void {
    this.advance(localTs);
    if (this.handlers.onBookTicker === undefined) return;
    const inst = this.instruments[sym]!;
    const quote: BookTicker = {
      type: 'bookTicker',
      exchange: inst.exchange,
      symbol: inst.symbol,
      exchTs,
      localTs,
      seq,
      bidPrice,
      bidQty,
      askPrice,
      askQty,
    };
    this.call('onBookTicker', quote);
  }

  markPrice(
    sym: number,
    markPrice: number,
    indexPrice: number,
    fundingRate: number,
    nextFundingTs: Micros,
    exchTs: Micros,
    localTs: Micros,
  ): void {
    this.advance(localTs);
    this.portfolio.setMarkPrice(sym, markPrice);
    this.signals.setMark(sym, markPrice);
    if (this.handlers.onMarkPrice === undefined) return;
    const inst = this.instruments[sym]!;
    const mark: MarkPrice = {
      type: 'markPrice',
      exchange: inst.exchange,
      symbol: inst.symbol,
      exchTs,
      localTs,
      markPrice,
      indexPrice,
      fundingRate,
      nextFundingTs,
    };
    this.call('onMarkPrice', mark);
  }

  openInterest(sym: number, openInterest: number, exchTs: Micros, localTs: Micros): void {
    this.advance(localTs);
    const signals = this.signals.wantsOpenInterest(sym);
    if (this.handlers.onOpenInterest === undefined && !signals) return;
    const inst = this.instruments[sym]!;
    const oi: OpenInterest = {
      type: 'openInterest',
      exchange: inst.exchange,
      symbol: inst.symbol,
      exchTs,
      localTs,
      openInterest,
    };
    if (signals) this.signals.onOpenInterest(sym, oi);
    this.call('onOpenInterest', oi);
  }

  /** Object form for live adapters; same effects as the row form. */
  onMarketEvent(e: MarketEvent): void {
    const sym = this.symIndex.get(e.symbol);
    if (sym === undefined) return;
    switch (e.type) {
      case 'depth':
        this.applyDepthMessage(sym, e);
        return;
      case 'trade':
        this.trade(sym, e.side === 'buy' ? 1 : -1, e.price, e.qty, e.tradeId, e.exchTs, e.localTs);
        return;
      case 'bookTicker':
        this.bookTicker(sym, e.bidPrice, e.bidQty, e.askPrice, e.askQty, e.seq, e.exchTs, e.localTs);
        return;
      case 'markPrice':
        this.markPrice(sym, e.markPrice, e.indexPrice, e.fundingRate, e.nextFundingTs, e.exchTs, e.localTs);
        return;
      case 'openInterest':
        this.openInterest(sym, e.openInterest, e.exchTs, e.localTs);
        return;
    }
  }

  /** A venue report that has arrived locally at `localTs` (backtests schedule it; live calls at once). */
  scheduleReport(report: ExecutionReport, localTs: Micros): void {
    this.scheduler.push({ kind: 'report', ts: localTs, report });
  }

  // ---- timers (used by the strategy context)

  setTimer(name: string, atUs: Micros, everyUs: Micros): void {
    // Generations are never reused across names or re-arms, so a stale heap entry never matches.
    const generation = ++this.timerSeq;
    this.timerGen.set(name, generation);
    this.scheduler.push({ kind: 'timer', ts: Math.max(atUs, this.clock.now()), name, generation, everyUs });
  }

  clearTimer(name: string): void {
    this.timerGen.delete(name);
  }

  emitSignal(name: string, value: number | JsonValue): void {
    this.emitted++;
    if (this.bus.hasSubscribers('signal')) this.bus.publish('signal', { name, ts: this.clock.now(), value });
  }

  // ---- ExecutionListener

  // Both are queued in one FIFO, drained when the current strategy callback returns or the
  // current report has been applied: the strategy hears changes in the order they happened,
  // never re-entered, and never sees in ctx a change it has not been told of yet.

  orderUpdate(order: Order): void {
    this.announcements.push(order);
  }

  fill(fill: Fill): void {
    this.portfolio.updateDrawdown(this.clock.now());
    if (fill.tag !== undefined) {
      try {
        this.legs.onFill(fill);
      } catch (err) {
        throw new StrategyError(this.strategyName, 'onFill (leg engine)', this.clock.now(), err);
      }
    }
    this.announcements.push(fill);
  }

  /** Delivers queued order updates and fills (and whatever they cause), in order. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      const queue = this.announcements;
      for (let i = 0; i < queue.length; i++) {
        const item = queue[i]!;
        if ('status' in item) {
          this.call('onOrderUpdate', item);
          if (this.bus.hasSubscribers('orderUpdate')) this.bus.publish('orderUpdate', item);
        } else {
          if (this.bus.hasSubscribers('fill')) this.bus.publish('fill', item);
          this.call('onFill', item);
        }
      }
      queue.length = 0;
    } finally {
      this.draining = false;
    }
  }

  // ---- internals

  private applyDepthMessage(sym: number, msg: DepthUpdate): void {
    this.advance(msg.localTs);
    this.marketData.applyDepth(sym, msg);
    this.afterBook(sym);
  }

  private afterBook(sym: number): void {
    if (this.clock.now() >= this.restartAt && this.execution.openOrders().length === 0) {
      this.restartAt = Number.POSITIVE_INFINITY;
      this.restartStrategy();
    }
    const book = this.marketData.books[sym]!;
    this.portfolio.setMid(sym, book.mid());
    if (this.portfolio.qty(sym) !== 0)
      this.risk.observeEquity(this.clock.now(), this.portfolio.updateDrawdown(this.clock.now()));
    const now = this.clock.now();
    this.signals.onBook(sym, book, now);
    if (this.handlers.onBook !== undefined) this.call('onBook', book, book.symbol);
    if (now >= this.nextSampleTs) {
      if (this.sampleEveryUs > 0)
        this.nextSampleTs = (Math.floor(now / this.sampleEveryUs) + 1) * this.sampleEveryUs;
      this.bus.publish('sample', { ts: now });
    }
  }

  private advance(ts: Micros): void {
    this.clock.advance(ts);
  }

  /**
   * Runs one strategy callback to completion, then delivers what it caused. At most two
   * arguments and no rest parameters: this runs for every event, and `...args` + `apply`
   * allocate an array each time.
   */
  private call<K extends Callback>(name: K, a?: unknown, b?: unknown): void {
    const fn = this.handlers[name] as ((a?: unknown, b?: unknown) => void) | undefined;
    if (fn === undefined) return;
    this.depth++;
    try {
      fn.call(this.handlers, a, b);
    } catch (err) {
      throw err instanceof StrategyError
        ? err
        : new StrategyError(this.strategyName, name, this.clock.now(), err);
    } finally {
      this.depth--;
    }
    if (this.depth === 0 && this.announcements.length > 0) this.drain();
  }
}
