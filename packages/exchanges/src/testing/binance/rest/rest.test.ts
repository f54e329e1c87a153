import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyBinanceError } from '../../../binance/errors.js';
import { instrumentsFromExchangeInfo } from '../../../binance/exchange-info.js';
import { parseDepthSnapshot } from '../../../binance/rest/depth-snapshot.js';
import { parseOpenInterest } from '../../../binance/rest/open-interest.js';
import { call, sleepMs } from '../loopback.test-support.js';
import { type BinanceLoopback, startBinanceLoopback } from '../start-binance-loopback.js';

let lb: BinanceLoopback;
beforeAll(async () => {
  lb = await startBinanceLoopback({ speed: 4 });
  await sleepMs(300);
});
afterAll(() => lb.close());

/** A buy limit 20 ticks over the best ask: marketable even if the touch moves before the order lands. */
const buyLimit = async (): Promise<string> => {
  const r = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'BTCUSDT', limit: 5 });
  return (Number((r.body as { asks: string[][] }).asks[0]![0]!) + 2).toFixed(1);
};

describe('REST market data', () => {
  it('time, exchangeInfo (parses back into the loopback instruments), depth and openInterest', async () => {
    const t = await call(lb, 'GET', '/fapi/v1/time');
    expect(Math.abs((t.body as { serverTime: number }).serverTime - lb.nowMs())).toBeLessThan(1000);
    expect(t.headers['x-mbx-used-weight-1m']).toBeDefined();
    const info = await call(lb, 'GET', '/fapi/v1/exchangeInfo');
    expect(instrumentsFromExchangeInfo(info.body)).toEqual(lb.instruments);
    const depth = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'BTCUSDT', limit: 10 });
    const snap = parseDepthSnapshot(depth.body, 'BTCUSDT', 0);
    expect(snap.bids).toHaveLength(10);
    expect(snap.bids[0]![0]).toBeLessThan(snap.asks[0]![0]);
    await sleepMs(300);
    const oi = await call(lb, 'GET', '/fapi/v1/openInterest', { symbol: 'BTCUSDT' });
    expect(parseOpenInterest(oi.body, 0).openInterest).toBeGreaterThan(0);
  });

  it("answers Binance's errors for a bad symbol and depth limit", async () => {
    const bad = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'NOPEUSDT' });
    expect(bad).toMatchObject({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    const limit = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'BTCUSDT', limit: 7 });
    expect(limit).toMatchObject({ status: 400, body: { code: -4021 } });
    const missing = await call(lb, 'GET', '/fapi/v1/openInterest');
    expect(missing.body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
    });
  });
});

describe('SIGNED endpoints', () => {
  const order = {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.010',
    price: '40000.0',
  };

  it('accepts a correctly signed order (query or body) with the order-count headers', async () => {
    const r = await call(lb, 'POST', '/fapi/v1/order', { ...order, newClientOrderId: 'sig-ok-1' }, true);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      clientOrderId: 'sig-ok-1',
      status: 'NEW',
      price: '40000.0',
      origQty: '0.010',
    });
    expect(typeof (r.body as { orderId: unknown }).orderId).toBe('number');
    expect(r.headers['x-mbx-order-count-10s']).toBe('1');
    expect(r.headers['x-mbx-order-count-1m']).toBe('1');
    const b = await call(lb, 'POST', '/fapi/v1/order', { ...order, newClientOrderId: 'sig-ok-2' }, true, {
      inBody: true,
    });
    expect(b.status).toBe(200);
  });

  it('refuses a bad signature with -1022 (HTTP 400) and a bad or missing key with -2015 / -2014 (HTTP 401)', async () => {
    const bad = await call(lb, 'POST', '/fapi/v1/order', order, true, { secret: 'wrong' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
    expect(
      classifyBinanceError({ httpStatus: 400, ...(bad.body as { code: number; msg: string }) }).action,
    ).toBe('halt');
    const wrongKey = await call(lb, 'GET', '/fapi/v1/openOrders', {}, true, { apiKey: 'someoneElse' });
    expect(wrongKey).toMatchObject({ status: 401, body: { code: -2015 } });
    const noKey = await call(lb, 'GET', '/fapi/v1/openOrders', {}, true, { apiKey: null });
    expect(noKey).toMatchObject({ status: 401, body: { code: -2014, msg: 'API-key format invalid.' } });
  });

  it('refuses a stale timestamp (outside recvWindow) and one from the future with -1021', async () => {
    const stale = await call(lb, 'GET', '/fapi/v1/openOrders', {}, true, { timestampMs: lb.nowMs() - 6000 });
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual({
      code: -1021,
      msg: 'Timestamp for this request is outside of the recvWindow.',
    });
    expect(classifyBinanceError({ code: -1021 }).action).toBe('resync-clock');
    const wide = await call(lb, 'GET', '/fapi/v1/openOrders', {}, true, {
      timestampMs: lb.nowMs() - 6000,
      recvWindowMs: 10_000,
    });
    expect(wide.status).toBe(200);
    const ahead = await call(lb, 'GET', '/fapi/v1/openOrders', {}, true, { timestampMs: lb.nowMs() + 5000 });
    expect(ahead.body).toMatchObject({ code: -1021 });
  });

  it('runs an order through query, open orders, modify, cancel, with -2011 / -2013 for unknown orders', async () => {
    const placed = await call(
      lb,
      'POST',
      '/fapi/v1/order',
      { ...order, price: '30000.0', newClientOrderId: 'life-1' },
      true,
    );
    const id = (placed.body as { orderId: number }).orderId;
    const q = await call(lb, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: id }, true);
    expect(q.body).toMatchObject({ orderId: id, status: 'NEW', time: expect.any(Number) });
    const open = await call(lb, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' }, true);
    expect((open.body as Array<{ clientOrderId: string }>).map((o) => o.clientOrderId)).toContain('life-1');
    const mod = await call(
      lb,
      'PUT',
      '/fapi/v1/order',
      { symbol: 'BTCUSDT', origClientOrderId: 'life-1', side: 'BUY', quantity: '0.020', price: '30000.5' },
      true,
    );
    expect(mod.body).toMatchObject({ status: 'NEW', price: '30000.5', origQty: '0.020' });
    const same = await call(
      lb,
      'PUT',
      '/fapi/v1/order',
      { symbol: 'BTCUSDT', origClientOrderId: 'life-1', side: 'BUY', quantity: '0.020', price: '30000.5' },
      true,
    );
    expect(same.body).toMatchObject({ code: -5027 });
    const del = await call(lb, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: id }, true);
    expect(del.body).toMatchObject({ status: 'CANCELED', clientOrderId: 'life-1' });
    const again = await call(lb, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: id }, true);
    expect(again).toMatchObject({ status: 400, body: { code: -2011, msg: 'Unknown order sent.' } });
    const none = await call(
      lb,
      'GET',
      '/fapi/v1/order',
      { symbol: 'BTCUSDT', origClientOrderId: 'never' },
      true,
    );
    expect(none).toMatchObject({ status: 400, body: { code: -2013, msg: 'Order does not exist.' } });
    const all = await call(lb, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' }, true);
    expect(all.body).toEqual({ code: 200, msg: 'The operation of cancel all open order is done.' });
    const after = await call(lb, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' }, true);
    expect(after.body).toEqual([]);
  });

  it("refuses orders that break the filters with Binance's codes", async () => {
    const tick = await call(lb, 'POST', '/fapi/v1/order', { ...order, price: '40000.05' }, true);
    expect(tick.body).toEqual({ code: -4014, msg: 'Price not increased by tick size.' });
    const notional = await call(
      lb,
      'POST',
      '/fapi/v1/order',
      { ...order, quantity: '0.001', price: '100.0' },
      true,
    );
    expect(notional.body).toEqual({
      code: -4164,
      msg: "Order's notional must be no smaller than 5 (unless you choose reduce only).",
    });
    const side = await call(lb, 'POST', '/fapi/v1/order', { ...order, side: 'HOLD' }, true);
    expect(side.body).toEqual({ code: -1117, msg: 'Invalid side.' });
    const stop = await call(lb, 'POST', '/fapi/v1/order', { ...order, type: 'STOP_MARKET' }, true);
    expect(stop.body).toMatchObject({ code: -1020 });
  });

  it('a marketable order fills against the market; the position shows in positionRisk (v3)', async () => {
    const limit = await buyLimit();
    const r = await call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: '0.005',
        price: limit,
        newOrderRespType: 'RESULT',
      },
      true,
    );
    expect(r.body).toMatchObject({ status: 'FILLED', executedQty: '0.005' });
    const avg = (r.body as { avgPrice: string }).avgPrice;
    expect(Number(avg)).toBeLessThanOrEqual(Number(limit));
    const pos = await call(lb, 'GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' }, true);
    expect(pos.body).toMatchObject([
      { symbol: 'BTCUSDT', positionSide: 'BOTH', positionAmt: '0.005', entryPrice: avg },
    ]);
  });
});

describe('order-ack faults', () => {
  it('slowAck delays the response; loseAck accepts the order and never answers', async () => {
    lb.faults.slowAck(300);
    const t0 = Date.now();
    const slow = await call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.010',
        price: '90000.0',
        newClientOrderId: 'slow-1',
      },
      true,
    );
    expect(slow.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    lb.faults.slowAck(0);
    lb.faults.loseAck();
    const lost = call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.010',
        price: '90000.0',
        newClientOrderId: 'lost-1',
      },
      true,
    );
    const outcome = await Promise.race([lost.then(() => 'answered'), sleepMs(500).then(() => 'silent')]);
    expect(outcome).toBe('silent');
    const q = await call(
      lb,
      'GET',
      '/fapi/v1/order',
      { symbol: 'BTCUSDT', origClientOrderId: 'lost-1' },
      true,
    );
    expect(q.body).toMatchObject({ status: 'NEW' });
    lost.catch(() => {});
  });
});

describe('rate limits', () => {
  it('429 with Retry-After over the weight limit, then 418 (IP ban) after repeated violations', async () => {
    const small = await startBinanceLoopback({
      limits: { weightPerMinute: 3, banAfterViolations: 2, banSeconds: 90 },
    });
    try {
      for (let i = 0; i < 3; i++) expect((await call(small, 'GET', '/fapi/v1/time')).status).toBe(200);
      const first = await call(small, 'GET', '/fapi/v1/time');
      expect(first.status).toBe(429);
      expect(first.body).toMatchObject({ code: -1003 });
      expect(Number(first.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(first.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await call(small, 'GET', '/fapi/v1/time')).status).toBe(429);
      const banned = await call(small, 'GET', '/fapi/v1/time');
      expect(banned.status).toBe(418);
      expect(Number(banned.headers['retry-after'])).toBe(90);
      expect((banned.body as { msg: string }).msg).toMatch(/^Way too many requests; IP banned until \d+\./);
      expect(
        classifyBinanceError({ httpStatus: 418, ...(banned.body as { code: number; msg: string }) }).action,
      ).toBe('halt');
      expect((await call(small, 'GET', '/fapi/v1/time')).status).toBe(418);
    } finally {
      await small.close();
    }
  });

  it('faults.rateLimit forces 429 or 418 with the given Retry-After, for that long', async () => {
    lb.faults.rateLimit(429, 1);
    const r = await call(lb, 'GET', '/fapi/v1/time');
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('1');
    await sleepMs(1100);
    expect((await call(lb, 'GET', '/fapi/v1/time')).status).toBe(200);
    lb.faults.rateLimit(418, 1);
    const b = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'BTCUSDT' });
    expect(b.status).toBe(418);
    expect(b.headers['retry-after']).toBe('1');
    await sleepMs(1100);
  });
});
