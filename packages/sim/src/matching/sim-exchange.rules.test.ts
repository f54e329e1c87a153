import type { ExecutionReport } from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import { RiskAverseQueue } from '../queue/risk-averse-queue.js';
import { SimulatedExchange } from './sim-exchange.js';
import { BTC, cmd, harness, orderIdOf } from './sim-exchange.test-support.js';

/**
 * Exchange rules on submit and cancel. Book (snapshot at t=1000):
 *   bids 100.0 × 2, 99.9 × 3      asks 100.1 × 1.5, 100.2 × 2
 * BTC: tick 0.1, step 0.001, min qty 0.001, min notional 100.
 */
function setup() {
  const h = harness();
  h.snapshot(
    [
      [100.0, 2],
      [99.9, 3],
    ],
    [
      [100.1, 1.5],
      [100.2, 2],
    ],
    1000,
  );
  return h;
}

const rejection = (r: ExecutionReport | undefined) => (r?.kind === 'rejected' ? r.reason : undefined);

describe('SimulatedExchange: submit rules', () => {
  it('rejects a post-only (GTX) order that would cross, with Binance -5022', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'x1', side: 'buy', price: 100.1, qty: 1, timeInForce: 'GTX' }), 2000); // = best ask
    h.ex.submit(cmd({ clientOrderId: 'x2', side: 'sell', price: 100.0, qty: 1, timeInForce: 'GTX' }), 2000); // = best bid
    const expected = {
      code: 'POST_ONLY_WOULD_CROSS',
      message: 'Due to the order could not be executed as maker, the Post Only order will be rejected.',
      exchangeCode: -5022,
    };
    expect(h.drain()).toEqual([
      { kind: 'rejected', clientOrderId: 'x1', reason: expected, exchTs: 2000 },
      { kind: 'rejected', clientOrderId: 'x2', reason: expected, exchTs: 2000 },
    ]);
    // One tick away it rests.
    h.ex.submit(cmd({ clientOrderId: 'x3', side: 'buy', price: 100.0, qty: 1, timeInForce: 'GTX' }), 3000);
    expect(h.drain().map((r) => r.kind)).toEqual(['accepted']);
    expect(h.ex.openOrderCount()).toBe(1);
  });

  it('rejects reduce-only orders with nothing to reduce (-2022), caps them at the position', () => {
    const h = setup();
    // Flat: a reduce-only sell has nothing to reduce.
    h.ex.submit(cmd({ clientOrderId: 'r0', side: 'sell', type: 'market', qty: 1, reduceOnly: true }), 2000);
    expect(rejection(h.reports[0])).toMatchObject({ code: 'REDUCE_ONLY_REJECTED', exchangeCode: -2022 });
    // Go long 1: market buy takes 1 @ 100.1.
    h.ex.submit(cmd({ clientOrderId: 'l', side: 'buy', type: 'market', qty: 1 }), 3000);
    expect(h.ex.position(0)).toBe(1);
    h.drain();
    // A reduce-only BUY would increase the long: rejected.
    h.ex.submit(cmd({ clientOrderId: 'r1', side: 'buy', type: 'market', qty: 1, reduceOnly: true }), 4000);
    expect(rejection(h.drain()[0])).toMatchObject({ code: 'REDUCE_ONLY_REJECTED' });
    // A reduce-only market sell of 3 with a long of 1: fills 1 @ 100.0 (capped at the position),
    // then the remaining 2 expire because the position is closed.
    h.ex.submit(cmd({ clientOrderId: 'r2', side: 'sell', type: 'market', qty: 3, reduceOnly: true }), 5000);
    expect(h.drain()).toEqual([
      { kind: 'accepted', clientOrderId: 'r2', exchangeOrderId: '2', exchTs: 5000 },
      expect.objectContaining({ kind: 'fill', price: 100.0, qty: 1, leavesQty: 2, liquidity: 'taker' }),
      expect.objectContaining({
        kind: 'expired',
        reason: expect.objectContaining({ code: 'REDUCE_ONLY_REJECTED' }),
      }),
    ]);
    expect(h.ex.position(0)).toBe(0);
  });

  it('expires a resting reduce-only order once the position it reduces is closed', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'l', side: 'buy', type: 'market', qty: 1 }), 2000); // long 1
    // Reduce-only take-profit sell 1 @ 100.5, resting (exempt from min notional anyway).
    h.ex.submit(cmd({ clientOrderId: 'tp', side: 'sell', price: 100.5, qty: 1, reduceOnly: true }), 3000);
    h.drain();
    // t=4000 another (plain) market sell closes the position: the take-profit expires at 4000.
    h.ex.submit(cmd({ clientOrderId: 'close', side: 'sell', type: 'market', qty: 1 }), 4000);
    expect(h.drain().map((r) => [r.kind, orderIdOf(r), r.exchTs])).toEqual([
      ['accepted', 'close', 4000],
      ['fill', 'close', 4000],
      ['expired', 'tp', 4000],
    ]);
    expect(h.ex.openOrderCount()).toBe(0);
  });

  it('enforces tick, step, min qty and min notional as the exchange does', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'n', side: 'buy', price: 100.0, qty: 0.5 }), 2000); // 50 < 100
    h.ex.submit(cmd({ clientOrderId: 't', side: 'buy', price: 100.05, qty: 2 }), 2000); // off the 0.1 tick
    h.ex.submit(cmd({ clientOrderId: 's', side: 'buy', price: 100.0, qty: 1.0005 }), 2000); // off the 0.001 step
    h.ex.submit(cmd({ clientOrderId: 'z', side: 'buy', price: 100.0, qty: 0 }), 2000);
    // Market orders check min notional at the opposite best: 0.5 × 100.1 = 50.05 < 100.
    h.ex.submit(cmd({ clientOrderId: 'mk', side: 'buy', type: 'market', qty: 0.5 }), 2000);
    expect(h.reports.map((r) => [orderIdOf(r), rejection(r)?.code, rejection(r)?.exchangeCode])).toEqual([
      ['n', 'NOTIONAL_TOO_SMALL', -4164],
      ['t', 'PRICE_PRECISION', -4014],
      ['s', 'QTY_PRECISION', -1111],
      ['z', 'INVALID_QTY', -4003],
      ['mk', 'NOTIONAL_TOO_SMALL', -4164],
    ]);
    expect(h.ex.openOrderCount()).toBe(0);
  });

  it('rejects unknown symbols and duplicate client order ids (open or past)', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'u', symbol: 'DOGEUSDT', side: 'buy', price: 1, qty: 200 }), 2000);
    expect(rejection(h.drain()[0])).toMatchObject({ code: 'UNKNOWN_SYMBOL', exchangeCode: -1121 });
    h.ex.submit(cmd({ clientOrderId: 'dup', side: 'buy', price: 99.0, qty: 2 }), 3000);
    h.ex.submit(cmd({ clientOrderId: 'dup', side: 'buy', price: 98.0, qty: 2 }), 3001); // open
    h.ex.cancel({ clientOrderId: 'dup', symbol: 'BTCUSDT' }, 3002);
    h.ex.submit(cmd({ clientOrderId: 'dup', side: 'buy', price: 98.0, qty: 2 }), 3003); // past
    expect(h.drain().map((r) => [r.kind, rejection(r)?.code, rejection(r)?.exchangeCode])).toEqual([
      ['accepted', undefined, undefined],
      ['rejected', 'DUPLICATE_CLIENT_ID', -4116],
      ['canceled', undefined, undefined],
      ['rejected', 'DUPLICATE_CLIENT_ID', -4116],
    ]);
    // A REJECTED order's id was never taken: it can be sent again.
    h.ex.submit(cmd({ clientOrderId: 'again', side: 'buy', price: 99.0, qty: 0.5 }), 4000); // min notional
    h.ex.submit(cmd({ clientOrderId: 'again', side: 'buy', price: 99.0, qty: 2 }), 4001);
    expect(h.drain().map((r) => r.kind)).toEqual(['rejected', 'accepted']);
  });

  it('acknowledges with counter exchange order ids before any fill', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'a', side: 'buy', price: 99.0, qty: 2 }), 2000);
    h.ex.submit(cmd({ clientOrderId: 'b', side: 'buy', type: 'market', qty: 1 }), 2000);
    expect(h.reports.map((r) => (r.kind === 'accepted' ? r.exchangeOrderId : r.kind))).toEqual([
      '1',
      '2',
      'fill',
    ]);
  });

  it('answers a cancel of an unknown, closed or other-symbol order with cancelRejected -2011', () => {
    const h = setup();
    h.ex.cancel({ clientOrderId: 'nope', symbol: 'BTCUSDT' }, 2000);
    h.ex.submit(cmd({ clientOrderId: 'o', side: 'buy', price: 99.0, qty: 2 }), 2000);
    h.ex.cancel({ clientOrderId: 'o', symbol: 'ETHUSDT' }, 2500); // wrong symbol
    h.ex.cancel({ clientOrderId: 'o', symbol: 'BTCUSDT' }, 3000);
    h.ex.cancel({ clientOrderId: 'o', symbol: 'BTCUSDT' }, 4000); // already canceled
    const unknown = { code: 'UNKNOWN_ORDER', message: 'Unknown order sent.', exchangeCode: -2011 };
    expect(h.reports).toEqual([
      { kind: 'cancelRejected', clientOrderId: 'nope', reason: unknown, exchTs: 2000 },
      { kind: 'accepted', clientOrderId: 'o', exchangeOrderId: '1', exchTs: 2000 },
      { kind: 'cancelRejected', clientOrderId: 'o', reason: unknown, exchTs: 2500 },
      { kind: 'canceled', clientOrderId: 'o', exchTs: 3000 },
      { kind: 'cancelRejected', clientOrderId: 'o', reason: unknown, exchTs: 4000 },
    ]);
    // A canceled order no longer fills.
    h.ex.onTrade(0, -1, 98.0, 10, 5000);
    expect(h.fills()).toEqual([]);
    expect(h.ex.openOrderCount()).toBe(0);
  });

  it('refuses to be called back from its own sink', () => {
    const ex: SimulatedExchange = new SimulatedExchange([BTC], {
      queue: new RiskAverseQueue(),
      sink: (r) => {
        if (r.kind === 'accepted') ex.cancel({ clientOrderId: r.clientOrderId, symbol: 'BTCUSDT' }, r.exchTs);
      },
    });
    expect(() => ex.submit(cmd({ side: 'buy', price: 99.0, qty: 2 }), 1)).toThrow(
      /called from its own report sink/,
    );
    // The guard resets: the exchange still works afterwards.
    expect(() => ex.onTrade(0, -1, 99.0, 1, 2)).not.toThrow();
  });

  it('validates its construction', () => {
    const queue = new RiskAverseQueue();
    const sink = () => {};
    expect(() => new SimulatedExchange([BTC, BTC], { queue, sink })).toThrow(/BTCUSDT is listed twice/);
    // @ts-expect-error: a wrong fill mode from untyped config
    expect(() => new SimulatedExchange([BTC], { queue, sink, fills: 'some' })).toThrow(/'partial' or 'full'/);
  });
});

describe('SimulatedExchange: grid values', () => {
  it('reports maker prices and quantities as exact decimals even from float-noisy commands', () => {
    const h = harness();
    h.snapshot([[100.0, 2]], [[100.1, 1]], 1000);
    // Price and qty one float-noise away from the grid (as 0.1 × 3 = 0.30000000000000004 is).
    h.ex.submit(cmd({ clientOrderId: 'n', side: 'buy', price: 99.9 + 1e-12, qty: 1.2000000000000002 }), 2000);
    h.ex.onTrade(0, -1, 99.8, 0.1, 3000); // through: whole 1.2 at 99.9
    expect(h.fills().map((f) => [f.price, f.qty, f.leavesQty])).toEqual([[99.9, 1.2, 0]]);
  });
});
