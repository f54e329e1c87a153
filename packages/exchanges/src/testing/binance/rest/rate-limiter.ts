import { BinanceError } from '../binance-error.js';

export interface RateLimitOptions {
  /** REQUEST_WEIGHT per minute per IP (Binance USD-M: 2400). */
  readonly weightPerMinute: number;
  /** ORDERS per 10 s (300) and per minute (1200). */
  readonly ordersPer10s: number;
  readonly ordersPerMinute: number;
  /** 429s answered before the next violation bans the IP with a 418. */
  readonly banAfterViolations: number;
  /** Length of an automatic ban (Binance: "from 2 minutes to 3 days"). */
  readonly banSeconds: number;
}

export const BINANCE_RATE_LIMITS: RateLimitOptions = {
  weightPerMinute: 2400,
  ordersPer10s: 300,
  ordersPerMinute: 1200,
  banAfterViolations: 3,
  banSeconds: 120,
};

export interface UsedLimits {
  readonly weight1m: number;
  readonly orders10s: number;
  readonly orders1m: number;
}

/**
 * Binance's limits in fixed windows of wall time (USD-M General Info "LIMITS"): weight per
 * minute per IP, orders per 10 s and per minute. Over a limit: HTTP 429 with `Retry-After`
 * (seconds to the window's end) and -1003 / -1015; after `banAfterViolations` 429s, the next
 * violation bans the IP: HTTP 418 with `Retry-After` until the ban lifts. A fault may force
 * 429 or 418 for a while.
 */
export class RateLimiter {
  private minute = -1;
  private tenSec = -1;
  private weight = 0;
  private orders10s = 0;
  private orders1m = 0;
  private violations = 0;
  private lastViolationMinute = Number.NEGATIVE_INFINITY;
  private bannedUntil = 0;
  private forced: { status: 429 | 418; until: number } | undefined;

  constructor(
    readonly opts: RateLimitOptions,
    private readonly wall: () => number = Date.now,
  ) {}

  /** Counts a request of `weight` (and `orders` new / modified orders); throws 429 / 418 when refused. */
  admit(weight: number, orders: number): UsedLimits {
    const now = this.wall();
    this.roll(now);
    const f = this.forced;
    if (f !== undefined && now < f.until) {
      throw f.status === 418
        ? this.banError(f.until, now)
        : tooManyRequests(this.opts, retryAfter(f.until, now));
    }
    if (now < this.bannedUntil) throw this.banError(this.bannedUntil, now);
    const o = this.opts;
    if (this.weight + weight > o.weightPerMinute) {
      this.violate(now);
      throw tooManyRequests(o, retryAfter((this.minute + 1) * 60_000, now));
    }
    if (
      orders > 0 &&
      (this.orders10s + orders > o.ordersPer10s || this.orders1m + orders > o.ordersPerMinute)
    ) {
      this.violate(now);
      const tenSec = this.orders10s + orders > o.ordersPer10s;
      const end = tenSec ? (this.tenSec + 1) * 10_000 : (this.minute + 1) * 60_000;
      throw new BinanceError(
        429,
        -1015,
        `Too many new orders; current limit is ${tenSec ? o.ordersPer10s : o.ordersPerMinute} orders per ${tenSec ? 'TEN_SECONDS' : 'MINUTE'}.`,
        { 'Retry-After': String(retryAfter(end, now)) },
      );
    }
    this.weight += weight;
    this.orders10s += orders;
    this.orders1m += orders;
    return this.used();
  }

  used(): UsedLimits {
    this.roll(this.wall());
    return { weight1m: this.weight, orders10s: this.orders10s, orders1m: this.orders1m };
  }

  /** Fault: every request gets `status` for `seconds`. */
  force(status: 429 | 418, seconds: number): void {
    this.forced = { status, until: this.wall() + seconds * 1000 };
  }

  private violate(now: number): void {
    this.lastViolationMinute = this.minute;
    if (++this.violations > this.opts.banAfterViolations) {
      this.bannedUntil = now + this.opts.banSeconds * 1000;
      this.violations = 0;
      throw this.banError(this.bannedUntil, now);
    }
  }

  private banError(until: number, now: number): BinanceError {
    return new BinanceError(
      418,
      -1003,
      `Way too many requests; IP banned until ${Math.ceil(until)}. Please use the websocket for live updates to avoid bans.`,
      { 'Retry-After': String(retryAfter(until, now)) },
    );
  }

  private roll(now: number): void {
    const m = Math.floor(now / 60_000);
    if (m !== this.minute) {
      // A whole window without violations forgives the earlier ones.
      if (m > this.lastViolationMinute + 1) this.violations = 0;
      this.minute = m;
      this.weight = 0;
      this.orders1m = 0;
    }
    const t = Math.floor(now / 10_000);
    if (t !== this.tenSec) {
      this.tenSec = t;
      this.orders10s = 0;
    }
  }
}

const retryAfter = (until: number, now: number): number => Math.max(1, Math.ceil((until - now) / 1000));

const tooManyRequests = (o: RateLimitOptions, seconds: number): BinanceError =>
  new BinanceError(
    429,
    -1003,
    `Too many requests; current limit of IP is ${o.weightPerMinute} requests per minute. Please use the websocket for live updates to avoid polling the API.`,
    { 'Retry-After': String(seconds) },
  );
