import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../../binance/sign.js';
import { call, openSocket, type RawSocket, sleepMs } from '../loopback.test-support.js';
import { type BinanceLoopback, startBinanceLoopback } from '../start-binance-loopback.js';

let lb: BinanceLoopback;
let api: RawSocket;
let user: RawSocket;
const extra: RawSocket[] = [];
let nextId = 1;

/** A signed WebSocket API request: params sorted by name, signed, `signature` added. */
function signed(params: Record<string, string | number>, o: { secret?: string; timestampMs?: number } = {}) {
  const p: Record<string, string | number> = {
    ...params,
    apiKey: lb.apiKey,
    timestamp: o.timestampMs ?? lb.nowMs(),
  };
  const payload = Object.keys(p)
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join('&');
  return { ...p, signature: hmacSha256Hex(o.secret ?? lb.apiSecret, payload) };
}

async function request(method: string, params?: Record<string, string | number>) {
  const id = `req-${nextId++}`;
  api.send({ id, method, ...(params ? { params } : {}) });
  return api.next((j) => j.id === id);
}

/** A buy limit 20 ticks over the best ask: marketable even if the touch moves before the order lands. */
const buyLimit = async (): Promise<string> => {
  const r = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'BTCUSDT', limit: 5 });
  return (Number((r.body as { asks: string[][] }).asks[0]![0]!) + 2).toFixed(1);
};

beforeAll(async () => {
  lb = await startBinanceLoopback({ speed: 4 });
  await sleepMs(300);
  api = await openSocket(lb.wsApiUrl);
  const k = (await call(lb, 'POST', '/fapi/v1/listenKey')).body as { listenKey: string };
  user = await openSocket(`${lb.wsUrl}/private/ws?listenKey=${k.listenKey}`);
});
afterAll(async () => {
  for (const s of [api, user, ...extra]) s.close();
  await lb.close();
});

describe('WebSocket API', () => {
  it('order.place answers {id, status 200, result, rateLimits} and the order reaches the user stream', async () => {
    const r = await request(
      'order.place',
      signed({
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.010',
        price: '30000.0',
        newClientOrderId: 'ws-1',
      }),
    );
    expect(r).toMatchObject({
      status: 200,
      result: {
        clientOrderId: 'ws-1',
        status: 'NEW',
        symbol: 'BTCUSDT',
        price: '30000.0',
        origQty: '0.010',
        positionSide: 'BOTH',
      },
    });
    expect(r.rateLimits).toEqual([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300, count: 1 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200, count: 1 },
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400, count: 0 },
    ]);
    const ev = await user.next((j) => (j.o as { c?: string } | undefined)?.c === 'ws-1');
    expect(ev).toMatchObject({
      e: 'ORDER_TRADE_UPDATE',
      o: { x: 'NEW', X: 'NEW', i: (r.result as { orderId: number }).orderId },
    });
  });

  it('order.status, order.modify and order.cancel', async () => {
    const st = await request('order.status', signed({ symbol: 'BTCUSDT', origClientOrderId: 'ws-1' }));
    expect(st).toMatchObject({ status: 200, result: { status: 'NEW', time: expect.any(Number) } });
    const mod = await request(
      'order.modify',
      signed({
        symbol: 'BTCUSDT',
        origClientOrderId: 'ws-1',
        side: 'BUY',
        quantity: '0.010',
        price: '30001.0',
      }),
    );
    expect(mod).toMatchObject({ status: 200, result: { price: '30001.0' } });
    await user.next((j) => (j.o as { x?: string } | undefined)?.x === 'AMENDMENT');
    const del = await request('order.cancel', signed({ symbol: 'BTCUSDT', origClientOrderId: 'ws-1' }));
    expect(del).toMatchObject({ status: 200, result: { status: 'CANCELED' } });
    const again = await request('order.cancel', signed({ symbol: 'BTCUSDT', origClientOrderId: 'ws-1' }));
    expect(again).toMatchObject({ status: 400, error: { code: -2011, msg: 'Unknown order sent.' } });
  });

  it('a marketable order.place fills against the market (RESULT) and the fill reaches the user stream', async () => {
    const limit = await buyLimit();
    const r = await request(
      'order.place',
      signed({
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.003',
        price: limit,
        newClientOrderId: 'ws-fill',
        newOrderRespType: 'RESULT',
      }),
    );
    expect(r).toMatchObject({ status: 200, result: { status: 'FILLED', executedQty: '0.003' } });
    const avg = (r.result as { avgPrice: string }).avgPrice;
    expect(Number(avg)).toBeLessThanOrEqual(Number(limit));
    const trade = await user.next((j) => (j.o as { c?: string; x?: string } | undefined)?.x === 'TRADE');
    expect(trade).toMatchObject({ o: { c: 'ws-fill', X: 'FILLED', L: avg, l: '0.003', N: 'USDT' } });
    await user.next((j) => j.e === 'ACCOUNT_UPDATE');
  });

  it('refuses a bad signature (-1022), a stale timestamp (-1021), a wrong key (-2015) and session.logon for HMAC keys', async () => {
    const order = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.010',
      price: '30000.0',
    };
    expect(await request('order.place', signed(order, { secret: 'nope' }))).toMatchObject({
      status: 400,
      error: { code: -1022, msg: 'Signature for this request is not valid.' },
    });
    expect(await request('order.place', signed(order, { timestampMs: lb.nowMs() - 10_000 }))).toMatchObject({
      status: 400,
      error: { code: -1021 },
    });
    expect(await request('order.place', { ...signed(order), apiKey: 'other' })).toMatchObject({
      status: 401,
      error: { code: -2015 },
    });
    expect(await request('session.logon', signed({}))).toMatchObject({ status: 400, error: { code: -1020 } });
    expect(await request('order.place', { symbol: 'BTCUSDT' })).toMatchObject({
      status: 401,
      error: { code: -2014 },
    });
  });

  it('userDataStream.start / .ping with the API key only', async () => {
    const start = await request('userDataStream.start', { apiKey: lb.apiKey });
    const key = (start.result as { listenKey: string }).listenKey;
    expect(start).toMatchObject({ status: 200, rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT' }] });
    expect(await request('userDataStream.ping', { apiKey: lb.apiKey })).toMatchObject({
      result: { listenKey: key },
    });
  });

  it('faults: loseAck (the order exists, no answer), rateLimit (429 with -1003), dropConnections', async () => {
    lb.faults.loseAck();
    const id = 'lost-ws';
    api.send({
      id,
      method: 'order.place',
      params: signed({
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.010',
        price: '90000.0',
        newClientOrderId: 'ws-lost',
      }),
    });
    await expect(api.next((j) => j.id === id, 400)).rejects.toThrow(/no matching frame/);
    expect(
      await request('order.status', signed({ symbol: 'BTCUSDT', origClientOrderId: 'ws-lost' })),
    ).toMatchObject({
      result: { status: 'NEW' },
    });
    lb.faults.rateLimit(429, 1);
    expect(
      await request('order.status', signed({ symbol: 'BTCUSDT', origClientOrderId: 'ws-lost' })),
    ).toMatchObject({
      status: 429,
      error: { code: -1003 },
    });
    await sleepMs(1100);
    const s = await openSocket(lb.wsApiUrl);
    extra.push(s);
    const closed = new Promise<void>((r) => s.ws.once('close', () => r()));
    lb.faults.dropConnections();
    await closed;
  });
});
