import { describe, expect, it } from 'vitest';
import type { OrderLatencySample } from '../data/order-latency-sample.js';
import { ReplayClock } from '../kernel/clock.js';
import { FakeVenue } from '../kernel/kernel.test-support.js';
import { TimedVenue } from './timed-venue.js';

const cmd = (clientOrderId: string) =>
  ({
    clientOrderId,
    symbol: 'BTCUSDT',
    side: 'buy',
    type: 'limit',
    qty: 0.1,
    price: 100,
    timeInForce: 'GTC',
    reduceOnly: false,
  }) as const;

describe('TimedVenue', () => {
  it('records one order_latency row per order: the first answer closes the round trip', () => {
    const clock = new ReplayClock(1000);
    const inner = new FakeVenue();
    const rows: OrderLatencySample[] = [];
    const v = new TimedVenue(inner, clock, 'binance-futures', (s) => rows.push(s));
    v.submit(cmd('a'));
    v.submit(cmd('b'));
    v.submit(cmd('c'));
    expect(inner.submits).toHaveLength(3);
    v.onReport({ kind: 'accepted', clientOrderId: 'a', exchangeOrderId: '1', exchTs: 1400 }, 1900);
    v.onReport(
      {
        kind: 'fill',
        clientOrderId: 'a',
        price: 1,
        qty: 1,
        fee: 0,
        liquidity: 'maker',
        leavesQty: 0,
        exchTs: 1500,
      },
      2000,
    );
    const overload = { code: 'RATE_LIMITED', message: 'Too many requests', exchangeCode: -1003 } as const;
    v.onReport({ kind: 'rejected', clientOrderId: 'b', reason: overload, exchTs: 1300 }, 1800);
    const filter = { code: 'PRICE_PRECISION', message: 'bad tick', exchangeCode: -4014 } as const;
    v.onReport({ kind: 'rejected', clientOrderId: 'c', reason: filter, exchTs: 1350 }, 1700);
    expect(rows).toEqual([
      { exchange: 'binance-futures', symbol: 'BTCUSDT', reqTs: 1000, exchTs: 1400, respTs: 1900 },
      { exchange: 'binance-futures', symbol: 'BTCUSDT', reqTs: 1000, exchTs: 0, respTs: 1800 },
      { exchange: 'binance-futures', symbol: 'BTCUSDT', reqTs: 1000, exchTs: 1350, respTs: 1700 },
    ]);
  });
});
