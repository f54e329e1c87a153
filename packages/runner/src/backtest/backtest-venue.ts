import type {
  CancelCommand,
  Exchange,
  ExchangeSink,
  ExecutionReport,
  Instrument,
  Micros,
  ModifyCommand,
  OrderCommand,
} from '@botplatform/sdk';
import { type LatencyModel, RECORDED_REJECTION, type SimulatedExchange } from '@botplatform/sim';
import type { Clock } from '../kernel/clock.js';
import { LatencyLegs } from './latency-legs.js';

/** Where venue reports go once their local arrival time is known. */
export interface ReportScheduler {
  scheduleReport(report: ExecutionReport, localTs: Micros): void;
}

type Command =
  | { readonly kind: 'order'; readonly cmd: OrderCommand }
  | { readonly kind: 'cancel'; readonly cmd: CancelCommand }
  | { readonly kind: 'modify'; readonly cmd: ModifyCommand };

/**
 * The backtest's venue: the simulated exchange behind the two latency legs (LatencyLegs:
 * a = max(t_sent + entry, a_prev) at the exchange, r = max(x + response, r_prev) locally).
 */
export class BacktestVenue implements Exchange {
  readonly id = 'sim';
  private readonly queue: Command[] = [];
  private readonly arrivals: number[] = [];
  private qHead = 0;
  private readonly legs: LatencyLegs;
  /**
   * local_ts − exch_ts of the latest market row seen locally, whatever its symbol: one
   * connection carries every stream, and its spikes hit all symbols alike. Drives the
   * feed-relative latency models.
   */
  feedLatency = 0;
  private sim!: SimulatedExchange;
  private reports!: ReportScheduler;

  constructor(
    private readonly instrumentList: readonly Instrument[],
    latency: LatencyModel,
    private readonly clock: Clock,
  ) {
    this.legs = new LatencyLegs(latency);
  }

  /** Wires the two ends; the sim's report sink must call `onSimReport`. */
  bind(sim: SimulatedExchange, reports: ReportScheduler): void {
    this.sim = sim;
    this.reports = reports;
  }

  async instruments(): Promise<Instrument[]> {
    return [...this.instrumentList];
  }

  async connect(_sink: ExchangeSink): Promise<void> {}

  async close(): Promise<void> {}

  submit(cmd: OrderCommand): void {
    this.enqueue({ kind: 'order', cmd });
  }

  cancel(cmd: CancelCommand): void {
    this.enqueue({ kind: 'cancel', cmd });
  }

  modify(cmd: ModifyCommand): void {
    this.enqueue({ kind: 'modify', cmd });
  }

  /** Exchange time at which the next command arrives; +Infinity when none is in flight. */
  nextArrivalTs(): Micros {
    return this.qHead < this.queue.length ? this.arrivals[this.qHead]! : Number.POSITIVE_INFINITY;
  }

  /** Hands the next in-flight command to the simulated exchange at its arrival time. */
  deliverNext(): void {
    const cmd = this.queue[this.qHead]!;
    const ts = this.arrivals[this.qHead]!;
    this.qHead++;
    if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
      this.queue.splice(0, this.qHead);
      this.arrivals.splice(0, this.qHead);
      this.qHead = 0;
    }
    switch (cmd.kind) {
      case 'order':
        this.sim.submit(cmd.cmd, ts);
        return;
      case 'cancel':
        this.sim.cancel(cmd.cmd, ts);
        return;
      case 'modify':
        this.sim.modify(cmd.cmd, ts);
        return;
    }
  }

  /**
   * The recorded run's exchange refused the request sent at this time (an order_latency row
   * with exch_ts ≤ 0): the command never reaches the matching engine, and its refusal
   * arrives at the recorded response time.
   */
  private rejectLocally(cmd: Command, now: Micros, due: Micros): void {
    const reason = RECORDED_REJECTION;
    const clientOrderId = cmd.cmd.clientOrderId;
    const kind =
      cmd.kind === 'order' ? 'rejected' : cmd.kind === 'cancel' ? 'cancelRejected' : 'modifyRejected';
    this.reports.scheduleReport({ kind, clientOrderId, reason, exchTs: now }, due);
  }

  onSimReport(report: ExecutionReport): void {
    this.reports.scheduleReport(report, this.legs.reportDue(report.exchTs, this.feedLatency));
  }

  private enqueue(cmd: Command): void {
    const now = this.clock.now();
    const refusedAt = this.legs.refusalDue(now);
    if (refusedAt !== undefined) {
      this.rejectLocally(cmd, now, refusedAt);
      return;
    }
    this.queue.push(cmd);
    this.arrivals.push(this.legs.arrival(now, this.feedLatency));
  }
}
