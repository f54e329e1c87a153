import {
  ConsecutiveLossGuard,
  checkMaxOpenOrders,
  checkMaxOpenPositions,
  checkMaxOrderNotional,
  checkMaxPositionNotional,
  checkMaxPositionQty,
  checkPriceBand,
  DailyLossGuard,
  type Fill,
  type Instrument,
  type Micros,
  type Order,
  OrderRateLimiter,
  type OrderRequest,
  QuantRatioTracker,
  type QuantWarn,
  type RejectReason,
  type RiskConfig,
  type RiskResult,
  type RiskStateView,
  RoundTripTracker,
  type RuleInput,
  validateOrder,
} from '@botplatform/sdk';
import type { ExecutionEngine } from './execution-engine.js';
import type { MarketDataEngine } from './market-data-engine.js';
import type { Portfolio } from './portfolio.js';

export type RiskDecision = { readonly ok: true } | { readonly ok: false; readonly reason: RejectReason };

export interface RiskEngineOptions {
  /** Where quantitative-ratio warnings go (the kernel passes its logger). */
  readonly warn?: QuantWarn;
}

type Rule = (cfg: RiskConfig, i: RuleInput) => RiskResult;

const OK: RiskDecision = Object.freeze({ ok: true });

/**
 * Every order passes here before it leaves, in backtest and live alike. First the exchange's
 * own filters (tick, step, min qty, min notional) so a bad order is refused locally with the
 * same reason the exchange would give; then the configured limits of `RiskConfig` (the
 * `risk` section of the run's config), each refusal a `RISK_DENIED` whose message starts with
 * `[rule]`. With no limit configured a check is the filters plus one branch.
 *
 * The engine reads the account through a `RiskStateView` (see `attach`) and observes what
 * the ExecutionEngine does: orders and amends sent, fills, orders ending.
 */
export class RiskEngine {
  private readonly cfg: RiskConfig | undefined;
  private readonly rules: readonly Rule[];
  private readonly daily: DailyLossGuard | undefined;
  private readonly losses: ConsecutiveLossGuard | undefined;
  private readonly trips: RoundTripTracker | undefined;
  private readonly rate: OrderRateLimiter | undefined;
  private readonly quant: QuantRatioTracker | undefined;
  private state: RiskStateView | undefined;

  constructor(config?: RiskConfig, opts: RiskEngineOptions = {}) {
    const c = config ?? {};
    const rules: Rule[] = [];
    if (c.maxOrderNotional !== undefined) rules.push(checkMaxOrderNotional);
    if (c.priceBand !== undefined) rules.push(checkPriceBand);
    const perSymbol = Object.values(c.symbols ?? {});
    if (c.maxPositionQty !== undefined || perSymbol.some((s) => s.maxPositionQty !== undefined))
      rules.push(checkMaxPositionQty);
    if (c.maxPositionNotional !== undefined || perSymbol.some((s) => s.maxPositionNotional !== undefined))
      rules.push(checkMaxPositionNotional);
    if (c.maxOpenOrders !== undefined) rules.push(checkMaxOpenOrders);
    if (c.maxOpenPositions !== undefined) rules.push(checkMaxOpenPositions);
    this.rules = rules;
    this.daily = c.dailyLossLimit === undefined ? undefined : new DailyLossGuard(c.dailyLossLimit);
    const cl = c.consecutiveLosses;
    this.losses = cl === undefined ? undefined : new ConsecutiveLossGuard(cl.maxLosses, cl.coolDownUs);
    const losses = this.losses;
    this.trips =
      losses === undefined
        ? undefined
        : new RoundTripTracker((_symbol, pnl) => losses.onRoundTrip(pnl, this.view().now()));
    this.rate =
      c.orderRate === undefined ? undefined : new OrderRateLimiter(c.orderRate.per10s, c.orderRate.per60s);
    this.quant = c.quantRules === undefined ? undefined : new QuantRatioTracker(c.quantRules, opts.warn);
    const active =
      rules.length > 0 ||
      this.daily !== undefined ||
      this.losses !== undefined ||
      this.rate !== undefined ||
      this.quant !== undefined;
    this.cfg = active ? c : undefined;
  }

  /** Whether any limit beyond the exchange filters is configured. */
  get active(): boolean {
    return this.cfg !== undefined;
  }

  /** Gives the engine the account, books and clock it reads (the kernel calls this once). */
  attach(state: RiskStateView): void {
    this.state = state;
  }

  /**
   * Approves or denies an order (or, with `replaces`, an amend of that open order to `req`).
   * `refPrice` values market orders (NaN when unknown).
   */
  check(inst: Instrument, req: OrderRequest, refPrice: number, replaces?: Order): RiskDecision {
    const v = validateOrder(inst, req, Number.isNaN(refPrice) ? undefined : refPrice);
    if (!v.ok) return { ok: false, reason: v.reason };
    const cfg = this.cfg;
    if (cfg === undefined) return OK;
    const state = this.view();
    const now = state.now();
    const reduceOnly = req.reduceOnly === true;
    const price = req.type === 'limit' ? (req.price ?? Number.NaN) : refPrice;
    const replacesQty = replaces === undefined ? 0 : replaces.qty - replaces.filledQty;
    const qty = replaces === undefined ? req.qty : req.qty - replaces.filledQty;
    // An amend adds risk only when it grows the order.
    const addsRisk = !reduceOnly && qty > replacesQty;

    if (this.daily !== undefined) {
      const d = this.daily.check(now, state.equity(), !addsRisk);
      if (!d.ok) return d;
    }
    if (this.losses !== undefined) {
      const d = this.losses.check(now, !addsRisk);
      if (!d.ok) return d;
    }
    if (this.rules.length > 0) {
      const input: RuleInput = {
        inst,
        req: qty === req.qty ? req : { ...req, qty },
        price,
        replacesQty,
        state,
      };
      for (const rule of this.rules) {
        const d = rule(cfg, input);
        if (!d.ok) return d;
      }
    }
    if (this.rate !== undefined) {
      const d = this.rate.check(now);
      if (!d.ok) return d;
    }
    if (this.quant !== undefined && replaces === undefined) {
      const d = this.quant.check(req.symbol, now, reduceOnly);
      if (!d.ok) return d;
    }
    return OK;
  }

  // ---- what the ExecutionEngine reports

  /** An order (or an amend, `amend` true) left for the venue. */
  onSent(order: Order, now: Micros, amend = false): void {
    if (this.cfg === undefined) return;
    this.rate?.record(now);
    if (!amend) this.quant?.onSent(order.symbol, order.timeInForce, order.type === 'limit', now);
  }

  /** A fill, after the portfolio applied it. `firstFill`: the order's first. */
  onFill(fill: Fill, firstFill: boolean, contractSize: number, now: Micros): void {
    if (this.cfg === undefined) return;
    this.quant?.onFill(fill.symbol, fill.price * fill.qty * contractSize, firstFill, now);
    if (this.trips !== undefined || this.daily !== undefined) {
      const state = this.view();
      this.trips?.onFill(fill.symbol, state.positionQty(fill.symbol), state.netPnl(fill.symbol));
      this.daily?.observe(now, state.equity());
    }
  }

  /** An order reached a final state. */
  onClosed(order: Order, now: Micros): void {
    if (this.quant === undefined) return;
    const isLimit = order.type === 'limit';
    if (order.status === 'canceled')
      this.quant.onCanceled(order.symbol, order.timeInForce, now - order.createdTs, now);
    else if (order.status === 'expired') this.quant.onExpired(order.symbol, order.timeInForce, isLimit, now);
  }

  /** Equity re-marked (the kernel calls this on book moves while a position is open). */
  observeEquity(now: Micros, equity: number): void {
    this.daily?.observe(now, equity);
  }

  /** The quantitative ratios tracker, when configured (for reports and tests). */
  get quantRatios(): QuantRatioTracker | undefined {
    return this.quant;
  }

  private view(): RiskStateView {
    if (this.state === undefined)
      throw new Error('RiskEngine has limits configured but no state: call attach() first');
    return this.state;
  }
}

/** The kernel's RiskStateView over its engines. */
export function kernelRiskState(
  clock: { now(): Micros },
  instruments: readonly Instrument[],
  portfolio: Portfolio,
  marketData: MarketDataEngine,
  execution: ExecutionEngine,
): RiskStateView {
  return {
    now: () => clock.now(),
    positionQty: (s) => portfolio.qty(portfolio.symIndex(s)),
    openOrderQty: (s, side) => execution.openQty(s, side),
    openOrderCount: (s) => execution.openOrderCount(s),
    openPositionCount: () => {
      let n = 0;
      for (let i = 0; i < instruments.length; i++) if (portfolio.qty(i) !== 0) n++;
      return n;
    },
    mid: (s) => marketData.books[portfolio.symIndex(s)]!.mid(),
    netPnl: (s) => {
      const p = portfolio.position(portfolio.symIndex(s));
      return p.realizedPnl - p.fees - p.funding;
    },
    equity: () => portfolio.equity(),
  };
}
