import { z } from 'zod';
import type { Scheduler } from '../../connection/scheduler.js';
import { TokenBucket } from '../../connection/token-bucket.js';
import { classifyBinanceError } from '../errors.js';
import { BinanceRequestError } from './rest-error.js';

/** The USD-M request limits a client plans against (exchangeInfo `rateLimits` overrides them). */
export interface BinanceRateLimits {
  /** REQUEST_WEIGHT per 1 MINUTE, per IP. */
  readonly weightPerMinute: number;
  /** ORDERS per 10 SECOND, per account. */
  readonly ordersPer10s: number;
  /** ORDERS per 1 MINUTE, per account. */
  readonly ordersPerMinute: number;
}

/** USD-M defaults as exchangeInfo publishes them (REQUEST_WEIGHT 2400/min, ORDERS 300/10 s and 1200/min). */
export const BINANCE_USDM_DEFAULT_LIMITS: BinanceRateLimits = {
  weightPerMinute: 2400,
  ordersPer10s: 300,
  ordersPerMinute: 1200,
};

const rateLimitSchema = z.object({
  rateLimitType: z.string(),
  interval: z.string(),
  intervalNum: z.number().int().positive(),
  limit: z.number().int().positive(),
});
const exchangeInfoLimitsSchema = z.object({ rateLimits: z.array(rateLimitSchema).optional() });

/** The limits an exchangeInfo body declares, falling back to `base` for any it lacks. */
export function limitsFromExchangeInfo(
  json: unknown,
  base: BinanceRateLimits = BINANCE_USDM_DEFAULT_LIMITS,
): BinanceRateLimits {
  const parsed = exchangeInfoLimitsSchema.safeParse(json);
  if (!parsed.success || !parsed.data.rateLimits) return base;
  let { weightPerMinute, ordersPer10s, ordersPerMinute } = base;
  for (const r of parsed.data.rateLimits) {
    const key = `${r.rateLimitType}/${r.intervalNum}${r.interval}`;
    if (key === 'REQUEST_WEIGHT/1MINUTE') weightPerMinute = r.limit;
    else if (key === 'ORDERS/10SECOND') ordersPer10s = r.limit;
    else if (key === 'ORDERS/1MINUTE') ordersPerMinute = r.limit;
  }
  return { weightPerMinute, ordersPer10s, ordersPerMinute };
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** One entry of a WebSocket API response's `rateLimits`. */
export const rateLimitCountSchema = rateLimitSchema.extend({ count: z.number().int().nonnegative() });
export type RateLimitCount = z.output<typeof rateLimitCountSchema>;

const S = 1_000_000;

/**
 * Client-side pacing for Binance REST, per the USD-M "LIMITS" rules: a token bucket per
 * window (weight per minute, orders per 10 s and per minute), re-synced from the usage the
 * exchange reports on every response (`X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`,
 * `X-MBX-ORDER-COUNT-1M`: other processes on the same IP or account spend from the same
 * windows). A 429 pauses every request for `Retry-After` seconds (or a doubling fallback when
 * the 429 carries none, as an order-count 429 may not); a 418 — the IP ban that follows
 * ignored 429s — refuses every request until the ban lifts, without touching the network.
 */
export class BinanceRateLimiter {
  private weight!: TokenBucket;
  private orders10s!: TokenBucket;
  private orders1m!: TokenBucket;
  private pausedUntilUs = 0;
  private bannedUntilUs = 0;
  private consecutive429 = 0;

  constructor(
    limits: BinanceRateLimits,
    private readonly scheduler: Scheduler,
    /** A request that would wait longer than this fails with RATE_LIMITED instead. Default 10 s. */
    private readonly maxWaitUs = 10 * S,
  ) {
    this.setLimits(limits);
  }

  setLimits(limits: BinanceRateLimits): void {
    const now = this.scheduler.now();
    this.weight = new TokenBucket(limits.weightPerMinute, 60 * S, now);
    this.orders10s = new TokenBucket(limits.ordersPer10s, 10 * S, now);
    this.orders1m = new TokenBucket(limits.ordersPerMinute, 60 * S, now);
  }

  /** µs since the epoch until which an IP ban holds (0 = none). */
  get bannedUntil(): number {
    return this.bannedUntilUs > this.scheduler.now() ? this.bannedUntilUs : 0;
  }

  /** Weight tokens left in the current minute (for tests and monitoring). */
  weightAvailable(): number {
    return this.weight.available(this.scheduler.now());
  }

  /** Waits until `weight` and `orders` fit the windows, then spends them. */
  async acquire(weight: number, orders: number, endpoint: string): Promise<void> {
    for (;;) {
      const now = this.scheduler.now();
      if (this.bannedUntilUs > now) {
        const until = Math.floor(this.bannedUntilUs / 1000);
        const info = classifyBinanceError({
          httpStatus: 418,
          msg: `IP banned until ${until}; no request sent until then`,
        });
        throw new BinanceRequestError(info, endpoint);
      }
      const wait = Math.max(
        this.pausedUntilUs - now,
        this.weight.waitUs(weight, now),
        orders > 0 ? this.orders10s.waitUs(orders, now) : 0,
        orders > 0 ? this.orders1m.waitUs(orders, now) : 0,
      );
      if (wait > this.maxWaitUs) {
        const info = classifyBinanceError({
          httpStatus: 429,
          msg: `client rate limiter: would wait ${Math.ceil(wait / 1000)} ms for the request window`,
        });
        throw new BinanceRequestError(info, endpoint);
      }
      if (wait <= 0) {
        this.weight.tryTake(weight, now);
        if (orders > 0) {
          this.orders10s.tryTake(orders, now);
          this.orders1m.tryTake(orders, now);
        }
        return;
      }
      await new Promise<void>((resolve) => this.scheduler.after(wait, resolve));
    }
  }

  /** Adopts the exchange's usage counts from a response's headers. */
  observe(headers: Headers, status: number): void {
    const now = this.scheduler.now();
    const used = num(headers['x-mbx-used-weight-1m']);
    if (used !== undefined) this.weight.sync(used, now);
    const o10 = num(headers['x-mbx-order-count-10s']);
    if (o10 !== undefined) this.orders10s.sync(o10, now);
    const o1m = num(headers['x-mbx-order-count-1m']);
    if (o1m !== undefined) this.orders1m.sync(o1m, now);
    if (status === 429) this.onTooManyRequests(num(headers['retry-after']), now);
    else if (status === 418) this.onBanned(num(headers['retry-after']), now);
    else if (status < 400) this.consecutive429 = 0;
  }

  /**
   * Adopts the usage a WebSocket API response reports in its `rateLimits` array
   * (`{rateLimitType, interval, intervalNum, limit, count}`): the same windows as REST.
   */
  observeRateLimits(rateLimits: readonly RateLimitCount[]): void {
    const now = this.scheduler.now();
    for (const r of rateLimits) {
      const key = `${r.rateLimitType}/${r.intervalNum}${r.interval}`;
      if (key === 'REQUEST_WEIGHT/1MINUTE') this.weight.sync(r.count, now);
      else if (key === 'ORDERS/10SECOND') this.orders10s.sync(r.count, now);
      else if (key === 'ORDERS/1MINUTE') this.orders1m.sync(r.count, now);
    }
  }

  /** An IP ban known from elsewhere (a -1003 "banned until" message). */
  banUntilMs(epochMs: number): void {
    this.bannedUntilUs = Math.max(this.bannedUntilUs, epochMs * 1000);
  }

  private onTooManyRequests(retryAfterS: number | undefined, now: number): void {
    // Without Retry-After: 1 s, 2 s, 4 s … up to a minute, the longest window involved.
    const fallback = Math.min(60 * S, S * 2 ** this.consecutive429);
    this.consecutive429++;
    const pause = retryAfterS !== undefined ? retryAfterS * S : fallback;
    this.pausedUntilUs = Math.max(this.pausedUntilUs, now + pause);
  }

  private onBanned(retryAfterS: number | undefined, now: number): void {
    // Binance bans last 2 minutes to 3 days; Retry-After says how long this one does.
    const pause = retryAfterS !== undefined ? retryAfterS * S : 120 * S;
    this.bannedUntilUs = Math.max(this.bannedUntilUs, now + pause);
  }
}

function num(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
