import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, openSocket, type RawSocket, sleepMs } from '../loopback.test-support.js';
import { type BinanceLoopback, startBinanceLoopback } from '../start-binance-loopback.js';

/** The fields the loopback documents for its user-stream events ("Event: Order Update", "Event: Balance and Position Update"). */
const dec = z.string().regex(/^-?\d+(\.\d+)?$/);
const orderTradeUpdate = z.object({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: z.number().int(),
  T: z.number().int(),
  o: z.object({
    s: z.string(),
    c: z.string(),
    S: z.enum(['BUY', 'SELL']),
    o: z.enum(['LIMIT', 'MARKET']),
    f: z.enum(['GTC', 'IOC', 'FOK', 'GTX']),
    q: dec,
    p: dec,
    ap: dec,
    sp: dec,
    x: z.enum(['NEW', 'TRADE', 'CANCELED', 'EXPIRED', 'AMENDMENT']),
    X: z.enum(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED']),
    i: z.number().int(),
    l: dec,
    z: dec,
    L: dec,
    N: z.literal('USDT').optional(),
    n: dec.optional(),
    T: z.number().int(),
    t: z.number().int(),
    b: dec,
    a: dec,
    m: z.boolean(),
    R: z.boolean(),
    wt: z.string(),
    ot: z.string(),
    ps: z.literal('BOTH'),
    cp: z.boolean(),
    pP: z.boolean(),
    si: z.number(),
    ss: z.number(),
    rp: dec,
    V: z.string(),
    pm: z.string(),
    gtd: z.number(),
  }),
});
const accountUpdate = z.object({
  e: z.literal('ACCOUNT_UPDATE'),
  E: z.number().int(),
  T: z.number().int(),
  a: z.object({
    m: z.enum(['ORDER', 'FUNDING_FEE']),
    B: z.array(z.object({ a: z.literal('USDT'), wb: dec, cw: dec, bc: dec })),
    P: z.array(
      z.object({
        s: z.string(),
        pa: dec,
        ep: dec,
        bep: dec,
        cr: dec,
        up: dec,
        mt: z.string(),
        iw: dec,
        ps: z.literal('BOTH'),
      }),
    ),
  }),
});

let lb: BinanceLoopback;
const sockets: RawSocket[] = [];
const open = async (path: string) => {
  const s = await openSocket(`${lb.wsUrl}${path}`);
  sockets.push(s);
  return s;
};
const listenKey = async (): Promise<string> => {
  const r = await call(lb, 'POST', '/fapi/v1/listenKey');
  expect(r.status).toBe(200);
  return (r.body as { listenKey: string }).listenKey;
};
/** A buy limit 20 ticks over the best ask: marketable even if the touch moves before the order lands. */
const buyLimit = async (): Promise<string> => {
  const r = await call(lb, 'GET', '/fapi/v1/depth', { symbol: 'BTCUSDT', limit: 5 });
  return (Number((r.body as { asks: string[][] }).asks[0]![0]!) + 2).toFixed(1);
};

beforeAll(async () => {
  lb = await startBinanceLoopback({ speed: 4 });
  await sleepMs(300);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await lb.close();
});

describe('user data stream', () => {
  it('listenKey: POST returns the active key, PUT extends it, both need only the API key', async () => {
    const k = await listenKey();
    expect(k).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(await listenKey()).toBe(k);
    expect((await call(lb, 'PUT', '/fapi/v1/listenKey')).body).toEqual({ listenKey: k });
    expect(await call(lb, 'PUT', '/fapi/v1/listenKey', {}, false, { apiKey: null })).toMatchObject({
      status: 401,
      body: { code: -2014 },
    });
  });

  it('an order placed via REST produces ORDER_TRADE_UPDATE for each state change, and ACCOUNT_UPDATE for its fill', async () => {
    const k = await listenKey();
    const s = await open(
      `/private/ws?listenKey=${k}&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE/listenKeyExpired`,
    );
    const legacy = await open(`/private/ws/${k}`);
    const onlyOrders = await open(`/private/ws?listenKey=${k}&events=ORDER_TRADE_UPDATE`);
    const bogus = await open('/private/ws?listenKey=notAKey');

    const rest = await call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.010',
        price: '30000.0',
        newClientOrderId: 'u-rest-1',
      },
      true,
    );
    const newEv = orderTradeUpdate.parse(await s.next((j) => j.e === 'ORDER_TRADE_UPDATE'));
    expect(newEv.o).toMatchObject({
      c: 'u-rest-1',
      x: 'NEW',
      X: 'NEW',
      i: (rest.body as { orderId: number }).orderId,
      b: '300.00000000',
    });
    expect(newEv.o.N).toBeUndefined();
    await call(lb, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'u-rest-1' }, true);
    const canceled = orderTradeUpdate.parse(
      await s.next((j) => (j.o as { x?: string } | undefined)?.x === 'CANCELED'),
    );
    expect(canceled.o).toMatchObject({ c: 'u-rest-1', X: 'CANCELED', b: '0.00000000' });

    const limit = await buyLimit();
    await call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: '0.004',
        price: limit,
        newClientOrderId: 'u-rest-2',
      },
      true,
    );
    const trade = orderTradeUpdate.parse(
      await s.next((j) => (j.o as { x?: string } | undefined)?.x === 'TRADE'),
    );
    const px = trade.o.L;
    expect(Number(px)).toBeLessThanOrEqual(Number(limit));
    expect(trade.o).toMatchObject({
      c: 'u-rest-2',
      X: 'FILLED',
      l: '0.004',
      z: '0.004',
      ap: px,
      N: 'USDT',
      m: false,
    });
    expect(Number(trade.o.n)).toBeCloseTo(Number(px) * 0.004 * 0.0005, 8);
    expect(trade.o.t).toBeGreaterThan(0);
    const acct = accountUpdate.parse(await s.next((j) => j.e === 'ACCOUNT_UPDATE'));
    expect(acct.a.m).toBe('ORDER');
    expect(acct.a.P).toMatchObject([{ s: 'BTCUSDT', pa: '0.004', ep: px }]);
    expect(Number(acct.a.B[0]!.wb)).toBeLessThan(100_000);

    await legacy.next((j) => (j.o as { c?: string } | undefined)?.c === 'u-rest-2');
    await onlyOrders.next((j) => (j.o as { x?: string } | undefined)?.x === 'TRADE');
    await sleepMs(100);
    expect(onlyOrders.frames.every((f) => f.includes('ORDER_TRADE_UPDATE'))).toBe(true);
    expect(bogus.frames).toHaveLength(0);
  });

  it('faults.expireListenKey pushes listenKeyExpired (E as the docs show it, a string); the key is then gone', async () => {
    const k = await listenKey();
    const s = await open(
      `/private/ws?listenKey=${k}&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE/listenKeyExpired`,
    );
    const filtered = await open(`/private/ws?listenKey=${k}&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE`);
    lb.faults.expireListenKey();
    const ev = await s.next((j) => j.e === 'listenKeyExpired');
    expect(ev).toEqual({ e: 'listenKeyExpired', E: expect.stringMatching(/^\d{13}$/), listenKey: k });
    await call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.010',
        price: '30000.0',
      },
      true,
    );
    await sleepMs(200);
    expect(s.frames).toHaveLength(1);
    expect(filtered.frames).toHaveLength(0);
    expect(await call(lb, 'PUT', '/fapi/v1/listenKey')).toMatchObject({
      status: 400,
      body: { code: -1125, msg: 'This listenKey does not exist.' },
    });
    const k2 = await listenKey();
    expect(k2).not.toBe(k);
    const s2 = await open(`/ws/${k2}`);
    expect((await call(lb, 'DELETE', '/fapi/v1/listenKey')).body).toEqual({});
    expect(await s2.next((j) => j.e === 'listenKeyExpired')).toMatchObject({ listenKey: k2 });
  });

  it('faults.dropConnections closes user-stream sockets', async () => {
    const k = await listenKey();
    const s = await open(`/private/ws?listenKey=${k}`);
    const closed = new Promise<void>((r) => s.ws.once('close', () => r()));
    lb.faults.dropConnections();
    await closed;
  });
});
