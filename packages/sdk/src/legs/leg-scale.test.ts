import { describe, expect, it } from 'vitest';
import { validateOrder } from '../instrument/validate-order.js';
import { Leg } from './leg.js';
import { ETH, fill } from './legs.test-support.js';

// ETH: tick 0.01, step 0.001, minQty 0.01.
const mk = (direction: 'long' | 'short') =>
  new Leg({ id: direction === 'long' ? 'L' : 'S', symbol: 'ETHUSDT', direction, instrument: ETH });

describe('Leg.scaleIn', () => {
  it('long ladder: offsets step down from the reference rounded passively; qty down to the step', () => {
    const l = mk('long');
    const orders = l.scaleIn({
      kind: 'ladder',
      reference: 3000.005,
      levels: [
        { offsetTicks: 0, qty: 0.1 },
        { offsetTicks: 5, qty: 0.2 },
        { price: 2990.019, qty: 0.0159 },
        { offsetTicks: 10, qty: 0.009 }, // below minQty: dropped
      ],
    });
    expect(orders).toEqual([
      { symbol: 'ETHUSDT', side: 'buy', type: 'limit', qty: 0.1, price: 3000, tag: 'L' },
      { symbol: 'ETHUSDT', side: 'buy', type: 'limit', qty: 0.2, price: 2999.95, tag: 'L' },
      { symbol: 'ETHUSDT', side: 'buy', type: 'limit', qty: 0.015, price: 2990.01, tag: 'L' },
    ]);
    for (const o of orders) {
      expect(o.reduceOnly).toBeUndefined();
      expect(o.clientOrderId).toBeUndefined();
      expect(validateOrder(ETH, o)).toEqual({ ok: true });
    }
  });

  it('short ladder: sells, offsets step up, reference rounded up; timeInForce carried', () => {
    const s = mk('short');
    const orders = s.scaleIn({
      kind: 'ladder',
      reference: 3000.005,
      timeInForce: 'GTX',
      levels: [
        { offsetTicks: 5, qty: 0.5 },
        { price: 3010.001, qty: 0.5 },
      ],
    });
    expect(orders).toEqual([
      {
        symbol: 'ETHUSDT',
        side: 'sell',
        type: 'limit',
        qty: 0.5,
        price: 3000.06,
        timeInForce: 'GTX',
        tag: 'S',
      },
      {
        symbol: 'ETHUSDT',
        side: 'sell',
        type: 'limit',
        qty: 0.5,
        price: 3010.01,
        timeInForce: 'GTX',
        tag: 'S',
      },
    ]);
  });

  it('fraction: sizes from the current quantity (market by default)', () => {
    const l = mk('long');
    l.onFill(fill('L', 'buy', 1, 3000, 0, 'ETHUSDT'));
    expect(l.scaleIn({ kind: 'fraction', fraction: 0.5 })).toEqual([
      { symbol: 'ETHUSDT', side: 'buy', type: 'market', qty: 0.5, tag: 'L' },
    ]);
    expect(l.scaleIn({ kind: 'fraction', fraction: 0.25, price: 2950.019 })).toEqual([
      { symbol: 'ETHUSDT', side: 'buy', type: 'limit', qty: 0.25, price: 2950.01, tag: 'L' },
    ]);
    expect(mk('long').scaleIn({ kind: 'fraction', fraction: 0.5 })).toEqual([]); // flat: 0
  });

  it('rejects malformed plans with a clear message', () => {
    const l = mk('long');
    expect(() => l.scaleIn({ kind: 'ladder', levels: [{ offsetTicks: 1, qty: 1 }] })).toThrow(
      /level 0 uses offsetTicks but the plan has no reference price/,
    );
    expect(() => l.scaleIn({ kind: 'ladder', levels: [{ price: -1, qty: 1 }] })).toThrow(/level 0 price/);
    expect(() => l.scaleIn({ kind: 'ladder', levels: [{ price: 1, qty: Number.NaN }] })).toThrow(
      /level 0 qty/,
    );
    expect(() => l.scaleIn({ kind: 'fraction', fraction: 0 })).toThrow(/fraction must be a positive/);
    expect(() => l.scaleIn({ kind: 'fraction', fraction: 0.5, type: 'limit' })).toThrow(
      /needs a positive price/,
    );
  });
});

describe('Leg.scaleOut', () => {
  const held = (direction: 'long' | 'short', qty: number, price: number) => {
    const l = mk(direction);
    l.onFill(fill(l.id, direction === 'long' ? 'buy' : 'sell', qty, price, 0, 'ETHUSDT'));
    return l;
  };

  it('fraction: reduce-only, qty rounded down to the step, whole leg for fraction ≥ 1', () => {
    const l = held('long', 1.005, 3000);
    expect(l.scaleOut({ kind: 'fraction', fraction: 0.5 })).toEqual([
      { symbol: 'ETHUSDT', side: 'sell', type: 'market', qty: 0.502, reduceOnly: true, tag: 'L' },
    ]);
    expect(l.scaleOut({ kind: 'fraction', fraction: 1 })[0]!.qty).toBe(1.005);
    expect(l.scaleOut({ kind: 'fraction', fraction: 2 })[0]!.qty).toBe(1.005);
    // A sell limit price rounds up (passive).
    expect(l.scaleOut({ kind: 'fraction', fraction: 1 / 3, price: 3100.001 })).toEqual([
      {
        symbol: 'ETHUSDT',
        side: 'sell',
        type: 'limit',
        qty: 0.335,
        price: 3100.01,
        reduceOnly: true,
        tag: 'L',
      },
    ]);
  });

  it('gives nothing below minQty or when flat', () => {
    const l = held('long', 1.005, 3000);
    expect(l.scaleOut({ kind: 'fraction', fraction: 0.005 })).toEqual([]); // 0.005025 → 0.005 < 0.01
    expect(mk('long').scaleOut({ kind: 'fraction', fraction: 1 })).toEqual([]);
  });

  it('ladder: offsets from the average entry by default, total capped at the leg quantity', () => {
    const l = held('long', 1, 3000);
    expect(
      l.scaleOut({
        kind: 'ladder',
        levels: [
          { offsetTicks: 100, qty: 0.6 },
          { offsetTicks: 200, qty: 0.6 },
          { offsetTicks: 300, qty: 0.6 },
        ],
      }),
    ).toEqual([
      { symbol: 'ETHUSDT', side: 'sell', type: 'limit', qty: 0.6, price: 3001, reduceOnly: true, tag: 'L' },
      { symbol: 'ETHUSDT', side: 'sell', type: 'limit', qty: 0.4, price: 3002, reduceOnly: true, tag: 'L' },
    ]);
  });

  it('short leg: buys below, reduce-only; explicit reference', () => {
    const s = held('short', 2, 3000);
    expect(
      s.scaleOut({ kind: 'ladder', reference: 2950.005, levels: [{ offsetTicks: 1, qty: 1.0009 }] }),
    ).toEqual([
      { symbol: 'ETHUSDT', side: 'buy', type: 'limit', qty: 1, price: 2949.99, reduceOnly: true, tag: 'S' },
    ]);
    expect(s.exitOrders()).toEqual([
      { symbol: 'ETHUSDT', side: 'buy', type: 'market', qty: 2, reduceOnly: true, tag: 'S' },
    ]);
  });
});
