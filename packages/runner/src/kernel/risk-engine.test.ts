import {
  defineStrategy,
  type ExecutionReport,
  type Order,
  type OrderRequest,
  parseRiskConfig,
  type RiskConfigInput,
  riskRuleOf,
  type StrategyContext,
  US_PER_DAY,
  US_PER_SECOND,
  z,
} from '@botplatform/sdk';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ReplayClock } from './clock.js';
import { Kernel } from './kernel.js';
import { BTC, ETH, FakeVenue } from './kernel.test-support.js';
import { FLAG_FIRST, FLAG_LAST, FLAG_SNAPSHOT } from './market-data-engine.js';
import { RiskEngine } from './risk-engine.js';

/** A UTC midnight. */
const T0 = 19_675 * US_PER_DAY;

function setup(risk: RiskConfigInput, onUpdate: (o: Order) => void = () => {}) {
  let ctx: StrategyContext | undefined;
  const updates: Order[] = [];
  const warnings: string[] = [];
  const def = defineStrategy({
    name: 'risk-test',
    params: z.object({}),
    create(c) {
      ctx = c;
      return {
        onOrderUpdate(o) {
          updates.push(o);
          onUpdate(o);
        },
      };
    },
  });
  const clock = new ReplayClock(T0);
  const venue = new FakeVenue();
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
  const kernel = new Kernel({
    mode: 'backtest',
    clock,
    instruments: [BTC, ETH],
    venue,
    strategy: def,
    params: {},
    logger,
    risk: parseRiskConfig(risk),
  });
  // mid 50 000 on BTCUSDT
  kernel.depthRow(0, 1, 49999.9, 1, FLAG_SNAPSHOT | FLAG_FIRST, 10, 9, T0, T0);
  kernel.depthRow(0, -1, 50000.1, 1, FLAG_SNAPSHOT | FLAG_LAST, 10, 9, T0, T0);
  return { kernel, venue, clock, ctx: ctx!, updates, warnings };
}

const buy = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  qty: 0.002,
  price: 49_000,
  ...over,
});

const fill = (
  id: string,
  qty: number,
  price: number,
  leavesQty = 0,
): Extract<ExecutionReport, { kind: 'fill' }> => ({
  kind: 'fill',
  clientOrderId: id,
  price,
  qty,
  fee: 0,
  liquidity: 'taker',
  leavesQty,
  exchTs: 0,
});

describe('RiskEngine: composition', () => {
  it('without limits it is the exchange filters alone', () => {
    const risk = new RiskEngine();
    expect(risk.active).toBe(false);
    expect(risk.check(BTC, buy(), Number.NaN)).toEqual({ ok: true });
    const d = risk.check(BTC, buy({ price: 49_000.05 }), Number.NaN);
    expect(d.ok ? undefined : d.reason.code).toBe('PRICE_PRECISION');
    expect(new RiskEngine(parseRiskConfig({})).active).toBe(false);
  });

  it('the exchange filters run first, then the limits', () => {
    const risk = new RiskEngine(parseRiskConfig({ maxOrderNotional: 10 }));
    expect(() => risk.check(BTC, buy(), Number.NaN)).toThrow(/attach\(\)/);
    const { kernel } = setup({ maxOrderNotional: 10 });
    const bad = kernel.risk.check(BTC, buy({ qty: 0.0015 }), Number.NaN);
    expect(bad.ok ? undefined : bad.reason.code).toBe('QTY_PRECISION');
    const big = kernel.risk.check(BTC, buy(), Number.NaN);
    expect(big.ok ? undefined : riskRuleOf(big.reason)).toBe('maxOrderNotional');
  });
});

describe('RiskEngine in the kernel', () => {
  it('a denied order reaches onOrderUpdate as rejected with RISK_DENIED and never reaches the venue', () => {
    const { kernel, venue, ctx, updates } = setup({ maxOrderNotional: 100 });
    const h = ctx.placeOrder(buy({ qty: 0.003 })); // 147
    kernel.runDue(T0);
    expect(h.status).toBe('rejected');
    expect(h.reason?.code).toBe('RISK_DENIED');
    expect(venue.submits).toEqual([]);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ clientOrderId: h.clientOrderId, status: 'rejected' });
    expect(updates[0]!.reason).toEqual({
      code: 'RISK_DENIED',
      message: '[maxOrderNotional] order notional 147 (price 49000 × qty 0.003) is above max 100 for BTCUSDT',
    });
    expect(ctx.placeOrder(buy()).status).toBe('pending'); // 98: sent
    expect(venue.submits).toHaveLength(1);
  });

  it('price band around the book mid; market orders are valued at the mid', () => {
    const { ctx } = setup({ priceBand: 0.02, maxOrderNotional: 100 });
    expect(ctx.placeOrder(buy({ price: 49_000 })).status).toBe('pending'); // 2 % below 50 000
    const far = ctx.placeOrder(buy({ price: 48_999.9 }));
    expect(riskRuleOf(far.reason)).toBe('priceBand');
    const mkt = ctx.placeOrder(buy({ type: 'market', price: undefined, qty: 0.003 })); // 150 at mid
    expect(riskRuleOf(mkt.reason)).toBe('maxOrderNotional');
  });

  it('max open orders follows the orders the ExecutionEngine holds open', () => {
    const { kernel, ctx } = setup({ maxOpenOrders: 2 });
    const a = ctx.placeOrder(buy());
    ctx.placeOrder(buy());
    expect(riskRuleOf(ctx.placeOrder(buy()).reason)).toBe('maxOpenOrders');
    ctx.cancelOrder(a.clientOrderId);
    kernel.scheduleReport({ kind: 'canceled', clientOrderId: a.clientOrderId, exchTs: 0 }, T0 + 10);
    kernel.runDue(T0 + 10);
    expect(ctx.placeOrder(buy()).status).toBe('pending');
  });

  it('max position counts fills and open orders; reduce-only passes; an amend is judged by what it adds', () => {
    const { kernel, ctx, venue } = setup({ maxPositionQty: 0.01 });
    const a = ctx.placeOrder(buy({ qty: 0.006 }));
    kernel.scheduleReport(fill(a.clientOrderId, 0.006, 49_000), T0 + 5);
    kernel.runDue(T0 + 5);
    expect(ctx.position('BTCUSDT').qty).toBe(0.006);
    const b = ctx.placeOrder(buy({ qty: 0.003 })); // 0.009
    expect(b.status).toBe('pending');
    expect(riskRuleOf(ctx.placeOrder(buy({ qty: 0.002 })).reason)).toBe('maxPositionQty'); // 0.011
    expect(ctx.placeOrder(buy({ side: 'sell', qty: 0.006, reduceOnly: true })).status).toBe('pending');
    // amend b from 0.003 to 0.004 (0.010: allowed), then to 0.005 (0.011: refused, reason on the order)
    expect(ctx.modifyOrder(b.clientOrderId, { qty: 0.004 })).toBe(true);
    expect(venue.modifies).toHaveLength(1);
    kernel.scheduleReport(
      { kind: 'modified', clientOrderId: b.clientOrderId, price: 49_000, qty: 0.004, exchTs: 0 },
      T0 + 6,
    );
    kernel.runDue(T0 + 6);
    expect(ctx.modifyOrder(b.clientOrderId, { qty: 0.005 })).toBe(false);
    kernel.runDue(T0 + 6);
    const last = ctx.openOrders('BTCUSDT').find((o) => o.clientOrderId === b.clientOrderId)!;
    expect(riskRuleOf(last.reason)).toBe('maxPositionQty');
  });

  it('order rate: sent orders and amends count; the window slides', () => {
    const { ctx, clock } = setup({ orderRate: { per10s: 2, per60s: 3 } });
    const a = ctx.placeOrder(buy());
    ctx.modifyOrder(a.clientOrderId, { price: 48_900 }); // counts as an order sent
    expect(riskRuleOf(ctx.placeOrder(buy()).reason)).toBe('orderRate10s');
    clock.advance(T0 + 10 * US_PER_SECOND);
    expect(ctx.placeOrder(buy()).status).toBe('pending');
    clock.advance(T0 + 30 * US_PER_SECOND);
    expect(riskRuleOf(ctx.placeOrder(buy()).reason)).toBe('orderRate60s');
    clock.advance(T0 + 60 * US_PER_SECOND);
    expect(ctx.placeOrder(buy()).status).toBe('pending');
  });

  it('consecutive losses: round trips from fills, cool-down, then trading resumes', () => {
    const { kernel, ctx, clock } = setup({
      consecutiveLosses: { maxLosses: 2, coolDownUs: 60 * US_PER_SECOND },
    });
    let t = T0;
    const roundTrip = (exit: number) => {
      const open = ctx.placeOrder(buy({ type: 'market', price: undefined, qty: 0.01 }));
      kernel.scheduleReport(fill(open.clientOrderId, 0.01, 50_000), ++t);
      kernel.runDue(t);
      const close = ctx.placeOrder(buy({ side: 'sell', type: 'market', price: undefined, qty: 0.01 }));
      kernel.scheduleReport(fill(close.clientOrderId, 0.01, exit), ++t);
      kernel.runDue(t);
    };
    roundTrip(49_000); // −10
    roundTrip(51_000); // +10 resets
    roundTrip(49_900); // −1
    expect(ctx.placeOrder(buy()).status).toBe('pending');
    roundTrip(49_900); // −1: second in a row
    const denied = ctx.placeOrder(buy());
    expect(denied.reason?.message).toMatch(
      /^\[consecutiveLosses\] 2 losing round trips in a row \(last -1\)/,
    );
    expect(ctx.placeOrder(buy({ side: 'sell', reduceOnly: true })).status).toBe('pending');
    clock.advance(t + 60 * US_PER_SECOND);
    expect(ctx.placeOrder(buy()).status).toBe('pending');
  });

  it('daily loss: halts new risk after the loss until the next UTC day, reduce-only allowed', () => {
    const { kernel, ctx, clock } = setup({ dailyLossLimit: 20 });
    const open = ctx.placeOrder(buy({ qty: 0.01, price: 50_000 }));
    kernel.scheduleReport(fill(open.clientOrderId, 0.01, 50_000), T0 + 1);
    kernel.runDue(T0 + 1);
    // the book falls to mid 47 999.9: unrealized −20 seen on the book move
    kernel.depthRow(0, 1, 47_999.8, 1, FLAG_SNAPSHOT | FLAG_FIRST, 11, 10, T0 + 2, T0 + 2);
    kernel.depthRow(0, -1, 48_000, 1, FLAG_SNAPSHOT | FLAG_LAST, 11, 10, T0 + 2, T0 + 2);
    expect(kernel.portfolio.equity()).toBeCloseTo(-20.001, 6);
    expect(riskRuleOf(ctx.placeOrder(buy({ price: 47_000 })).reason)).toBe('dailyLossLimit');
    expect(ctx.placeOrder(buy({ side: 'sell', reduceOnly: true, price: 48_100 })).status).toBe('pending');
    clock.advance(T0 + US_PER_DAY);
    expect(ctx.placeOrder(buy({ price: 47_000 })).status).toBe('pending');
  });

  it('max open positions counts symbols with a position', () => {
    const { kernel, ctx } = setup({ maxOpenPositions: 1 });
    const a = ctx.placeOrder(buy({ type: 'market', price: undefined, qty: 0.01 }));
    kernel.scheduleReport(fill(a.clientOrderId, 0.01, 50_000), T0 + 1);
    kernel.runDue(T0 + 1);
    expect(riskRuleOf(ctx.placeOrder(buy({ symbol: 'ETHUSDT', price: 3000 })).reason)).toBe(
      'maxOpenPositions',
    );
    expect(ctx.placeOrder(buy()).status).toBe('pending');
    expect(ETH.symbol).toBe('ETHUSDT');
  });

  it('quantitative ratios: cancels within 5 s and unfilled orders over the window warn, then block', () => {
    const { kernel, ctx, warnings } = setup({
      quantRules: { minOrders: 10, gtcCancelRatio: 0.5, warnAt: 0.5, blockAt: 0.9 },
    });
    let t = T0;
    for (let i = 0; i < 9; i++) {
      const o = ctx.placeOrder(buy());
      expect(o.status).toBe('pending');
      ctx.cancelOrder(o.clientOrderId);
      kernel.scheduleReport({ kind: 'canceled', clientOrderId: o.clientOrderId, exchTs: 0 }, ++t);
      kernel.runDue(t);
    }
    // 9 sent, 9 canceled within 5 s: GCR 1 ≥ 0.45; UFR with the next 1 ≥ 0.891
    const d = ctx.placeOrder(buy());
    expect(riskRuleOf(d.reason)).toBe('unfilledRatio');
    expect(warnings).toEqual([
      "unfilledRatio of BTCUSDT at 1 nears the exchange's 0.99",
      "gtcCancelRatio of BTCUSDT at 1 nears the exchange's 0.5",
    ]);
    expect(ctx.placeOrder(buy({ side: 'sell', reduceOnly: true })).status).toBe('pending');
    expect(ctx.placeOrder(buy({ symbol: 'ETHUSDT', price: 3000 })).status).toBe('pending');
    expect(kernel.risk.quantRatios?.ratios('BTCUSDT', t).gtcCancelRatio).toBe(0.9); // the reduce-only order counts too;
  });
});
