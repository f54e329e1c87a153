import type { Logger } from '@botplatform/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type Scheduler, systemScheduler, wallClockUs } from '../../connection/scheduler.js';
import { hmacSha256Hex } from '../sign.js';
import { BinanceRestClient, type BinanceRestClientOptions } from './rest-client.js';
import { BinanceRequestError, BinanceTransportError } from './rest-error.js';
import { type Handler, type Reply, startHttpServer } from './test-http-server.test-support.js';

const KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Server 5 s ahead of us, as a drifting local clock would see it. */
const SERVER_AHEAD_MS = 5000;
const time: Handler = () => ({ body: { serverTime: Date.now() + SERVER_AHEAD_MS } });

const ORDER_ACK = {
  orderId: 22542179,
  symbol: 'BTCUSDT',
  status: 'NEW',
  clientOrderId: 'c-1',
  price: '50000.0',
  avgPrice: '0.00',
  origQty: '0.010',
  executedQty: '0',
  cumQty: '0',
  cumQuote: '0',
  timeInForce: 'GTX',
  type: 'LIMIT',
  reduceOnly: false,
  closePosition: false,
  side: 'BUY',
  positionSide: 'BOTH',
  stopPrice: '0',
  workingType: 'CONTRACT_PRICE',
  priceProtect: false,
  origType: 'LIMIT',
  priceMatch: 'NONE',
  selfTradePreventionMode: 'NONE',
  goodTillDate: 0,
  updateTime: 1_700_000_000_123,
};

async function setup(routes: Record<string, Handler>, extra: Partial<BinanceRestClientOptions> = {}) {
  const srv = await startHttpServer({ 'GET /fapi/v1/time': time, ...routes });
  const logs: string[] = [];
  const logger: Logger = {
    debug: (o, m) => logs.push(JSON.stringify([o, m])),
    info: (o, m) => logs.push(JSON.stringify([o, m])),
    warn: (o, m) => logs.push(JSON.stringify([o, m])),
    error: (o, m) => logs.push(JSON.stringify([o, m])),
  };
  const rest = new BinanceRestClient({ baseUrl: srv.url, apiKey: KEY, apiSecret: SECRET, logger, ...extra });
  cleanups.push(srv.close, () => rest.close());
  return { srv, rest, logs };
}

const catchErr = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('BinanceRestClient', () => {
  it('signs: params, recvWindow, timestamp on the server clock, signature last; key in X-MBX-APIKEY', async () => {
    const { srv, rest } = await setup({ 'POST /fapi/v1/order': () => ({ body: ORDER_ACK }) });
    const r = await rest.placeOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.010',
      price: '50000.0',
    });
    expect(r.value.orderId).toBe(22542179);
    expect(r.value.updateTime).toBe(1_700_000_000_123_000);
    expect(r.respTs).toBeGreaterThanOrEqual(r.reqTs);

    const req = srv.seen.find((s) => s.method === 'POST')!;
    expect(req.headers['x-mbx-apikey']).toBe(KEY);
    const keys = [...req.query.keys()];
    expect(keys).toEqual([
      'symbol',
      'side',
      'type',
      'quantity',
      'price',
      'recvWindow',
      'timestamp',
      'signature',
    ]);
    const [signed, signature] = req.rawQuery.split('&signature=');
    expect(signature).toBe(hmacSha256Hex(SECRET, signed!));
    expect(req.query.get('recvWindow')).toBe('5000');
    // The clock offset was measured before the first signed request.
    expect(Math.abs(Number(req.query.get('timestamp')) - (req.at + SERVER_AHEAD_MS))).toBeLessThan(300);
    expect(srv.seen[0]!.path).toBe('/fapi/v1/time');
    expect(srv.seen[0]!.headers['x-mbx-apikey']).toBeUndefined();
  });

  it('recovers from -1021: resyncs the clock and resends once, re-signed', async () => {
    let posts = 0;
    const { srv, rest, logs } = await setup({
      'POST /fapi/v1/order': () =>
        ++posts === 1
          ? {
              status: 400,
              body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
            }
          : { body: ORDER_ACK },
    });
    const r = await rest.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' });
    expect(r.value.clientOrderId).toBe('c-1');
    expect(srv.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /fapi/v1/time',
      'POST /fapi/v1/order',
      'GET /fapi/v1/time',
      'POST /fapi/v1/order',
    ]);
    const sigs = srv.seen.filter((s) => s.method === 'POST').map((s) => s.query.get('signature'));
    expect(sigs[0]).not.toBe(sigs[1]);
    expect(logs.join('\n')).toContain('-1021');
  });

  it('a second -1021 is an error (action resync-clock), not a loop', async () => {
    const { srv, rest } = await setup({
      'POST /fapi/v1/order': () => ({
        status: 400,
        body: { code: -1021, msg: 'Timestamp outside recvWindow.' },
      }),
    });
    const err = await catchErr(
      rest.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '1' }),
    );
    expect(err).toBeInstanceOf(BinanceRequestError);
    expect((err as BinanceRequestError).info.action).toBe('resync-clock');
    expect(srv.seen.filter((s) => s.method === 'POST')).toHaveLength(2);
  });

  it('follows X-MBX-USED-WEIGHT-1M: a request that does not fit waits for the window', async () => {
    const depth: Reply = {
      body: {
        lastUpdateId: 10,
        E: 1_700_000_000_001,
        T: 1_700_000_000_000,
        bids: [['100.0', '1']],
        asks: [],
      },
    };
    const { srv, rest } = await setup({
      'GET /fapi/v1/openInterest': () => ({
        headers: { 'X-MBX-USED-WEIGHT-1M': '2399' },
        body: { openInterest: '10659.509', symbol: 'BTCUSDT', time: 1_589_437_530_011 },
      }),
      'GET /fapi/v1/depth': () => depth,
    });
    const oi = await rest.openInterest('BTCUSDT');
    expect(oi.openInterest).toBe(10659.509);
    expect(rest.limiter.weightAvailable()).toBeLessThan(2);
    // limit 100 weighs 5: 4 missing tokens at 2400/min = 100 ms.
    const snap = await rest.depthSnapshot('BTCUSDT', 100);
    expect(snap.isSnapshot).toBe(true);
    expect(snap.seq).toBe(10);
    const [a, b] = srv.seen.filter((s) => s.path !== '/fapi/v1/time');
    expect(b!.query.get('limit')).toBe('100');
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(90);
  });

  it('follows X-MBX-ORDER-COUNT-10S: a full orders window holds the next order', async () => {
    const { srv, rest } = await setup(
      {
        'POST /fapi/v1/order': () => ({ headers: { 'X-MBX-ORDER-COUNT-10S': '20' }, body: ORDER_ACK }),
      },
      { limits: { weightPerMinute: 2400, ordersPer10s: 20, ordersPerMinute: 1200 } },
    );
    const p = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '1' };
    await rest.placeOrder(p);
    await rest.placeOrder(p); // 1 token refills in 10 s / 20 = 500 ms
    const posts = srv.seen.filter((s) => s.method === 'POST');
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(450);
  });

  it('backs off after a 429 for Retry-After seconds, for every request', async () => {
    let n = 0;
    const { srv, rest } = await setup({
      'GET /fapi/v1/openInterest': () =>
        ++n === 1
          ? { status: 429, headers: { 'Retry-After': '1' }, body: { code: -1003, msg: 'Too many requests.' } }
          : { body: { openInterest: '1', symbol: 'BTCUSDT', time: 1 } },
    });
    const err = await catchErr(rest.openInterest('BTCUSDT'));
    expect(err).toBeInstanceOf(BinanceRequestError);
    const e = err as BinanceRequestError;
    expect(e.info.action).toBe('retry-backoff');
    expect(e.reject.code).toBe('RATE_LIMITED');
    expect(e.reject.exchangeCode).toBe(-1003);
    await rest.openInterest('BTCUSDT');
    const [a, b] = srv.seen;
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(950);
  });

  it('stops all requests after a 418 until Retry-After, without touching the network', async () => {
    let offsetUs = 0;
    const scheduler: Scheduler = { now: () => wallClockUs() + offsetUs, after: systemScheduler.after };
    let n = 0;
    const { srv, rest } = await setup(
      {
        'GET /fapi/v1/openInterest': () =>
          ++n === 1
            ? {
                status: 418,
                headers: { 'Retry-After': '120' },
                body: { code: -1003, msg: 'Way too many requests.' },
              }
            : { body: { openInterest: '2', symbol: 'BTCUSDT', time: 1 } },
      },
      { scheduler },
    );
    const first = await catchErr(rest.openInterest('BTCUSDT'));
    expect((first as BinanceRequestError).info.action).toBe('halt');
    expect(rest.limiter.bannedUntil).toBeGreaterThan(scheduler.now() + 119_000_000);

    const second = await catchErr(rest.depthSnapshot('BTCUSDT'));
    expect(second).toBeInstanceOf(BinanceRequestError);
    expect((second as BinanceRequestError).info.action).toBe('halt');
    expect((second as BinanceRequestError).reject.code).toBe('RATE_LIMITED');
    expect(srv.seen).toHaveLength(1);

    offsetUs = 121_000_000; // the ban has lifted
    expect((await rest.openInterest('BTCUSDT')).openInterest).toBe(2);
    expect(srv.seen).toHaveLength(2);
  });

  it('maps Binance error codes onto typed errors with the SDK rejection', async () => {
    const { rest } = await setup({
      'POST /fapi/v1/order': () => ({
        status: 400,
        body: {
          code: -5022,
          msg: 'Due to the order could not be executed as maker, the Post Only order will be rejected.',
        },
      }),
      'DELETE /fapi/v1/order': () => ({ status: 400, body: { code: -2011, msg: 'Unknown order sent.' } }),
    });
    const e1 = (await catchErr(rest.placeOrder({ symbol: 'BTCUSDT' }))) as BinanceRequestError;
    expect(e1.reject).toMatchObject({ code: 'POST_ONLY_WOULD_CROSS', exchangeCode: -5022 });
    expect(e1.info.action).toBe('fail');
    expect(e1.message).toContain('POST /fapi/v1/order');
    const e2 = (await catchErr(
      rest.cancelOrder({ symbol: 'BTCUSDT', origClientOrderId: 'x' }),
    )) as BinanceRequestError;
    expect(e2.reject.code).toBe('UNKNOWN_ORDER');
  });

  it('listenKey: POST/PUT/DELETE carry the API key and no signature', async () => {
    const LK = 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1';
    const { srv, rest } = await setup({
      'POST /fapi/v1/listenKey': () => ({ body: { listenKey: LK } }),
      'PUT /fapi/v1/listenKey': () => ({ body: { listenKey: LK } }),
      'DELETE /fapi/v1/listenKey': () => ({ body: {} }),
    });
    expect(await rest.createListenKey()).toBe(LK);
    await rest.keepAliveListenKey();
    await rest.closeListenKey();
    const calls = srv.seen.filter((s) => s.path === '/fapi/v1/listenKey');
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PUT', 'DELETE']);
    for (const c of calls) {
      expect(c.headers['x-mbx-apikey']).toBe(KEY);
      expect(c.query.has('signature')).toBe(false);
    }
    // The key is a secret from now on.
    expect(rest.redactor.redact(`wss://x/private/ws/${LK}`)).toBe('wss://x/private/ws/***');
  });

  it('reads open orders and positions (v3) for reconciliation', async () => {
    const { srv, rest } = await setup({
      'GET /fapi/v1/openOrders': () => ({ body: [{ ...ORDER_ACK, time: 1_700_000_000_000 }] }),
      'GET /fapi/v3/positionRisk': () => ({
        body: [
          {
            symbol: 'ADAUSDT',
            positionSide: 'BOTH',
            positionAmt: '30',
            entryPrice: '0.385',
            breakEvenPrice: '0.385077',
            markPrice: '0.41047590',
            unRealizedProfit: '0.76427700',
            liquidationPrice: '0',
            isolatedMargin: '0',
            notional: '12.31427700',
            marginAsset: 'USDT',
            isolatedWallet: '0',
            initialMargin: '0.61571385',
            maintMargin: '0.08004280',
            positionInitialMargin: '0.61571385',
            openOrderInitialMargin: '0',
            adl: 2,
            bidNotional: '0',
            askNotional: '0',
            updateTime: 1720736417660,
          },
          {
            symbol: 'BTCUSDT',
            positionSide: 'BOTH',
            positionAmt: '0.000',
            entryPrice: '0.0',
            markPrice: '1',
            unRealizedProfit: '0',
            updateTime: 0,
          },
        ],
      }),
    });
    const orders = await rest.openOrders('BTCUSDT');
    expect(orders).toEqual([
      expect.objectContaining({
        clientOrderId: 'c-1',
        exchangeOrderId: '22542179',
        side: 'buy',
        type: 'limit',
        price: 50000,
        qty: 0.01,
        filledQty: 0,
        status: 'NEW',
      }),
    ]);
    const positions = await rest.positions();
    expect(positions).toEqual([
      {
        symbol: 'ADAUSDT',
        positionSide: 'BOTH',
        qty: 30,
        entryPrice: 0.385,
        markPrice: 0.4104759,
        unrealizedPnl: 0.764277,
        updateTs: 1720736417660000,
      },
    ]);
    expect(srv.seen.find((s) => s.path === '/fapi/v3/positionRisk')!.query.has('signature')).toBe(true);
  });

  it('never shows the key, the secret or a signature in errors and logs', async () => {
    const { rest, logs } = await setup({
      // A hostile or buggy server echoing credentials back.
      'POST /fapi/v1/order': (req) => ({
        status: 401,
        body: {
          code: -2015,
          msg: `Invalid API-key ${KEY}, IP, or permissions; sig ${req.query.get('signature')} secret ${SECRET}`,
        },
      }),
      'GET /fapi/v1/openInterest': () => ({ status: 429, body: `rate limited for ${KEY}` }),
    });
    const err = (await catchErr(rest.placeOrder({ symbol: 'BTCUSDT' }))) as BinanceRequestError;
    await catchErr(rest.openInterest('BTCUSDT'));
    const everything = [err.message, err.stack ?? '', JSON.stringify(err.info), ...logs].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(SECRET);
    expect(everything).toContain('***');
    expect(err.reject.code).toBe('VENUE_ERROR');
    expect(err.info.action).toBe('halt');
  });

  it('a request that gets no answer is a BinanceTransportError', async () => {
    const { rest, srv } = await setup({});
    await srv.close();
    const err = await catchErr(rest.openInterest('BTCUSDT'));
    expect(err).toBeInstanceOf(BinanceTransportError);
    expect((err as Error).message).toContain('GET /fapi/v1/openInterest');
  });
});
