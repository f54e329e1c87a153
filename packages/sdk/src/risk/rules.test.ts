import { describe, expect, it } from 'vitest';
import type { Side } from '../events/side.js';
import type { Instrument } from '../instrument/instrument.js';
import type { OrderRequest } from '../orders/order-request.js';
import type { RiskConfig } from './config.js';
import {
  checkMaxOpenOrders,
  checkMaxOpenPositions,
  checkMaxOrderNotional,
  checkMaxPositionNotional,
  checkMaxPositionQty,
  checkPriceBand,
  type RuleInput,
} from './order-rules.js';
import { type RiskResult, riskRuleOf } from './risk-decision.js';
import type { RiskStateView } from './risk-state.js';

const INST: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

class TestState implements RiskStateView {
  ts = 0;
  readonly positions = new Map<string, number>();
  readonly open: Array<{ symbol: string; side: Side; qty: number }> = [];
  readonly mids = new Map<string, number>();
  readonly nets = new Map<string, number>();
  eq = 0;
  now(): number {
    return this.ts;
  }
  positionQty(symbol: string): number {
    return this.positions.get(symbol) ?? 0;
  }
  openOrderQty(symbol: string, side: Side): number {
    return this.open.filter((o) => o.symbol === symbol && o.side === side).reduce((a, o) => a + o.qty, 0);
  }
  openOrderCount(symbol?: string): number {
    return this.open.filter((o) => symbol === undefined || o.symbol === symbol).length;
  }
  openPositionCount(): number {
    return [...this.positions.values()].filter((q) => q !== 0).length;
  }
  mid(symbol: string): number {
    return this.mids.get(symbol) ?? Number.NaN;
  }
  netPnl(symbol: string): number {
    return this.nets.get(symbol) ?? 0;
  }
  equity(): number {
    return this.eq;
  }
}

const order = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  qty: 0.1,
  price: 50_000,
  ...over,
});

const input = (state: TestState, req: OrderRequest, replacesQty = 0): RuleInput => ({
  inst: INST,
  req,
  price: req.price ?? state.mid(req.symbol),
  replacesQty,
  state,
});

const rule = (r: RiskResult) => (r.ok ? 'ok' : riskRuleOf(r.reason));
const message = (r: RiskResult) => (r.ok ? '' : r.reason.message);

describe('max position (quantity)', () => {
  const cfg: RiskConfig = { maxPositionQty: 1 };

  it('counts the position, the open orders on the same side and the order: allows reaching the limit', () => {
    const s = new TestState();
    s.positions.set('BTCUSDT', 0.5);
    s.open.push({ symbol: 'BTCUSDT', side: 'buy', qty: 0.3 }, { symbol: 'BTCUSDT', side: 'sell', qty: 5 });
    expect(rule(checkMaxPositionQty(cfg, input(s, order({ qty: 0.2 }))))).toBe('ok'); // 0.5 + 0.3 + 0.2 = 1
    const r = checkMaxPositionQty(cfg, input(s, order({ qty: 0.201 }))); // 1.001
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.code).toBe('RISK_DENIED');
      expect(r.reason.message).toBe(
        '[maxPositionQty] position 0.5 with open orders and this buy of 0.201 could reach 1.001, beyond max 1 for BTCUSDT',
      );
    }
  });

  it('shorts count by absolute value; orders towards flat pass', () => {
    const s = new TestState();
    s.positions.set('BTCUSDT', -0.9);
    expect(rule(checkMaxPositionQty(cfg, input(s, order({ side: 'sell', qty: 0.1 }))))).toBe('ok');
    expect(rule(checkMaxPositionQty(cfg, input(s, order({ side: 'sell', qty: 0.11 }))))).toBe(
      'maxPositionQty',
    );
    expect(rule(checkMaxPositionQty(cfg, input(s, order({ side: 'buy', qty: 1.9 }))))).toBe('ok'); // −0.9 → +1
  });

  it('reduce-only is exempt', () => {
    const s = new TestState();
    s.positions.set('BTCUSDT', 5);
    expect(rule(checkMaxPositionQty(cfg, input(s, order({ side: 'buy', reduceOnly: true }))))).toBe('ok');
  });

  it('a per-symbol override wins', () => {
    const s = new TestState();
    const c: RiskConfig = { maxPositionQty: 1, symbols: { ETHUSDT: { maxPositionQty: 20 } } };
    expect(rule(checkMaxPositionQty(c, input(s, order({ symbol: 'ETHUSDT', qty: 20, price: 3000 }))))).toBe(
      'ok',
    );
    expect(rule(checkMaxPositionQty(c, input(s, order({ symbol: 'ETHUSDT', qty: 21, price: 3000 }))))).toBe(
      'maxPositionQty',
    );
  });

  it('an amend counts only what it adds to the order it replaces', () => {
    const s = new TestState();
    s.open.push({ symbol: 'BTCUSDT', side: 'buy', qty: 0.8 });
    // the open 0.8 is amended to 1.0: 0.8 − 0.8 + 1.0 = 1.0
    expect(rule(checkMaxPositionQty(cfg, input(s, order({ qty: 1 }), 0.8)))).toBe('ok');
    expect(rule(checkMaxPositionQty(cfg, input(s, order({ qty: 1.001 }), 0.8)))).toBe('maxPositionQty');
  });
});

describe('max position (notional)', () => {
  const cfg: RiskConfig = { maxPositionNotional: 10_000 };
  it('values the projected position at the order price', () => {
    const s = new TestState();
    s.positions.set('BTCUSDT', 0.1); // 0.1 + 0.1 at 50 000 = 10 000
    expect(rule(checkMaxPositionNotional(cfg, input(s, order())))).toBe('ok');
    const r = checkMaxPositionNotional(cfg, input(s, order({ qty: 0.101 })));
    expect(message(r)).toBe(
      '[maxPositionNotional] position notional could reach 10050 at 50000, beyond max 10000 for BTCUSDT',
    );
  });
  it('market orders use the reference price; none known = skipped; reduce-only exempt', () => {
    const s = new TestState();
    s.mids.set('BTCUSDT', 100_000);
    const mkt = order({ type: 'market', price: undefined, qty: 0.1 }); // 10 000
    expect(rule(checkMaxPositionNotional(cfg, input(s, mkt)))).toBe('ok');
    expect(rule(checkMaxPositionNotional(cfg, input(s, { ...mkt, qty: 0.11 })))).toBe('maxPositionNotional');
    s.mids.clear();
    expect(rule(checkMaxPositionNotional(cfg, input(s, { ...mkt, qty: 9 })))).toBe('ok');
    s.mids.set('BTCUSDT', 100_000);
    expect(rule(checkMaxPositionNotional(cfg, input(s, { ...mkt, qty: 9, reduceOnly: true })))).toBe('ok');
  });
});

describe('max open orders', () => {
  const cfg: RiskConfig = { maxOpenOrders: 2 };
  it('allows the order that makes the limit, denies the next; amends are not new orders', () => {
    const s = new TestState();
    s.open.push({ symbol: 'BTCUSDT', side: 'buy', qty: 0.1 });
    expect(rule(checkMaxOpenOrders(cfg, input(s, order())))).toBe('ok');
    s.open.push({ symbol: 'ETHUSDT', side: 'sell', qty: 1 });
    expect(message(checkMaxOpenOrders(cfg, input(s, order())))).toBe(
      '[maxOpenOrders] 2 orders already open, max 2 (BTCUSDT)',
    );
    expect(rule(checkMaxOpenOrders(cfg, input(s, order(), 0.1)))).toBe('ok');
  });
});

describe('max order notional', () => {
  const cfg: RiskConfig = { maxOrderNotional: 5_000 };
  it('price × qty × contract size, at the limit allowed', () => {
    const s = new TestState();
    expect(rule(checkMaxOrderNotional(cfg, input(s, order({ qty: 0.1 }))))).toBe('ok');
    expect(message(checkMaxOrderNotional(cfg, input(s, order({ qty: 0.101 }))))).toBe(
      '[maxOrderNotional] order notional 5050 (price 50000 × qty 0.101) is above max 5000 for BTCUSDT',
    );
  });
});

describe('price band', () => {
  const cfg: RiskConfig = { priceBand: 0.01 };
  it('|price − mid| / mid ≤ band, both sides; market orders and an empty book skip it', () => {
    const s = new TestState();
    s.mids.set('BTCUSDT', 50_000);
    expect(rule(checkPriceBand(cfg, input(s, order({ price: 50_500 }))))).toBe('ok');
    expect(rule(checkPriceBand(cfg, input(s, order({ price: 49_500 }))))).toBe('ok');
    expect(message(checkPriceBand(cfg, input(s, order({ price: 50_500.1 }))))).toBe(
      '[priceBand] price 50500.1 is 1.0002 % from mid 50000, band 1 % for BTCUSDT',
    );
    expect(rule(checkPriceBand(cfg, input(s, order({ price: 49_499.9 }))))).toBe('priceBand');
    expect(rule(checkPriceBand(cfg, input(s, order({ type: 'market', price: undefined }))))).toBe('ok');
    s.mids.clear();
    expect(rule(checkPriceBand(cfg, input(s, order({ price: 1 }))))).toBe('ok');
  });
});

describe('max open positions', () => {
  const cfg: RiskConfig = { maxOpenPositions: 2 };
  it('denies opening one more position; orders on a symbol already held and reduce-only pass', () => {
    const s = new TestState();
    s.positions.set('ETHUSDT', 1);
    expect(rule(checkMaxOpenPositions(cfg, input(s, order())))).toBe('ok'); // would be the 2nd
    s.positions.set('SOLUSDT', -3);
    expect(message(checkMaxOpenPositions(cfg, input(s, order())))).toBe(
      '[maxOpenPositions] 2 positions already open, max 2: no new position in BTCUSDT',
    );
    expect(rule(checkMaxOpenPositions(cfg, input(s, order({ symbol: 'ETHUSDT', price: 3000 }))))).toBe('ok');
    expect(rule(checkMaxOpenPositions(cfg, input(s, order({ reduceOnly: true }))))).toBe('ok');
  });
});

describe('riskRuleOf', () => {
  it('reads the rule of a RISK_DENIED reason only', () => {
    expect(riskRuleOf({ code: 'RISK_DENIED', message: '[priceBand] x' })).toBe('priceBand');
    expect(riskRuleOf({ code: 'QTY_TOO_SMALL', message: '[priceBand] x' })).toBeUndefined();
    expect(riskRuleOf(undefined)).toBeUndefined();
  });
});
