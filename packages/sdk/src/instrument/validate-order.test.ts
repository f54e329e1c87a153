import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../orders/order-request.js';
import type { Instrument } from './instrument.js';
import { type OrderValidation, validateOrder } from './validate-order.js';

const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
  maxQty: 1000,
};

const limit = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  qty: 0.01,
  price: 50000.1,
  ...over,
});

const reasonOf = (v: OrderValidation) => (v.ok ? undefined : v.reason);

describe('validateOrder', () => {
  it('accepts a valid limit order, including float-noisy values on the grid', () => {
    expect(validateOrder(BTC, limit())).toEqual({ ok: true });
    expect(validateOrder(BTC, limit({ price: 50000 + 0.1, qty: 0.1 + 0.2 }))).toEqual({ ok: true });
    expect(validateOrder(BTC, limit({ timeInForce: 'GTX', side: 'sell' })).ok).toBe(true);
  });

  it('rejects another symbol', () => {
    const r = reasonOf(validateOrder(BTC, limit({ symbol: 'ETHUSDT' })));
    expect(r?.code).toBe('UNKNOWN_SYMBOL');
    expect(r?.exchangeCode).toBe(-1121);
    expect(r?.message).toContain('ETHUSDT');
  });

  it('rejects bad type, side and time in force', () => {
    const bad = (over: Record<string, unknown>) =>
      reasonOf(validateOrder(BTC, { ...limit(), ...over } as unknown as OrderRequest));
    expect(bad({ type: 'stop' })?.code).toBe('INVALID_REQUEST');
    expect(bad({ side: 'long' })?.code).toBe('INVALID_REQUEST');
    expect(bad({ timeInForce: 'DAY' })?.code).toBe('INVALID_REQUEST');
    const gtxMarket = reasonOf(
      validateOrder(BTC, { symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 1, timeInForce: 'GTX' }),
    );
    expect(gtxMarket?.code).toBe('INVALID_REQUEST');
    expect(gtxMarket?.message).toMatch(/post-only/);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects qty %s', (qty) => {
    const r = reasonOf(validateOrder(BTC, limit({ qty })));
    expect(r?.code).toBe('INVALID_QTY');
    expect(r?.exchangeCode).toBe(-4003);
  });

  it('rejects a limit without a usable price', () => {
    expect(reasonOf(validateOrder(BTC, limit({ price: undefined })))?.code).toBe('INVALID_PRICE');
    expect(reasonOf(validateOrder(BTC, limit({ price: Number.NaN })))?.code).toBe('INVALID_PRICE');
    const neg = reasonOf(validateOrder(BTC, limit({ price: -5 })));
    expect(neg?.code).toBe('INVALID_PRICE');
    expect(neg?.exchangeCode).toBe(-4001);
  });

  it('rejects a price off the tick grid with a one-line message', () => {
    const r = reasonOf(validateOrder(BTC, limit({ price: 100.05, qty: 2 })));
    expect(r).toEqual({
      code: 'PRICE_PRECISION',
      message: 'price 100.05 is not a multiple of tick size 0.1 for BTCUSDT',
      exchangeCode: -4014,
    });
  });

  it('rejects a qty off the step grid (-1111 for too many decimals, -4023 otherwise)', () => {
    const r = reasonOf(validateOrder(BTC, limit({ qty: 0.0015 })));
    expect(r?.code).toBe('QTY_PRECISION');
    expect(r?.exchangeCode).toBe(-1111);
    expect(r?.message).toBe('qty 0.0015 is not a multiple of step size 0.001 for BTCUSDT');
    const half: Instrument = { ...BTC, stepSize: 0.5, minQty: 0.5 };
    expect(reasonOf(validateOrder(half, limit({ qty: 1.2 })))?.exchangeCode).toBe(-4023);
  });

  it('enforces min and max qty', () => {
    const inst: Instrument = { ...BTC, minQty: 0.01, minNotional: 0 };
    const small = reasonOf(validateOrder(inst, limit({ qty: 0.005 })));
    expect(small?.code).toBe('QTY_TOO_SMALL');
    expect(small?.exchangeCode).toBe(-4004);
    expect(small?.message).toBe('qty 0.005 is below min qty 0.01 for BTCUSDT');
    const large = reasonOf(validateOrder(BTC, limit({ qty: 1000.001 })));
    expect(large?.code).toBe('QTY_TOO_LARGE');
    expect(large?.exchangeCode).toBe(-4005);
    expect(validateOrder({ ...BTC, maxQty: undefined }, limit({ qty: 5000 })).ok).toBe(true);
  });

  it('enforces min notional on limit orders', () => {
    const r = reasonOf(validateOrder(BTC, limit({ price: 50000, qty: 0.001 })));
    expect(r?.code).toBe('NOTIONAL_TOO_SMALL');
    expect(r?.exchangeCode).toBe(-4164);
    expect(r?.message).toBe('notional 50 (price 50000 × qty 0.001) is below min notional 100 for BTCUSDT');
    expect(validateOrder(BTC, limit({ price: 50000, qty: 0.002 })).ok).toBe(true);
    // 0.29 × 100 = 28.999999999999996 in floats: an order exactly at the limit still passes.
    const cheap: Instrument = { ...BTC, tickSize: 0.01, stepSize: 1, minQty: 1, minNotional: 29 };
    expect(0.29 * 100).toBeLessThan(29);
    expect(validateOrder(cheap, limit({ price: 0.29, qty: 100 })).ok).toBe(true);
    expect(validateOrder(cheap, limit({ price: 0.28, qty: 100 })).ok).toBe(false);
  });

  it('includes the contract size in notional', () => {
    const inv: Instrument = { ...BTC, contractSize: 0.01 };
    const r = reasonOf(validateOrder(inv, limit({ price: 50000, qty: 0.1 })));
    expect(r?.code).toBe('NOTIONAL_TOO_SMALL');
    expect(r?.message).toContain('× contract size 0.01');
  });

  it('checks market-order notional only against a reference price', () => {
    const mkt: OrderRequest = { symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 0.001 };
    expect(validateOrder(BTC, mkt).ok).toBe(true);
    expect(reasonOf(validateOrder(BTC, mkt, 50000))?.code).toBe('NOTIONAL_TOO_SMALL');
    expect(validateOrder(BTC, { ...mkt, qty: 0.01 }, 50000).ok).toBe(true);
  });

  it('exempts reduce-only orders from min notional but not from min qty', () => {
    expect(validateOrder(BTC, limit({ price: 50000, qty: 0.001, reduceOnly: true })).ok).toBe(true);
    const inst: Instrument = { ...BTC, minQty: 0.01 };
    expect(reasonOf(validateOrder(inst, limit({ qty: 0.001, reduceOnly: true })))?.code).toBe(
      'QTY_TOO_SMALL',
    );
  });

  it('reports the first failing check in order', () => {
    // Off-tick price and off-step qty: the price check comes first.
    expect(reasonOf(validateOrder(BTC, limit({ price: 100.05, qty: 0.0015 })))?.code).toBe('PRICE_PRECISION');
    // Off-step and below min qty: precision first.
    expect(reasonOf(validateOrder({ ...BTC, minQty: 1 }, limit({ qty: 0.0015 })))?.code).toBe(
      'QTY_PRECISION',
    );
    // Wrong symbol beats everything.
    expect(reasonOf(validateOrder(BTC, limit({ symbol: 'X', qty: -1 })))?.code).toBe('UNKNOWN_SYMBOL');
  });
});
