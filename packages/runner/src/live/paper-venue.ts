import type {
  CancelCommand,
  Exchange,
  ExchangeSink,
  ExecutionReport,
  FeedGap,
  Instrument,
  MarketEvent,
  Micros,
  ModifyCommand,
  OrderCommand,
} from '@botplatform/sdk';
import {
  type FillMode,
  feedMarketEvent,
  type LatencyModel,
  type QueueModel,
  RECORDED_REJECTION,
  SimulatedExchange,
} from '@botplatform/sim';
import { LatencyLegs } from '../backtest/latency-legs.js';
import type { Clock } from '../kernel/clock.js';
import { PaperAccount } from './paper-account.js';
import type { ReconcilableExchange, VenueOpenOrder, VenuePosition } from './reconcilable-exchange.js';
import type { PositionRow } from './state-schema.js';

export interface PaperVenueOptions {
  /** Live market data (an adapter's streams); its order methods are never called. */
  readonly source: Exchange;
  readonly latency: LatencyModel;
  readonly queue: QueueModel;
  readonly fills?: FillMode;
  /** The wall clock the kernel runs on. */
  readonly clock: Clock;
  /**
   * How long past its arrival time a command waits for the feed to show the exchange got there
   * (an event with a later exch_ts) before it is matched anyway: a quiet market. Default 200 ms.
   */
  readonly quietWaitUs?: Micros;
}

type Command =
  | { readonly kind: 'order'; readonly cmd: OrderCommand; readonly at: Micros }
  | { readonly kind: 'cancel'; readonly cmd: CancelCommand; readonly at: Micros }
  | { readonly kind: 'modify'; readonly cmd: ModifyCommand; readonly at: Micros };

/**
 * `botp live --paper`: live market data, simulated fills. Orders go to the same
 * SimulatedExchange a backtest uses, fed with the live events at their exchange time, behind
 * the backtest's two latency legs (LatencyLegs) applied in wall-clock time:
 *
 *   a command sent at local t is matched at exchange time a = max(t + entry, a_prev), once
 *     the wall clock has passed a and the feed has reached it (an event with exch_ts > a has
 *     been fed: everything the exchange saw before a is in its book), or a + quietWait passed;
 *     a tie with an event's exch_ts goes to the event first, as in a replay;
 *   a report the exchange produces at x reaches the kernel at r = max(x + response, r_prev)
 *     (at once if that has passed).
 *
 * The exchange side lives in this process: a restart resumes the positions from the state file
 * (`resume`), while resting paper orders end with the process (a restart finds none open and
 * records them as canceled).
 */
export class PaperVenue implements ReconcilableExchange {
  readonly id: string;
  private sim: SimulatedExchange | undefined;
  private instrumentList: Instrument[] = [];
  private readonly symIndex = new Map<string, number>();
  private readonly legs: LatencyLegs;
  private readonly account = new PaperAccount();
  private sink: ExchangeSink | undefined;
  private readonly commands: Command[] = [];
  private readonly reports: Array<{ readonly report: ExecutionReport; readonly due: Micros }> = [];
  private commandTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  /** local − exchange time of the latest event: drives the feed-relative latency models. */
  private feedLatency = 0;
  /** Highest exch_ts fed to the simulated exchange. */
  private watermark = Number.NEGATIVE_INFINITY;
  private readonly quietWaitUs: Micros;
  private closed = false;

  constructor(private readonly opts: PaperVenueOptions) {
    this.id = `paper:${opts.source.id}`;
    this.legs = new LatencyLegs(opts.latency);
    this.quietWaitUs = opts.quietWaitUs ?? 200_000;
  }

  async instruments(symbols: readonly string[]): Promise<Instrument[]> {
    if (this.sim === undefined) {
      this.instrumentList = await this.opts.source.instruments(symbols);
      this.instrumentList.forEach((inst, i) => {
        this.symIndex.set(inst.symbol, i);
      });
      this.sim = new SimulatedExchange(this.instrumentList, {
        queue: this.opts.queue,
        fills: this.opts.fills ?? 'partial',
        sink: (r) => this.onSimReport(r),
      });
    }
    return [...this.instrumentList];
  }

  /** Resumes the paper account's positions (a restart); call after `instruments`. */
  resume(positions: readonly PositionRow[]): void {
    const sim = this.simulator();
    for (const p of positions) {
      const sym = this.symIndex.get(p.symbol);
      if (sym === undefined) continue;
      sim.setPosition(sym, p.qty);
      this.account.setEntry(p.symbol, sim.position(sym), p.avg_entry_price ?? Number.NaN, 0);
    }
  }

  async connect(sink: ExchangeSink, symbols: readonly string[]): Promise<void> {
    if (this.sim === undefined) await this.instruments(symbols);
    this.sink = sink;
    await this.opts.source.connect(
      {
        onMarket: (e) => this.onMarket(e),
        // The source trades nothing: its reports are not ours.
        onReport: () => {},
        onGap: (g: FeedGap) => this.sink?.onGap(g),
      },
      symbols,
    );
  }

  submit(cmd: OrderCommand): void {
    this.account.onSubmit(cmd);
    this.enqueue((at) => ({ kind: 'order', cmd, at }), cmd.clientOrderId, 'rejected');
  }

  cancel(cmd: CancelCommand): void {
    this.enqueue((at) => ({ kind: 'cancel', cmd, at }), cmd.clientOrderId, 'cancelRejected');
  }

  modify(cmd: ModifyCommand): void {
    this.enqueue((at) => ({ kind: 'modify', cmd, at }), cmd.clientOrderId, 'modifyRejected');
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOpenOrder[]> {
    return this.account.openOrders(symbols);
  }

  async positions(symbols: readonly string[]): Promise<VenuePosition[]> {
    const sim = this.simulator();
    return symbols.flatMap((s) => {
      const sym = this.symIndex.get(s);
      return sym === undefined ? [] : [this.account.position(s, sim.position(sym))];
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.commandTimer !== undefined) clearTimeout(this.commandTimer);
    if (this.reportTimer !== undefined) clearTimeout(this.reportTimer);
    this.sink = undefined;
    await this.opts.source.close();
  }

  // ---- exchange side

  private onMarket(e: MarketEvent): void {
    if (this.closed) return;
    const sym = this.symIndex.get(e.symbol);
    if (sym !== undefined) {
      // Commands that reached the exchange before this event's exchange time go first.
      this.releaseCommands((c) => c.at < e.exchTs);
      this.feedLatency = e.localTs - e.exchTs;
      if (e.exchTs > this.watermark) this.watermark = e.exchTs;
      feedMarketEvent(this.simulator(), sym, e);
    }
    this.sink?.onMarket(e);
    this.releaseCommands((c) => c.at <= this.watermark);
    this.armCommandTimer();
  }

  private enqueue(
    make: (at: Micros) => Command,
    clientOrderId: string,
    refusal: 'rejected' | 'cancelRejected' | 'modifyRejected',
  ): void {
    const now = this.opts.clock.now();
    const refusedAt = this.legs.refusalDue(now);
    if (refusedAt !== undefined) {
      this.schedule(
        { kind: refusal, clientOrderId, reason: RECORDED_REJECTION, exchTs: now } as ExecutionReport,
        refusedAt,
      );
      return;
    }
    this.commands.push(make(this.legs.arrival(now, this.feedLatency)));
    this.armCommandTimer();
  }

  /** Delivers queued commands (FIFO, arrival times nondecreasing) while `ready` and their time has come. */
  private releaseCommands(ready: (c: Command) => boolean): void {
    const now = this.opts.clock.now();
    const sim = this.simulator();
    while (this.commands.length > 0) {
      const c = this.commands[0]!;
      if (c.at > now || !ready(c)) return;
      this.commands.shift();
      if (c.kind === 'order') sim.submit(c.cmd, c.at);
      else if (c.kind === 'cancel') sim.cancel(c.cmd, c.at);
      else sim.modify(c.cmd, c.at);
    }
  }

  private armCommandTimer(): void {
    if (this.commandTimer !== undefined) clearTimeout(this.commandTimer);
    this.commandTimer = undefined;
    const head = this.commands[0];
    if (head === undefined || this.closed) return;
    // At its arrival if the feed is already past it, else after the quiet-market wait.
    const wakeAt = head.at <= this.watermark ? head.at : head.at + this.quietWaitUs;
    const ms = Math.max(0, Math.ceil((wakeAt - this.opts.clock.now()) / 1000));
    this.commandTimer = setTimeout(() => {
      this.commandTimer = undefined;
      const now = this.opts.clock.now();
      this.releaseCommands((c) => c.at <= this.watermark || c.at + this.quietWaitUs <= now);
      this.armCommandTimer();
    }, ms);
  }

  private onSimReport(r: ExecutionReport): void {
    this.schedule(r, this.legs.reportDue(r.exchTs, this.feedLatency));
  }

  /** Reports reach the kernel in due order (due times are nondecreasing: the legs are FIFO), never synchronously. */
  private schedule(report: ExecutionReport, due: Micros): void {
    this.account.onReport(report);
    this.reports.push({ report, due });
    if (this.reports.length === 1) this.armReportTimer();
  }

  private armReportTimer(): void {
    const head = this.reports[0];
    if (head === undefined || this.closed) return;
    const ms = Math.max(0, Math.ceil((head.due - this.opts.clock.now()) / 1000));
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      const now = this.opts.clock.now();
      while (this.reports.length > 0 && this.reports[0]!.due <= now) {
        const { report } = this.reports.shift()!;
        this.sink?.onReport(report);
      }
      this.armReportTimer();
    }, ms);
  }

  private simulator(): SimulatedExchange {
    if (this.sim === undefined) throw new Error('PaperVenue: call instruments() first');
    return this.sim;
  }
}
