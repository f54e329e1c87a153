import type { ExecutionReport, ModifyCommand } from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import { BTC, cmd, harness } from './sim-exchange.test-support.js';

/**
 * Modify (Binance order.modify). Every scenario starts from one snapshot at t=1000:
 *   bids 100.0 × 2, 99.9 × 3      asks 100.1 × 1.5, 100.2 × 2, 100.3 × 4
 * BTC: tick 0.1, step 0.001, min notional 100, maker 2 bp, taker 5 bp.
 */
const SELL = -1;

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
      [100.3, 4],
    ],
    1000,
  );
  return h;
}

const mod = (
  clientOrderId: string,
  price: number,
  qty: number,
  side: 'buy' | 'sell' = 'buy',
): ModifyCommand => ({
  clientOrderId,
  symbol: 'BTCUSDT',
  side,
  price,
  qty,
});

const refusal = (r: ExecutionReport | undefined) => (r?.kind === 'modifyRejected' ? r.reason : undefined);

describe('SimulatedExchange: modify', () => {
  it('answers a modify of an unknown, closed or other-symbol order with -2013 "Order does not exist."', () => {
    const h = setup();
    h.ex.modify(mod('nope', 100.0, 2), 2000);
    h.ex.submit(cmd({ clientOrderId: 'm', side: 'buy', type: 'market', qty: 1 }), 2000); // closed at once
    h.ex.submit(cmd({ clientOrderId: 'o', side: 'buy', price: 99.0, qty: 2 }), 2000);
    h.ex.cancel({ clientOrderId: 'o', symbol: 'BTCUSDT' }, 2500);
    h.drain();
    h.ex.modify(mod('m', 100.0, 2), 3000); // filled market order
    h.ex.modify(mod('o', 99.0, 3), 3000); // canceled
    h.ex.submit(cmd({ clientOrderId: 'x', side: 'buy', price: 99.0, qty: 2 }), 3000);
    h.ex.modify({ ...mod('x', 99.0, 3), symbol: 'ETHUSDT' }, 3000); // wrong symbol
    const expected = { code: 'UNKNOWN_ORDER', message: 'Order does not exist.', exchangeCode: -2013 };
    expect(h.reports.filter((r) => r.kind === 'modifyRejected')).toEqual([
      { kind: 'modifyRejected', clientOrderId: 'm', reason: expected, exchTs: 3000 },
      { kind: 'modifyRejected', clientOrderId: 'o', reason: expected, exchTs: 3000 },
      { kind: 'modifyRejected', clientOrderId: 'x', reason: expected, exchTs: 3000 },
    ]);
    const first = setup();
    first.ex.modify(mod('nope', 100.0, 2), 2000);
    expect(refusal(first.reports[0])).toEqual(expected);
  });

  it('refuses bad prices and quantities with the matching reason and leaves the order as it was', () => {
    const h = setup();
    // buy 3 @ 100.0 behind 2; a sell of 3.5 fills 1.5 of it (leaves 1.5).
    h.ex.submit(cmd({ clientOrderId: 'b', side: 'buy', price: 100.0, qty: 3 }), 2000);
    h.ex.onTrade(0, SELL, 100.0, 3.5, 2500);
    h.drain();
    h.ex.modify(mod('b', 100.05, 3), 3000); // off the 0.1 tick
    h.ex.modify(mod('b', 100.0, 3.0005), 3001); // off the 0.001 step
    h.ex.modify(mod('b', 99.0, 1.0), 3002); // 99 × 1 = 99 < min notional 100
    h.ex.modify(mod('b', 100.0, 1.5), 3003); // not above the 1.5 already filled
    h.ex.modify(mod('b', 100.0, 3), 3004); // no change
    h.ex.modify(mod('b', 100.0, 2, 'sell'), 3005); // wrong side
    expect(h.drain().map((r) => [r.kind, refusal(r)?.code, refusal(r)?.exchangeCode, r.exchTs])).toEqual([
      ['modifyRejected', 'PRICE_PRECISION', -4014, 3000],
      ['modifyRejected', 'QTY_PRECISION', -1111, 3001],
      ['modifyRejected', 'NOTIONAL_TOO_SMALL', -4164, 3002],
      ['modifyRejected', 'MODIFY_REJECTED', undefined, 3003],
      ['modifyRejected', 'MODIFY_REJECTED', -5027, 3004],
      ['modifyRejected', 'MODIFY_REJECTED', undefined, 3005],
    ]);
    h.ex.modify(mod('b', 100.0, 1.5), 3100);
    h.ex.modify(mod('b', 100.0, 3), 3101);
    h.ex.modify(mod('b', 100.0, 2, 'sell'), 3102);
    expect(h.drain().map((r) => refusal(r)?.message)).toEqual([
      'new quantity 1.5 must be greater than the executed quantity 1.5',
      'No need to modify the order.',
      "side sell does not match the order's side buy",
    ]);
    // Unchanged: price 100.0, leaves 1.5, at the front of the queue: a sell of 0.4 fills 0.4.
    h.ex.onTrade(0, SELL, 100.0, 0.4, 4000);
    expect(h.fills().map((f) => [f.price, f.qty, f.leavesQty])).toEqual([[100.0, 0.4, 1.1]]);
  });

  it('refuses a post-only modify that would cross with -5022 and keeps the order', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'g', side: 'buy', price: 100.0, qty: 1, timeInForce: 'GTX' }), 2000);
    h.drain();
    h.ex.modify(mod('g', 100.1, 1), 3000); // = best ask: would take
    expect(h.drain()).toEqual([
      {
        kind: 'modifyRejected',
        clientOrderId: 'g',
        reason: {
          code: 'POST_ONLY_WOULD_CROSS',
          message: 'Due to the order could not be executed as maker, the Post Only order will be rejected.',
          exchangeCode: -5022,
        },
        exchTs: 3000,
      },
    ]);
    // Still a buy 1 @ 100.0: a sell through it at 99.9 fills it whole at 100.0.
    h.ex.onTrade(0, SELL, 99.9, 0.1, 4000);
    expect(h.fills().map((f) => [f.price, f.qty, f.liquidity])).toEqual([[100.0, 1, 'maker']]);
    // One tick below the ask, the post-only modify goes through.
    const k = setup();
    k.ex.submit(cmd({ clientOrderId: 'g', side: 'sell', price: 100.3, qty: 1, timeInForce: 'GTX' }), 2000);
    k.ex.modify(mod('g', 100.1, 1.2, 'sell'), 3000);
    expect(k.reports.at(-1)).toEqual({
      kind: 'modified',
      clientOrderId: 'g',
      price: 100.1,
      qty: 1.2,
      exchTs: 3000,
    });
  });

  it('keeps the queue place on a quantity decrease', () => {
    const h = setup();
    // buy 3 @ 100.0: ahead 2. A sell of 1.5 at the price: ahead 0.5.
    h.ex.submit(cmd({ clientOrderId: 'd', side: 'buy', price: 100.0, qty: 3 }), 2000);
    h.ex.onTrade(0, SELL, 100.0, 1.5, 2500);
    h.drain();
    h.ex.modify(mod('d', 100.0, 2), 3000);
    expect(h.drain()).toEqual([{ kind: 'modified', clientOrderId: 'd', price: 100.0, qty: 2, exchTs: 3000 }]);
    // Still 0.5 ahead: a sell of 1 clears it and fills 0.5 (leaves 2 − 0.5 = 1.5).
    h.ex.onTrade(0, SELL, 100.0, 1, 4000);
    expect(h.fills().map((f) => [f.qty, f.leavesQty])).toEqual([[0.5, 1.5]]);
  });

  it('loses the queue place on a quantity increase: behind the whole level again', () => {
    const h = setup();
    // buy 1.5 @ 100.0: ahead 2; a sell of 1.5: ahead 0.5.
    h.ex.submit(cmd({ clientOrderId: 'i', side: 'buy', price: 100.0, qty: 1.5 }), 2000);
    h.ex.onTrade(0, SELL, 100.0, 1.5, 2500);
    h.ex.modify(mod('i', 100.0, 2), 3000);
    expect(h.reports.at(-1)).toEqual({
      kind: 'modified',
      clientOrderId: 'i',
      price: 100.0,
      qty: 2,
      exchTs: 3000,
    });
    // Re-queued behind the level the book shows (still 2: the depth stream has not updated it),
    // so a sell of 1 leaves ahead 1 and fills nothing (it would have filled 0.5 without the modify).
    h.ex.onTrade(0, SELL, 100.0, 1, 4000);
    expect(h.fills()).toEqual([]);
    h.ex.onTrade(0, SELL, 100.0, 1.3, 5000); // 1 clears the queue, 0.3 fills
    expect(h.fills().map((f) => [f.exchTs, f.qty, f.leavesQty])).toEqual([[5000, 0.3, 1.7]]);
  });

  it('loses the queue place on a price change and queues at the new price', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'p', side: 'buy', price: 100.0, qty: 1.5 }), 2000);
    h.ex.modify(mod('p', 99.9, 1.5), 3000); // behind the 3 at 99.9
    h.ex.onTrade(0, SELL, 100.0, 5, 4000); // at the old price: no longer ours
    h.ex.onDepthLevel(0, -1, 100.0, 1, false, 4500); // an ask at the old price: does not cross 99.9
    expect(h.fills()).toEqual([]);
    h.ex.onTrade(0, SELL, 99.9, 3.2, 5000); // 3 clear the queue, 0.2 fills at 99.9
    h.ex.onTrade(0, SELL, 99.8, 0.001, 6000); // through 99.9: the rest (1.3) fills
    expect(h.fills().map((f) => [f.exchTs, f.price, f.qty, f.leavesQty])).toEqual([
      [5000, 99.9, 0.2, 1.3],
      [6000, 99.9, 1.3, 0],
    ]);
  });

  it('a re-queued order goes behind our other resting orders at the price', () => {
    const h = harness();
    h.snapshot([[99.9, 3]], [[100.1, 1]], 1000);
    // a, then b, buy 1 @ 100.0 inside the spread: nothing ahead of either.
    h.ex.submit(cmd({ clientOrderId: 'a', side: 'buy', price: 100.0, qty: 1 }), 2000);
    h.ex.submit(cmd({ clientOrderId: 'b', side: 'buy', price: 100.0, qty: 1 }), 2001);
    h.ex.modify(mod('a', 100.0, 1.5), 3000); // increase: a is now behind b
    // A sell of 1.6 @ 100.0 fills b's 1 first, then 0.6 of a.
    h.ex.onTrade(0, SELL, 100.0, 1.6, 4000);
    expect(h.fills().map((f) => [f.clientOrderId, f.qty, f.leavesQty])).toEqual([
      ['b', 1, 0],
      ['a', 0.6, 0.9],
    ]);
  });

  it('a modify that makes a GTC cross takes the crossing part as taker, then rests the remainder', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 't', side: 'buy', price: 100.0, qty: 4 }), 2000);
    h.drain();
    // To 100.1: takes the 1.5 at 100.1 as taker (fee 100.1 × 1.5 × 0.0005 = 0.075075), the
    // remaining 2.5 rests at 100.1 behind the bid level there (none: ahead 0).
    h.ex.modify(mod('t', 100.1, 4), 3000);
    expect(h.drain()).toEqual([
      { kind: 'modified', clientOrderId: 't', price: 100.1, qty: 4, exchTs: 3000 },
      {
        kind: 'fill',
        clientOrderId: 't',
        price: 100.1,
        qty: 1.5,
        fee: expect.closeTo(0.075075, 12),
        liquidity: 'taker',
        leavesQty: 2.5,
        exchTs: 3000,
      },
    ]);
    h.ex.onTrade(0, SELL, 100.1, 1, 4000); // nothing ahead: 1 fills as maker
    expect(h.fills().map((f) => [f.price, f.qty, f.leavesQty, f.liquidity])).toEqual([
      [100.1, 1, 1.5, 'maker'],
    ]);
    expect(h.ex.position(0)).toBe(2.5);
  });

  it('a crossing modify that fills the order whole leaves nothing resting', () => {
    const h = setup();
    h.ex.submit(cmd({ clientOrderId: 'w', side: 'sell', price: 100.3, qty: 2.5 }), 2000);
    // To 99.9: takes 2 at 100.0 and 0.5 at 99.9, both as taker.
    h.ex.modify(mod('w', 99.9, 2.5, 'sell'), 3000);
    expect(h.reports.slice(1).map((r) => [r.kind, 'price' in r ? r.price : undefined])).toEqual([
      ['modified', 99.9],
      ['fill', 100.0],
      ['fill', 99.9],
    ]);
    expect(h.ex.openOrderCount()).toBe(0);
    expect(h.ex.position(0)).toBe(-2.5);
    h.ex.modify(mod('w', 99.9, 3, 'sell'), 4000);
    expect(refusal(h.reports.at(-1))).toMatchObject({ exchangeCode: -2013 });
  });

  it('a reduce-only order modified to cross is capped at the position', () => {
    const h = harness({ instruments: [{ ...BTC, minNotional: 0 }] });
    h.snapshot([[100.0, 2]], [[100.1, 5]], 1000);
    h.ex.submit(cmd({ clientOrderId: 'l', side: 'buy', type: 'market', qty: 1 }), 2000); // long 1
    h.ex.submit(cmd({ clientOrderId: 'r', side: 'sell', price: 100.5, qty: 1.5, reduceOnly: true }), 2000);
    h.drain();
    // To 100.0 (the bid): takes 1 (the position), then nothing is left to reduce: the rest expires.
    h.ex.modify(mod('r', 100.0, 1.5, 'sell'), 3000);
    expect(h.drain().map((r) => [r.kind, r.kind === 'fill' ? r.qty : undefined])).toEqual([
      ['modified', undefined],
      ['fill', 1],
      ['expired', undefined],
    ]);
    expect(h.ex.position(0)).toBe(0);
  });
});
