import type { Scheduler } from '../../connection/scheduler.js';

/**
 * Binance's clock as seen from here. Signed requests carry `timestamp` in the exchange's ms;
 * Binance accepts it when `timestamp < serverTime + 1000` and `serverTime − timestamp ≤
 * recvWindow` (USD-M "Timing security"), so a local clock that runs ahead or behind breaks
 * every order. `offsetMs` is measured from GET /fapi/v1/time, assuming the server read its
 * clock halfway through the round trip (NTP's estimate).
 */
export class ServerClock {
  private offset = 0;
  private measured = false;

  constructor(private readonly scheduler: Scheduler) {}

  /** Server time minus local time, ms (0 until measured). */
  get offsetMs(): number {
    return this.offset;
  }

  get isMeasured(): boolean {
    return this.measured;
  }

  /** Records one measurement: local µs when the request left and its answer arrived, server ms. */
  record(sentUs: number, receivedUs: number, serverTimeMs: number): void {
    const midMs = (sentUs + receivedUs) / 2 / 1000;
    this.offset = Math.round(serverTimeMs - midMs);
    this.measured = true;
  }

  /** Now on the server's clock, integer ms: what `timestamp` should say. */
  timestampMs(): number {
    return Math.floor(this.scheduler.now() / 1000) + this.offset;
  }
}
