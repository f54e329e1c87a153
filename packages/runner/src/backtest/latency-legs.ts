import type { Micros } from '@botplatform/sdk';
import type { LatencyModel } from '@botplatform/sim';

/**
 * The two latency legs between a strategy and a simulated exchange, shared by the backtest
 * venue (replay time) and the paper venue (wall-clock time):
 *
 *   arrival at exchange  a = max(t_sent + entry(t_sent, feedLatency), a_previous)
 *   report seen locally  r = max(x + response(x, feedLatency), r_previous)
 *
 * where x is the exchange time of the report. The max() keeps both channels FIFO, as one
 * connection is: a command never overtakes an earlier one even when latency falls.
 */
export class LatencyLegs {
  private lastArrival = Number.NEGATIVE_INFINITY;
  private lastDelivery = Number.NEGATIVE_INFINITY;

  constructor(private readonly model: LatencyModel) {}

  /**
   * For a command sent at local time `now`: undefined when it goes through, else the local time
   * its refusal arrives (the recorded model replays a request the exchange refused: it never
   * reaches the matching engine, and the answer comes back after the recorded round trip).
   */
  refusalDue(now: Micros): Micros | undefined {
    const roundTrip = this.model.rejection?.(now);
    return roundTrip === undefined ? undefined : this.deliver(now + roundTrip);
  }

  /** Exchange time a command sent at local time `now` arrives. */
  arrival(now: Micros, feedLatency: number): Micros {
    const at = Math.max(now + this.model.entry(now, feedLatency), this.lastArrival);
    this.lastArrival = at;
    return at;
  }

  /** Local time a report produced at exchange time `exchTs` arrives. */
  reportDue(exchTs: Micros, feedLatency: number): Micros {
    return this.deliver(exchTs + this.model.response(exchTs, feedLatency));
  }

  private deliver(at: Micros): Micros {
    const due = Math.max(at, this.lastDelivery);
    this.lastDelivery = due;
    return due;
  }
}
