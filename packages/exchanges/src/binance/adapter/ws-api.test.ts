import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { systemScheduler } from '../../connection/scheduler.js';
import { hmacSha256Hex } from '../sign.js';
import { BINANCE_USDM_DEFAULT_LIMITS, BinanceRateLimiter } from './rate-limiter.js';
import { BinanceRequestError, BinanceTransportError } from './rest-error.js';
import { BinanceWsApi } from './ws-api.js';

const KEY = 'wsapikey-0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ';
const SECRET = 'wssecret-0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ACK = {
  orderId: 325078477,
  symbol: 'BTCUSDT',
  status: 'NEW',
  clientOrderId: 'cid-ws',
  price: '43187.00',
  avgPrice: '0.00',
  origQty: '0.100',
  executedQty: '0.000',
  cumQty: '0.000',
  cumQuote: '0.00000',
  timeInForce: 'GTC',
  type: 'LIMIT',
  reduceOnly: false,
  closePosition: false,
  side: 'BUY',
  positionSide: 'BOTH',
  stopPrice: '0.00',
  workingType: 'CONTRACT_PRICE',
  priceProtect: false,
  origType: 'LIMIT',
  priceMatch: 'NONE',
  selfTradePreventionMode: 'NONE',
  goodTillDate: 0,
  updateTime: 1702555534435,
};

type Req = { id: string; method: string; params: Record<string, string | number> };

async function setup(answer: (req: Req, sock: WebSocket) => unknown, timeoutUs = 2_000_000) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const reqs: Req[] = [];
  const socks: WebSocket[] = [];
  wss.on('connection', (sock: WebSocket) => {
    socks.push(sock);
    sock.on('message', (d) => {
      const req = JSON.parse(d.toString()) as Req;
      reqs.push(req);
      const out = answer(req, sock);
      if (out !== undefined) sock.send(JSON.stringify(out));
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  const limiter = new BinanceRateLimiter(BINANCE_USDM_DEFAULT_LIMITS, systemScheduler);
  const api = new BinanceWsApi({
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws-fapi/v1`,
    apiKey: KEY,
    apiSecret: SECRET,
    clock: { timestampMs: () => 1702555533821 },
    limiter,
    timeoutUs,
    socket: { backoffBaseUs: 5_000_000 },
  });
  cleanups.push(() => api.close());
  return { api, reqs, socks, limiter };
}

const ok = (req: Req, result: unknown = ACK) => ({
  id: req.id,
  status: 200,
  result,
  rateLimits: [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400, count: 10 },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300, count: 300 },
  ],
});

const PLACE = {
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.100',
  price: '43187.00',
  timeInForce: 'GTC',
  newClientOrderId: 'cid-ws',
};

describe('BinanceWsApi', () => {
  it('signs each request over its params sorted by name and resolves with the order', async () => {
    const { api, reqs, limiter } = await setup((req) => ok(req));
    expect(api.isUp).toBe(false);
    api.start();
    await api.waitOpen();
    expect(api.isUp).toBe(true);
    const r = await api.request('order.place', PLACE);
    expect(r.value).toMatchObject({
      orderId: 325078477,
      clientOrderId: 'cid-ws',
      status: 'NEW',
      updateTime: 1702555534435000,
    });
    expect(r.respTs).toBeGreaterThanOrEqual(r.reqTs);

    const { params, method, id } = reqs[0]!;
    expect(method).toBe('order.place');
    expect(typeof id).toBe('string');
    expect(params).toMatchObject({ ...PLACE, apiKey: KEY, recvWindow: 5000, timestamp: 1702555533821 });
    const { signature, ...rest } = params;
    const payload = Object.keys(rest)
      .sort()
      .map((k) => `${k}=${rest[k]}`)
      .join('&');
    expect(payload.startsWith('apiKey=')).toBe(true);
    expect(signature).toBe(hmacSha256Hex(SECRET, payload));
    // The response's rateLimits became the shared limiter's usage: the ORDERS 10 s window is full.
    // One order token refills in 10 s / 300 ≈ 33 ms.
    const t = Date.now();
    await limiter.acquire(0, 1, 'x');
    expect(Date.now() - t).toBeGreaterThanOrEqual(25);
  });

  it('maps an error response through errors.ts', async () => {
    const { api } = await setup((req) => ({
      id: req.id,
      status: 400,
      error: { code: -2022, msg: 'ReduceOnly Order is rejected.' },
    }));
    api.start();
    await api.waitOpen();
    const err = await api.request('order.place', PLACE).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BinanceRequestError);
    expect((err as BinanceRequestError).reject).toMatchObject({
      code: 'REDUCE_ONLY_REJECTED',
      exchangeCode: -2022,
    });
    expect((err as Error).message).toContain('ws order.place');
  });

  it('times out a request that gets no answer (outcome unknown)', async () => {
    const { api } = await setup(() => undefined, 100_000);
    api.start();
    await api.waitOpen();
    await expect(
      api.request('order.cancel', { symbol: 'BTCUSDT', origClientOrderId: 'x' }),
    ).rejects.toBeInstanceOf(BinanceTransportError);
  });

  it('refuses at once while down, and fails requests in flight when the socket drops', async () => {
    const { api, socks } = await setup(() => undefined);
    await expect(api.request('order.place', PLACE)).rejects.toThrow(/not connected/);
    api.start();
    await api.waitOpen();
    const p = api.request('order.modify', {
      symbol: 'BTCUSDT',
      origClientOrderId: 'x',
      side: 'BUY',
      quantity: '1',
      price: '1',
    });
    await new Promise((r) => setTimeout(r, 30));
    socks[0]!.terminate();
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BinanceTransportError);
    expect(api.isUp).toBe(false);
  });
});
