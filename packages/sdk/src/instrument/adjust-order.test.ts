import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../orders/order-request.js';
import { adjustOrder } from './adjust-order.js';
import type { Instrument } from './instrument.js';
import { validateOrder } from './validate-order.js';

const INST: Instrument = {
  exchange: 'binance-futures',
  symbol: 'ETHUSDT',
  tickSize: 0.01,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

const req = (over: Partial<OrderRequest>): OrderRequest => ({
  symbol: 'ETHUSDT',
  side: 'buy',
  type: 'limit',
  qty: 1,
  price: 3000,
  ...over,
});

describe('adjustOrder', () => {
  it('rounds a buy price down and a sell price up (never more aggressive)', () => {
    expect(adjustOrder(INST, req({ side: 'buy', price: 3000.016 })).price).toBe(3000.01);
    expect(adjustOrder(INST, req({ side: 'sell', price: 3000.011 })).price).toBe(3000.02);
  });

  it('rounds qty down to the step', () => {
    expect(adjustOrder(INST, req({ qty: 1.2349 })).qty).toBe(1.234);
    expect(adjustOrder(INST, req({ side: 'sell', qty: 0.0009 })).qty).toBe(0);
  });

  it('keeps on-grid values (and float-noisy ones) at their decimal value', () => {
    const a = adjustOrder(INST, req({ price: 0.1 + 0.2, qty: 0.1 + 0.2 }));
    expect(a.price).toBe(0.3);
    expect(a.qty).toBe(0.3);
    const s = adjustOrder(INST, req({ side: 'sell', price: 0.1 + 0.2 }));
    expect(s.price).toBe(0.3);
  });

  it('leaves market orders without a price', () => {
    const a = adjustOrder(INST, {
      symbol: 'ETHUSDT',
      side: 'buy',
      type: 'market',
      qty: 2.0005,
      price: 3000.5,
    });
    expect('price' in a).toBe(false);
    expect(a.qty).toBe(2);
  });

  it('keeps the other fields and does not mutate the input', () => {
    const input = req({
      price: 3000.019,
      timeInForce: 'GTX',
      reduceOnly: true,
      clientOrderId: 'c1',
      tag: 'leg',
    });
    const a = adjustOrder(INST, input);
    expect(a).toEqual({ ...input, price: 3000.01 });
    expect(input.price).toBe(3000.019);
  });

  it('does not validate (a limit without price stays without price)', () => {
    const a = adjustOrder(INST, req({ price: undefined, qty: 0.0001 }));
    expect(a.price).toBeUndefined();
    expect(a.qty).toBe(0);
    expect(validateOrder(INST, a).ok).toBe(false);
  });

  it('produces requests that pass the grid checks', () => {
    const a = adjustOrder(INST, req({ price: 2999.99999, qty: 0.12345 }));
    expect(validateOrder(INST, a)).toEqual({ ok: true });
  });
});
