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
import type { OrderLatencySample } from '../data/order-latency-sample.js';
import type { Clock } from '../kernel/clock.js';

/** Round trips still waiting for an answer beyond this many are dropped (oldest first). */
const MAX_IN_FLIGHT = 10_000;

/**
 * The kernel's side of a live venue: passes commands through and times each order's round trip
 * for the `order_latency` table. req_ts = local time the order left, exch_ts = the exchange time
 * of its first answer (ack, rejection or fill), resp_ts = local time that answer arrived. A
 * refusal before matching (RATE_LIMITED, VENUE_ERROR: an overloaded or unreachable exchange) is
 * recorded with exch_ts = 0, which the `recorded` latency model replays as such a refusal.
 */
export class TimedVenue implements Exchange {
  readonly id: string;
  private readonly sent = new Map<string, { symbol: string; reqTs: Micros }>();

  constructor(
    private readonly inner: Exchange,
    private readonly clock: Clock,
    /** The `exchange` column: the instruments' exchange (paper runs mark theirs as such). */
    private readonly exchange: string,
    private readonly onSample: (s: OrderLatencySample) => void,
    /** Called as each order leaves (the state file records it `pending` before any answer). */
    private readonly onSubmit?: (cmd: OrderCommand) => void,
  ) {
    this.id = inner.id;
  }

  instruments(symbols: readonly string[]): Promise<Instrument[]> {
    return this.inner.instruments(symbols);
  }

  connect(sink: ExchangeSink, symbols: readonly string[]): Promise<void> {
    return this.inner.connect(sink, symbols);
  }

  submit(cmd: OrderCommand): void {
    if (this.sent.size >= MAX_IN_FLIGHT) this.sent.delete(this.sent.keys().next().value!);
    this.sent.set(cmd.clientOrderId, { symbol: cmd.symbol, reqTs: this.clock.now() });
    this.onSubmit?.(cmd);
    this.inner.submit(cmd);
  }

  cancel(cmd: CancelCommand): void {
    this.inner.cancel(cmd);
  }

  modify(cmd: ModifyCommand): void {
    this.inner.modify(cmd);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** A report that arrived locally at `now`: the first answer to an order closes its round trip. */
  onReport(r: ExecutionReport, now: Micros): void {
    if (r.kind !== 'accepted' && r.kind !== 'rejected' && r.kind !== 'fill') return;
    const req = this.sent.get(r.clientOrderId);
    if (req === undefined) return;
    this.sent.delete(r.clientOrderId);
    const refusedBeforeMatching =
      r.kind === 'rejected' && (r.reason.code === 'RATE_LIMITED' || r.reason.code === 'VENUE_ERROR');
    this.onSample({
      exchange: this.exchange,
      symbol: req.symbol,
      reqTs: req.reqTs,
      exchTs: refusedBeforeMatching ? 0 : r.exchTs,
      respTs: now,
    });
  }
}
