import { z } from 'zod';

/**
 * Binance USD-M futures figures the defaults follow. Order-count limits: 300 orders / 10 s and
 * 1200 orders / 60 s per account (the `X-MBX-ORDER-COUNT-10S` / `-1M` limits). Quantitative
 * rules: per Binance's published "Futures Trading Quantitative Rules", evaluated per symbol over
 * 10-minute windows once an account has sent at least 150 orders in the window; a ratio at or
 * above its threshold can get the account's API trading on that symbol banned for a while.
 * These figures change from time to time: every one is overridable in the config.
 */
export const BINANCE_USDM_RISK = Object.freeze({
  ordersPer10s: 300,
  ordersPer60s: 1200,
  quantWindowUs: 600_000_000,
  quantMinOrders: 150,
  unfilledRatio: 0.99,
  gtcCancelRatio: 0.99,
  gtcCancelWithinUs: 5_000_000,
  iocExpiryRatio: 0.99,
  dustRatio: 0.9,
});

const positive = z.number().finite().positive();
const count = z.number().int().positive();
const micros = z.number().int().positive();
const fraction = z.number().finite().gt(0).lte(1);

/** Per-symbol overrides of the position limits (quantities differ by orders of magnitude between symbols). */
const symbolLimitsSchema = z.strictObject({
  /** Max |position| in base quantity (contracts), counting open orders on the same side. */
  maxPositionQty: positive.optional(),
  /** Max |position| notional in quote currency (qty × price × contract size). */
  maxPositionNotional: positive.optional(),
});

/**
 * The RiskEngine's limits, from the `risk` section of the run's config file. Every limit is
 * optional: absent = off. Units: money in quote currency (USDT), time in µs, counts in orders.
 */
export const riskConfigSchema = z.strictObject({
  /** Max |position| per symbol in base quantity, open same-side orders and the new order included. */
  maxPositionQty: positive.optional(),
  /** Max |position| notional per symbol in quote currency, valued at the order's price (mid for market). */
  maxPositionNotional: positive.optional(),
  /** Overrides of maxPositionQty / maxPositionNotional by symbol. */
  symbols: z.record(z.string().min(1), symbolLimitsSchema).optional(),
  /** Max open orders across all symbols (a new order is denied when this many are open). */
  maxOpenOrders: count.optional(),
  /** Max notional of one order in quote currency (market orders valued at the reference price). */
  maxOrderNotional: positive.optional(),
  /** Max |limit price − mid| / mid, as a fraction (0.05 = 5 %); skipped while the book has no mid. */
  priceBand: fraction.optional(),
  /**
   * Daily loss limit in quote currency: once equity falls this far below its value at the
   * start of the UTC day, orders that add risk are denied until the next UTC day.
   */
  dailyLossLimit: positive.optional(),
  /** After `maxLosses` losing round trips in a row, new risk is denied for `coolDownUs`. */
  consecutiveLosses: z
    .strictObject({
      maxLosses: count,
      coolDownUs: micros,
    })
    .optional(),
  /** Max symbols with a non-zero position at once. */
  maxOpenPositions: count.optional(),
  /** Order-count limits over sliding windows (defaults: Binance USD-M's 300 / 10 s, 1200 / 60 s). */
  orderRate: z
    .strictObject({
      per10s: count.default(BINANCE_USDM_RISK.ordersPer10s),
      per60s: count.default(BINANCE_USDM_RISK.ordersPer60s),
    })
    .optional(),
  /**
   * Binance's quantitative-trading ratios tracked per symbol over a rolling window. A ratio
   * is judged only once the window holds `minOrders`; at `warnAt` × threshold a warning is
   * logged, at `blockAt` × threshold new orders on the symbol (not reduce-only, not cancels)
   * are denied until the ratio falls back.
   */
  quantRules: z
    .strictObject({
      windowUs: micros.default(BINANCE_USDM_RISK.quantWindowUs),
      /** Granularity of the rolling window (the window slides bucket by bucket). */
      bucketUs: micros.default(10_000_000),
      minOrders: count.default(BINANCE_USDM_RISK.quantMinOrders),
      /** UFR = 1 − orders with a fill / orders. */
      unfilledRatio: fraction.default(BINANCE_USDM_RISK.unfilledRatio),
      /** GCR = GTC (and GTX) orders canceled within gtcCancelWithinUs of placing / GTC orders. */
      gtcCancelRatio: fraction.default(BINANCE_USDM_RISK.gtcCancelRatio),
      gtcCancelWithinUs: micros.default(BINANCE_USDM_RISK.gtcCancelWithinUs),
      /** IFER = expired IOC/FOK limit orders / IOC/FOK limit orders. */
      iocExpiryRatio: fraction.default(BINANCE_USDM_RISK.iocExpiryRatio),
      /** DR = fills with notional below dustNotional / fills. */
      dustRatio: fraction.default(BINANCE_USDM_RISK.dustRatio),
      /** Dust threshold in quote currency; the dust ratio is tracked only when set. */
      dustNotional: positive.optional(),
      warnAt: fraction.default(0.8),
      blockAt: fraction.default(0.95),
    })
    .refine((q) => q.warnAt <= q.blockAt, { message: 'warnAt must be ≤ blockAt', path: ['warnAt'] })
    .refine((q) => q.bucketUs <= q.windowUs && q.windowUs % q.bucketUs === 0, {
      message: 'bucketUs must divide windowUs',
      path: ['bucketUs'],
    })
    .optional(),
});

export type RiskConfig = z.output<typeof riskConfigSchema>;
export type RiskConfigInput = z.input<typeof riskConfigSchema>;

/**
 * Parses a `risk` config section; throws one Error listing every problem as `risk.<path>: <message>`.
 */
export function parseRiskConfig(input: unknown): RiskConfig {
  const r = riskConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  risk.${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new Error(`invalid risk config:\n${lines.join('\n')}`);
}
