/**
 * A token bucket for one exchange rate-limit window (Binance: REQUEST_WEIGHT per minute,
 * ORDERS per 10 s and per minute). Capacity C tokens, refilled continuously at C / windowUs:
 *
 *   tokens(t) = min(C, tokens(t₀) + (t − t₀) · C / windowUs)
 *
 * `sync` adopts the exchange's own count (e.g. `X-MBX-USED-WEIGHT-1M`), which is the truth:
 * our local estimate drifts when other processes share the key. Time is passed in (µs), so
 * the same bucket runs against the wall clock live and a replay clock in tests.
 */
export class TokenBucket {
  private tokens: number;
  private lastTs: number;

  constructor(
    readonly capacity: number,
    readonly windowUs: number,
    nowUs: number,
  ) {
    if (!(capacity > 0) || !(windowUs > 0))
      throw new RangeError('TokenBucket: capacity and windowUs must be > 0');
    this.tokens = capacity;
    this.lastTs = nowUs;
  }

  available(nowUs: number): number {
    this.refill(nowUs);
    return this.tokens;
  }

  /** Takes `cost` tokens if there are enough; returns whether it did. */
  tryTake(cost: number, nowUs: number): boolean {
    this.refill(nowUs);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** µs to wait until `cost` tokens are available (0 if they are now). */
  waitUs(cost: number, nowUs: number): number {
    this.refill(nowUs);
    if (cost > this.capacity) return Number.POSITIVE_INFINITY;
    const missing = cost - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * this.windowUs) / this.capacity);
  }

  /** Adopts the venue's reported usage of this window: tokens = capacity − used. */
  sync(used: number, nowUs: number): void {
    this.refill(nowUs);
    this.tokens = Math.max(0, Math.min(this.capacity, this.capacity - used));
  }

  private refill(nowUs: number): void {
    if (nowUs <= this.lastTs) return;
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((nowUs - this.lastTs) * this.capacity) / this.windowUs,
    );
    this.lastTs = nowUs;
  }
}
