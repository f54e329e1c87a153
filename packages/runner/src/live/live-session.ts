import {
  type Exchange,
  type ExchangeSink,
  type ExecutionReport,
  type FeedGap,
  formatMicros,
  type MarketEvent,
  type Micros,
  type Order,
  type OrderRequest,
  type RejectReason,
  rejectReason,
} from '@botplatform/sdk';
import type { Logger } from 'pino';
import type { Kernel } from '../kernel/kernel.js';
import { BookResyncGate } from './book-resync-gate.js';
import type { MissedEvents } from './reconcile.js';
import type { LiveStateStore } from './state-store.js';
import type { TimedVenue } from './timed-venue.js';
import { WakeTimer } from './wake-timer.js';

export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

export interface LiveSessionOptions {
  /** Built with a WallClock; its venue is `timed` (or `venue` itself). */
  readonly kernel: Kernel;
  /** The venue this session connects to: market data and reports come from it. */
  readonly venue: Exchange;
  /** The kernel's wrapper of `venue` that times order round trips, if any. */
  readonly timed?: TimedVenue;
  readonly symbols: readonly string[];
  readonly logger: Logger;
  /** Flushed when the session stops (the caller closes it). */
  readonly store?: LiveStateStore;
  /** Leave open orders at the exchange on stop (default: cancel them and wait for the answers). */
  readonly keepOrdersOnExit?: boolean;
  /** How long a stop waits for cancels and in-flight orders to be answered. */
  readonly stopTimeoutMs?: number;
}

/** What the reconciliation hands the session to finish the start. */
export interface Prepared {
  /** Whether a held report is already in the exchange's answer (dropped, not applied twice). */
  isStale(r: ExecutionReport): boolean;
  /** What the exchange did while the bot was down, replayed after onStart and before the held events. */
  readonly missed?: MissedEvents;
}

/**
 * Runs before the strategy starts, with the venue connected and its events held back: the
 * reconciliation.
 */
export type Prepare = () => Promise<Prepared | undefined>;

export interface StopResult {
  readonly reason: string;
  /** Orders still open when the session ended: kept on purpose, or not answered in time. */
  readonly openOrders: readonly Order[];
  /** What stopped the run if it was not asked to stop (a strategy error, a venue failure). */
  readonly error?: unknown;
  readonly stoppedAt: Micros;
}

type Held =
  | { readonly kind: 'market'; readonly event: MarketEvent }
  | { readonly kind: 'report'; readonly report: ExecutionReport; readonly at: Micros }
  | { readonly kind: 'gap'; readonly gap: FeedGap };

type Phase = 'idle' | 'holding' | 'running' | 'stopping' | 'stopped';

const SHUTDOWN: RejectReason = Object.freeze(
  rejectReason('RISK_DENIED', '[shutdown] botp live is stopping: no new orders or amends'),
);

/**
 * The live event loop: the same Kernel as a backtest, driven by a venue in wall-clock time.
 *
 * - Market events go to `kernel.onMarketEvent` as they arrive; reports are scheduled at their
 *   arrival and applied at once (`scheduleReport` + `runDue`); one real-time timer wakes the
 *   kernel for strategy timers between events.
 * - A depth gap (reported by the adapter, or a diff the kernel's book finds off the chain)
 *   pauses new orders on that symbol until a depth snapshot rebuilds its book (BookResyncGate).
 * - Until `start` has reconciled, everything the venue sends is held back, then delivered in
 *   arrival order after the strategy's onStart.
 * - `stop`: onStop, then no new orders; open orders are canceled (unless kept) and the session
 *   waits for every answer up to a timeout; then the state is flushed and the venue closed.
 * - Events arriving while the kernel is busy (a venue answering synchronously) wait until it
 *   returns: strategy callbacks are never re-entered.
 */
export class LiveSession implements ExchangeSink {
  readonly resync = new BookResyncGate();
  readonly done: Promise<StopResult>;
  /** Market events handed to the kernel. */
  marketEvents = 0;
  private resolveDone!: (r: StopResult) => void;
  private phase: Phase = 'idle';
  private held: Held[] = [];
  private readonly deferred: Array<() => void> = [];
  private busy = false;
  private readonly wake: WakeTimer;
  private stopping: Promise<StopResult> | undefined;
  /** Set the moment a stop is asked for: the strategy gets no more market data or timer wake-ups. */
  private stopRequested = false;
  private error: unknown;
  private settled: (() => void) | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: LiveSessionOptions) {
    this.log = opts.logger.child({ component: 'live' });
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.wake = new WakeTimer(opts.kernel.clock, () => {
      if (!this.stopRequested) this.enter(() => this.runDue());
    });
  }

  get state(): Phase {
    return this.phase;
  }

  /**
   * Connects the venue, runs `prepare` (reconciliation) with its events held back, starts the
   * strategy, then delivers what was held (minus the reports `prepare` says are stale).
   */
  async start(prepare?: Prepare): Promise<void> {
    if (this.phase !== 'idle') throw new Error('LiveSession.start: already started');
    this.phase = 'holding';
    await this.opts.venue.connect(this, this.opts.symbols);
    const prepared = prepare ? await prepare() : undefined;
    if (this.phase !== 'holding') return; // stopped while connecting
    this.phase = 'running';
    const k = this.opts.kernel;
    k.execution.setOrderGate((req) => this.gate(req));
    this.enter(() => k.start());
    // What happened while we were down, in exchange order, as if it arrived now.
    const missed = prepared?.missed;
    if (missed !== undefined && missed.reports.length > 0) {
      for (const o of missed.orders) k.execution.adopt(o);
      const at = k.clock.now();
      for (const r of missed.reports) this.enter(() => this.applyReport(r, at));
      this.log.info(
        { reports: missed.reports.length, orders: missed.orders.map((o) => o.clientOrderId) },
        'replayed what the exchange did while botp was down',
      );
    }
    const isStale = prepared === undefined ? undefined : (r: ExecutionReport) => prepared.isStale(r);
    const held = this.held;
    this.held = [];
    for (const h of held) {
      if (this.phase !== 'running' || this.stopRequested) break;
      if (h.kind === 'market') this.onMarket(h.event);
      else if (h.kind === 'gap') this.onGap(h.gap);
      else if (isStale?.(h.report))
        this.log.debug({ report: h.report }, 'report already in the reconciled state');
      else this.enter(() => this.applyReport(h.report, h.at));
    }
  }

  /**
   * Stops the run (idempotent; a second call while waiting for answers stops waiting). Resolves
   * with what was left open.
   */
  stop(reason: string): Promise<StopResult> {
    if (this.stopping !== undefined) {
      if (this.phase === 'stopping') this.settled?.();
      return this.stopping;
    }
    this.stopRequested = true;
    this.stopping = this.shutdown(reason);
    return this.stopping;
  }

  // ---- ExchangeSink

  onMarket(e: MarketEvent): void {
    if (this.phase === 'holding') this.held.push({ kind: 'market', event: e });
    else if (this.phase === 'running' && !this.stopRequested) this.enter(() => this.applyMarket(e));
    // stopping: the strategy has stopped; it hears no more market data.
  }

  onReport(r: ExecutionReport): void {
    const at = this.opts.kernel.clock.now();
    this.opts.timed?.onReport(r, at);
    if (this.phase === 'holding') this.held.push({ kind: 'report', report: r, at });
    else if (this.phase === 'running' || this.phase === 'stopping') this.enter(() => this.applyReport(r, at));
  }

  onGap(g: FeedGap): void {
    if (this.phase === 'holding') {
      this.held.push({ kind: 'gap', gap: g });
      return;
    }
    this.opts.store?.recordGap(g);
    this.log.warn({ gap: g }, 'market data gap');
    if (g.stream === 'depth') this.pause(g.symbol, `${g.reason} on the depth stream`, g.fromTs);
  }

  // ---- internals

  private applyMarket(e: MarketEvent): void {
    const k = this.opts.kernel;
    if (e.type === 'depth' && e.isSnapshot && this.resync.resume(e.symbol))
      this.log.info({ symbol: e.symbol }, 'order book resynced from a depth snapshot; new orders resume');
    k.runDue(k.clock.now());
    this.marketEvents++;
    const gaps = k.marketData.gapCount;
    k.onMarketEvent(e);
    if (k.marketData.gapCount > gaps) this.pause(e.symbol, 'a depth diff off the update-id chain', e.localTs);
  }

  private applyReport(r: ExecutionReport, at: Micros): void {
    const k = this.opts.kernel;
    k.scheduleReport(r, at);
    k.runDue(k.clock.now());
  }

  private runDue(): void {
    const k = this.opts.kernel;
    k.runDue(k.clock.now());
  }

  private pause(symbol: string, why: string, since: Micros): void {
    if (this.resync.isPaused(symbol)) return;
    this.resync.pause(symbol, why, since);
    this.log.warn(
      { symbol, since: formatMicros(since), why },
      'order book out of sync: new orders paused until the next depth snapshot',
    );
  }

  private gate(req: OrderRequest): RejectReason | undefined {
    return this.phase === 'stopping' || this.phase === 'stopped' ? SHUTDOWN : this.resync.check(req);
  }

  /** Runs kernel work unless some is already on the stack (then right after it); errors stop the run. */
  private enter(fn: () => void): void {
    if (this.busy) {
      this.deferred.push(fn);
      return;
    }
    this.busy = true;
    try {
      fn();
      while (this.deferred.length > 0) this.deferred.shift()!();
    } catch (err) {
      this.deferred.length = 0;
      this.fail(err);
    } finally {
      this.busy = false;
    }
    this.afterKernel();
  }

  private afterKernel(): void {
    if (this.phase === 'stopped') return;
    this.wake.arm(this.opts.kernel.nextDueTs());
    if (this.phase === 'stopping' && this.isSettled()) this.settled?.();
  }

  private fail(err: unknown): void {
    if (this.error === undefined) this.error = err;
    this.log.error({ err }, 'live run failed; stopping');
    void this.stop('error');
  }

  /** Kept orders need only their acks; otherwise every order must be closed. */
  private isSettled(): boolean {
    const open = this.opts.kernel.execution.openOrders();
    return this.opts.keepOrdersOnExit
      ? open.every((o) => o.status !== 'pending' && o.status !== 'pendingCancel')
      : open.length === 0;
  }

  private async shutdown(reason: string): Promise<StopResult> {
    // Nothing before this await: `stopping` is set before any kernel work can fail into stop().
    await Promise.resolve();
    const k = this.opts.kernel;
    const wasRunning = this.phase === 'running';
    if (wasRunning && this.error === undefined) this.enter(() => k.stop());
    this.phase = 'stopping';
    if (wasRunning) {
      if (!this.opts.keepOrdersOnExit)
        this.enter(() => {
          // Market orders end by themselves; canceling them only races their fills.
          for (const o of k.execution.openOrders())
            if (o.type === 'limit') k.execution.cancel(o.clientOrderId, k.clock.now());
        });
      await this.waitSettled(this.opts.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    }
    this.phase = 'stopped';
    this.wake.cancel();
    const openOrders = k.execution.openOrders();
    if (openOrders.length > 0)
      this.log.warn(
        { orders: openOrders.map((o) => `${o.clientOrderId} ${o.status}`) },
        this.opts.keepOrdersOnExit
          ? 'orders left open at the exchange (--keep-orders-on-exit); the next start adopts them'
          : 'orders still open after the stop timeout; the next start adopts or closes them',
      );
    try {
      await this.opts.store?.flush();
    } catch (err) {
      this.log.error({ err }, 'state file: final flush failed');
      if (this.error === undefined) this.error = err;
    }
    try {
      await this.opts.venue.close();
    } catch (err) {
      this.log.warn({ err }, 'venue close failed');
    }
    const result: StopResult = {
      reason,
      openOrders,
      stoppedAt: k.clock.now(),
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
    this.resolveDone(result);
    return result;
  }

  private waitSettled(timeoutMs: number): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.settled = undefined;
        resolve();
      }
      this.settled = done;
    });
  }
}
