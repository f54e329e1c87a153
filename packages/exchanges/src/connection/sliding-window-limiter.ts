/**
 * At most `limit` events in any window of `windowUs` (a log of the last `limit` send times).
 * Unlike a token bucket, whose burst plus refill can put 2 × capacity into one window, this
 * holds exactly — what a per-connection cap like Binance's "10 incoming messages per second"
 * needs.
 */
export class SlidingWindowLimiter {
  private readonly times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowUs: number,
  ) {
    if (!(Number.isInteger(limit) && limit >= 1) || !(windowUs > 0))
      throw new RangeError('SlidingWindowLimiter: limit must be an integer ≥ 1 and windowUs > 0');
  }

  /** µs until one more event is allowed at `nowUs` (0 = now). */
  waitUs(nowUs: number): number {
    this.prune(nowUs);
    if (this.times.length < this.limit) return 0;
    return this.times[0]! + this.windowUs - nowUs;
  }

  /** Records an event at `nowUs` if allowed; returns whether it was. */
  tryTake(nowUs: number): boolean {
    if (this.waitUs(nowUs) > 0) return false;
    this.times.push(nowUs);
    return true;
  }

  /** Records an event that happened regardless of the limit (e.g. a pong owed to the server). */
  record(nowUs: number): void {
    this.prune(nowUs);
    this.times.push(nowUs);
  }

  reset(): void {
    this.times.length = 0;
  }

  private prune(nowUs: number): void {
    while (this.times.length > 0 && this.times[0]! <= nowUs - this.windowUs) this.times.shift();
  }
}
