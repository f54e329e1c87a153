import type { Micros } from '../time.js';
import type { RiskConfig } from './config.js';
import { fmt, RISK_OK, type RiskResult, type RiskRule, riskDenied } from './risk-decision.js';

export type QuantRulesConfig = NonNullable<RiskConfig['quantRules']>;

/** What the tracker counts, per symbol and per bucket. */
const ORDERS = 0; // orders sent
const FILLED = 1; // orders that got their first fill
const GTC = 2; // GTC / GTX orders sent
const GTC_FAST_CANCEL = 3; // GTC / GTX orders canceled within gtcCancelWithinUs of placing
const IOC = 4; // IOC / FOK limit orders sent
const IOC_EXPIRED = 5; // IOC / FOK limit orders that expired
const FILLS = 6; // fills
const DUST = 7; // fills with notional < dustNotional
const FIELDS = 8;

export type QuantRatioName = 'unfilledRatio' | 'gtcCancelRatio' | 'iocExpiryRatio' | 'dustRatio';
const RATIOS: readonly QuantRatioName[] = ['unfilledRatio', 'gtcCancelRatio', 'iocExpiryRatio', 'dustRatio'];

export interface QuantRatios {
  /** Orders sent in the window. */
  readonly orders: number;
  /** NaN while the ratio has no denominator (or, for dust, no dustNotional). */
  readonly unfilledRatio: number;
  readonly gtcCancelRatio: number;
  readonly iocExpiryRatio: number;
  readonly dustRatio: number;
}

export type QuantWarn = (message: string, details: Record<string, unknown>) => void;

/**
 * A rolling window of `windowUs` made of `windowUs / bucketUs` buckets, in event (kernel)
 * time: counters live in a ring of buckets plus running sums, so every update and every
 * read is O(1) (amortized over bucket changes).
 */
class SymbolWindow {
  private readonly buckets: Float64Array;
  readonly sums = new Float64Array(FIELDS);
  private bucket = Number.NEGATIVE_INFINITY;
  /** Ratios currently at or above their warn level (one warning per crossing). */
  readonly warned = new Set<QuantRatioName>();

  constructor(
    private readonly n: number,
    private readonly bucketUs: Micros,
  ) {
    this.buckets = new Float64Array(n * FIELDS);
  }

  advance(now: Micros): void {
    const b = Math.floor(now / this.bucketUs);
    if (b <= this.bucket) return;
    if (b - this.bucket >= this.n) {
      this.buckets.fill(0);
      this.sums.fill(0);
    } else {
      for (let k = this.bucket + 1; k <= b; k++) {
        const base = (k % this.n) * FIELDS;
        for (let f = 0; f < FIELDS; f++) {
          this.sums[f]! -= this.buckets[base + f]!;
          this.buckets[base + f] = 0;
        }
      }
    }
    this.bucket = b;
  }

  add(field: number, now: Micros): void {
    this.advance(now);
    this.buckets[(this.bucket % this.n) * FIELDS + field]! += 1;
    this.sums[field]! += 1;
  }
}

/**
 * Binance's quantitative-trading ratios, per symbol, over rolling windows (per Binance's
 * published "Futures Trading Quantitative Rules": 10-minute windows, judged from 150 orders;
 * UFR ≥ 0.99, GCR ≥ 0.99, IFER ≥ 0.99, DR ≥ 0.9). Counting: an order counts when sent; it
 * counts as filled at its first fill; a GTC/GTX cancel counts when the order ends canceled
 * within `gtcCancelWithinUs` of being placed; an IOC/FOK limit order counts as expired when it
 * ends expired (partly filled or not). Each event lands in the bucket of its own time.
 *
 * A ratio is judged once the window, with the order being checked, holds `minOrders` orders
 * (for UFR the checked order is assumed unfilled). At `warnAt` × threshold one warning goes to
 * `warn` per crossing; at `blockAt` × threshold new orders on the symbol are denied (reduce-only
 * orders and cancels always pass).
 */
export class QuantRatioTracker {
  private readonly symbols = new Map<string, SymbolWindow>();
  private readonly n: number;

  constructor(
    private readonly cfg: QuantRulesConfig,
    private readonly warn: QuantWarn = () => {},
  ) {
    this.n = Math.round(cfg.windowUs / cfg.bucketUs);
  }

  private win(symbol: string): SymbolWindow {
    let w = this.symbols.get(symbol);
    if (w === undefined) {
      w = new SymbolWindow(this.n, this.cfg.bucketUs);
      this.symbols.set(symbol, w);
    }
    return w;
  }

  /** An order left for the venue. `limitIocFok`: a limit order with IOC or FOK. */
  onSent(symbol: string, timeInForce: string, isLimit: boolean, now: Micros): void {
    const w = this.win(symbol);
    w.add(ORDERS, now);
    if (timeInForce === 'GTC' || timeInForce === 'GTX') w.add(GTC, now);
    else if (isLimit && (timeInForce === 'IOC' || timeInForce === 'FOK')) w.add(IOC, now);
  }

  onFill(symbol: string, notional: number, firstFillOfOrder: boolean, now: Micros): void {
    const w = this.win(symbol);
    if (firstFillOfOrder) w.add(FILLED, now);
    w.add(FILLS, now);
    const dust = this.cfg.dustNotional;
    if (dust !== undefined && notional < dust) w.add(DUST, now);
  }

  /** An order ended canceled `ageUs` after it was placed. */
  onCanceled(symbol: string, timeInForce: string, ageUs: Micros, now: Micros): void {
    if ((timeInForce === 'GTC' || timeInForce === 'GTX') && ageUs <= this.cfg.gtcCancelWithinUs)
      this.win(symbol).add(GTC_FAST_CANCEL, now);
  }

  onExpired(symbol: string, timeInForce: string, isLimit: boolean, now: Micros): void {
    if (isLimit && (timeInForce === 'IOC' || timeInForce === 'FOK')) this.win(symbol).add(IOC_EXPIRED, now);
  }

  /** The ratios of the window ending at `now` (as they stand, without a next order). */
  ratios(symbol: string, now: Micros): QuantRatios {
    const w = this.win(symbol);
    w.advance(now);
    return this.compute(w.sums, 0);
  }

  private compute(s: Float64Array, extra: number): QuantRatios {
    const orders = s[ORDERS]! + extra;
    return {
      orders,
      unfilledRatio: orders > 0 ? Math.max(0, 1 - s[FILLED]! / orders) : Number.NaN,
      gtcCancelRatio: s[GTC]! > 0 ? s[GTC_FAST_CANCEL]! / s[GTC]! : Number.NaN,
      iocExpiryRatio: s[IOC]! > 0 ? s[IOC_EXPIRED]! / s[IOC]! : Number.NaN,
      dustRatio: this.cfg.dustNotional !== undefined && s[FILLS]! > 0 ? s[DUST]! / s[FILLS]! : Number.NaN,
    };
  }

  check(symbol: string, now: Micros, reduceOnly: boolean): RiskResult {
    const w = this.win(symbol);
    w.advance(now);
    const cfg = this.cfg;
    if (w.sums[ORDERS]! + 1 < cfg.minOrders) {
      w.warned.clear();
      return RISK_OK;
    }
    const r = this.compute(w.sums, 1);
    let denial: RiskResult = RISK_OK;
    for (const name of RATIOS) {
      const value = r[name];
      const threshold = cfg[name];
      if (!(value >= threshold * cfg.warnAt)) {
        w.warned.delete(name);
        continue;
      }
      if (!w.warned.has(name)) {
        w.warned.add(name);
        this.warn(`${name} of ${symbol} at ${fmt(value)} nears the exchange's ${threshold}`, {
          symbol,
          ratio: name,
          value,
          threshold,
          orders: r.orders,
        });
      }
      if (denial.ok && !reduceOnly && value >= threshold * cfg.blockAt) {
        denial = riskDenied(
          name as RiskRule,
          `${name} of ${symbol} at ${fmt(value)} over the last ${cfg.windowUs / 1_000_000} s (${r.orders} orders with this one) reached the block level ${fmt(threshold * cfg.blockAt)} (exchange threshold ${threshold})`,
        );
      }
    }
    return denial;
  }
}
