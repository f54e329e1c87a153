import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinanceFuturesExchange } from '../../../binance/adapter/binance-futures-exchange.js';
import { userTradeSchema } from '../../../binance/adapter/rest-bodies.js';
import { call, sleepMs } from '../loopback.test-support.js';
import { type BinanceLoopback, startBinanceLoopback } from '../start-binance-loopback.js';

// What a restarted bot asks about orders that closed while it was down: Query Order and the
// Account Trade List, served by the loopback and read back through the live adapter.
let lb: BinanceLoopback;
let adapter: BinanceFuturesExchange;
beforeAll(async () => {
  lb = await startBinanceLoopback({ speed: 1, seed: 5 });
  await sleepMs(300);
  adapter = new BinanceFuturesExchange({
    restUrl: lb.restUrl,
    wsUrl: lb.wsUrl,
    wsApiUrl: lb.wsApiUrl,
    apiKey: lb.apiKey,
    apiSecret: lb.apiSecret,
  });
  await adapter.instruments(['BTCUSDT']);
});
afterAll(async () => {
  await adapter?.close();
  await lb?.close();
});

const bestBid = async (): Promise<number> => {
  const r = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'BTCUSDT', limit: 5 });
  return Number((r.body as { bids: string[][] }).bids[0]![0]);
};

/** A GTC bid 5 ticks under the touch, then a sell trade 10 ticks under it: the bid fills whole as maker. */
async function restingBidFilledByTrade(
  cid: string,
  qty: string,
): Promise<{ price: number; orderId: number }> {
  const price = Number(((await bestBid()) - 0.5).toFixed(1));
  const placed = await call(
    lb,
    'POST',
    '/fapi/v1/order',
    {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: qty,
      price: price.toFixed(1),
      newClientOrderId: cid,
    },
    true,
  );
  expect(placed.status, JSON.stringify(placed.body)).toBe(200);
  lb.inject({
    type: 'trade',
    exchange: 'binance-futures',
    symbol: 'BTCUSDT',
    exchTs: 0,
    localTs: 0,
    tradeId: 0,
    price: price - 1,
    qty: 5,
    side: 'sell',
  });
  return { price, orderId: (placed.body as { orderId: number }).orderId };
}

describe('order history at the loopback', () => {
  it('GET /fapi/v1/userTrades lists the fills of an order in Binance’s shape, and enforces its parameter rules', async () => {
    const { price, orderId } = await restingBidFilledByTrade('hist-1', '0.010');
    const r = await call(lb, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT', orderId }, true);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers['x-mbx-used-weight-1m']).toBeDefined();
    const trades = userTradeSchema.array().parse(r.body);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({
      orderId,
      side: 'BUY',
      price,
      qty: 0.01,
      maker: true,
      commissionAsset: 'USDT',
    });
    expect(trades[0]!.commission).toBeCloseTo(price * 0.01 * lb.instruments[0]!.makerFee, 8);

    const other = await call(
      lb,
      'GET',
      '/fapi/v1/userTrades',
      { symbol: 'BTCUSDT', orderId: orderId + 999 },
      true,
    );
    expect(other.body).toEqual([]);
    const mixed = await call(
      lb,
      'GET',
      '/fapi/v1/userTrades',
      { symbol: 'BTCUSDT', fromId: 1, startTime: 1 },
      true,
    );
    expect(mixed).toMatchObject({ status: 400, body: { code: -1128 } });
    const noSymbol = await call(lb, 'GET', '/fapi/v1/userTrades', {}, true);
    expect(noSymbol).toMatchObject({ status: 400, body: { code: -1102 } });
    const unsigned = await call(lb, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
  });

  it('the adapter reads an order that closed unseen: its final state and its executions, fees in USDT', async () => {
    const { price, orderId } = await restingBidFilledByTrade('hist-2', '0.020');
    const o = await adapter.queryOrder('BTCUSDT', 'hist-2');
    expect(o).toMatchObject({
      clientOrderId: 'hist-2',
      exchangeOrderId: String(orderId),
      status: 'FILLED',
      filledQty: 0.02,
    });
    expect(o!.avgFillPrice).toBeCloseTo(price, 9);
    const fills = await adapter.orderFills('BTCUSDT', String(orderId));
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ price, qty: 0.02, liquidity: 'maker' });
    expect(fills[0]!.fee).toBeCloseTo(price * 0.02 * lb.instruments[0]!.makerFee, 8);
    expect(fills[0]!.exchTs).toBeGreaterThan(0);
    expect(await adapter.queryOrder('BTCUSDT', 'never-sent')).toBeUndefined();
  });

  it('GET /fapi/v1/allOrders lists orders in any state since a time, oldest first; the adapter reads them', async () => {
    const since = lb.nowMs() * 1000 - 60_000_000;
    await restingBidFilledByTrade('hist-3', '0.010');
    const orders = await adapter.ordersSince('BTCUSDT', since);
    const ids = orders.map((o) => o.clientOrderId);
    expect(ids).toEqual(expect.arrayContaining(['hist-1', 'hist-2', 'hist-3']));
    expect(ids.indexOf('hist-1')).toBeLessThan(ids.indexOf('hist-3'));
    expect(orders.find((o) => o.clientOrderId === 'hist-3')).toMatchObject({
      status: 'FILLED',
      filledQty: 0.01,
    });
    expect(await adapter.ordersSince('BTCUSDT', lb.nowMs() * 1000 + 60_000_000)).toEqual([]);
    const page = await call(lb, 'GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT', limit: 1 }, true);
    expect((page.body as { clientOrderId: string }[]).map((o) => o.clientOrderId)).toEqual(['hist-3']);
    const wide = await call(
      lb,
      'GET',
      '/fapi/v1/allOrders',
      { symbol: 'BTCUSDT', startTime: 1, endTime: 9e12 },
      true,
    );
    expect(wide).toMatchObject({ status: 400, body: { code: -4166 } });
  });
});
