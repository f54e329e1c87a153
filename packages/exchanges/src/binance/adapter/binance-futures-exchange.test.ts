import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { ExchangeSink, ExecutionReport, FeedGap, Logger, MarketEvent } from '@botplatform/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Scheduler, systemScheduler } from '../../connection/scheduler.js';
import {
  type BinanceFuturesConfig,
  BinanceFuturesExchange,
  type OrderLatencySample,
} from './binance-futures-exchange.js';
import { resolveEndpoints } from './endpoints.js';
import { type Handler, startHttpServer } from './test-http-server.test-support.js';

const KEY = 'exchKEY-0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJK';
const SECRET = 'exchSECRET-0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH';
const LISTEN_KEY = 'lk-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmno';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = async (cond: () => boolean, ms = 4000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 1_700_000_000_000,
  rateLimits: [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
    { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
  ],
  symbols: [
    {
      symbol: 'BTCUSDT',
      status: 'TRADING',
      contractType: 'PERPETUAL',
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '261.10', maxPrice: '809484', tickSize: '0.10' },
        { filterType: 'LOT_SIZE', stepSize: '0.001', maxQty: '1000', minQty: '0.001' },
        { filterType: 'MARKET_LOT_SIZE', stepSize: '0.001', maxQty: '120', minQty: '0.001' },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MIN_NOTIONAL', notional: '100' },
        {
          filterType: 'PERCENT_PRICE',
          multiplierUp: '1.0500',
          multiplierDown: '0.9500',
          multiplierDecimal: '4',
        },
      ],
    },
  ],
};

const orderBody = (params: Record<string, string | number>, status = 'NEW') => ({
  orderId: 4242,
  symbol: params.symbol,
  status,
  clientOrderId: String(params.newClientOrderId ?? params.origClientOrderId),
  price: String(params.price ?? '0'),
  avgPrice: '0.00',
  origQty: String(params.quantity ?? '0.010'),
  executedQty: '0',
  cumQuote: '0',
  timeInForce: String(params.timeInForce ?? 'GTC'),
  type: String(params.type ?? 'LIMIT'),
  reduceOnly: false,
  side: String(params.side ?? 'BUY'),
  updateTime: 1_700_000_000_500,
});

function otu(o: Record<string, unknown>): string {
  return JSON.stringify({
    e: 'ORDER_TRADE_UPDATE',
    E: 1_700_000_000_600,
    T: 1_700_000_000_599,
    o: {
      s: 'BTCUSDT',
      c: 'c-1',
      S: 'BUY',
      o: 'LIMIT',
      f: 'GTX',
      q: '0.010',
      p: '50000.0',
      ap: '0',
      sp: '0',
      x: 'NEW',
      X: 'NEW',
      i: 4242,
      l: '0',
      z: '0',
      L: '0',
      T: 1_700_000_000_599,
      t: 0,
      b: '500',
      a: '0',
      m: false,
      R: false,
      wt: 'CONTRACT_PRICE',
      ot: 'LIMIT',
      ps: 'BOTH',
      cp: false,
      rp: '0',
      pP: false,
      si: 0,
      ss: 0,
      V: 'EXPIRE_MAKER',
      pm: 'NONE',
      gtd: 0,
      er: '0',
      ...o,
    },
  });
}

interface Fake {
  restUrl: string;
  wsUrl: string;
  wsApiUrl: string;
  rest: Awaited<ReturnType<typeof startHttpServer>>;
  user: () => WebSocket;
  wsApiRequests: { method: string; params: Record<string, string | number> }[];
}

/** REST + stream + WebSocket API answering just the calls this adapter makes. */
async function fakeBinance(
  routes: Record<string, Handler> = {},
  wsApiAnswer?: (m: string, p: Record<string, string | number>) => unknown,
): Promise<Fake> {
  const rest = await startHttpServer({
    'GET /fapi/v1/time': () => ({ body: { serverTime: Date.now() } }),
    'GET /fapi/v1/exchangeInfo': () => ({ body: EXCHANGE_INFO }),
    'GET /fapi/v1/depth': () => ({
      body: { lastUpdateId: 100, E: 1, T: 1, bids: [['50000.0', '1']], asks: [['50000.1', '1']] },
    }),
    'POST /fapi/v1/listenKey': () => ({ body: { listenKey: LISTEN_KEY } }),
    'PUT /fapi/v1/listenKey': () => ({ body: { listenKey: LISTEN_KEY } }),
    'DELETE /fapi/v1/listenKey': () => ({ body: {} }),
    'POST /fapi/v1/order': (req) => ({ body: orderBody(Object.fromEntries(req.query)) }),
    'DELETE /fapi/v1/order': (req) => ({ body: orderBody(Object.fromEntries(req.query), 'CANCELED') }),
    'GET /fapi/v1/openOrders': () => ({ body: [] }),
    ...routes,
  });
  cleanups.push(rest.close);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let userSock: WebSocket | undefined;
  const wsApiRequests: Fake['wsApiRequests'] = [];
  wss.on('connection', (sock: WebSocket, req: IncomingMessage) => {
    const path = req.url ?? '';
    if (path.startsWith('/private/ws/')) userSock = sock;
    sock.on('message', (d) => {
      const m = JSON.parse(d.toString()) as {
        id: string;
        method: string;
        params: Record<string, string | number>;
      };
      if (m.method === 'SUBSCRIBE') sock.send(JSON.stringify({ result: null, id: m.id }));
      else if (path === '/ws-fapi/v1') {
        wsApiRequests.push(m);
        const custom = wsApiAnswer?.(m.method, m.params);
        if (custom === null) return; // no answer at all
        const answer = custom ?? {
          status: 200,
          result: orderBody(m.params, m.method === 'order.cancel' ? 'CANCELED' : 'NEW'),
        };
        sock.send(JSON.stringify({ id: m.id, ...(answer as object) }));
      }
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  const port = (wss.address() as AddressInfo).port;
  return {
    restUrl: rest.url,
    wsUrl: `ws://127.0.0.1:${port}`,
    wsApiUrl: `ws://127.0.0.1:${port}/ws-fapi/v1`,
    rest,
    user: () => userSock!,
    wsApiRequests,
  };
}

function recorder() {
  const reports: ExecutionReport[] = [];
  const market: MarketEvent[] = [];
  const gaps: FeedGap[] = [];
  const sink: ExchangeSink = {
    onMarket: (e) => market.push(e),
    onReport: (r) => reports.push(r),
    onGap: (g) => gaps.push(g),
  };
  return { sink, reports, market, gaps };
}

function logs() {
  const lines: string[] = [];
  const log = (o: object | string, m?: string) => lines.push(JSON.stringify([o, m]));
  const logger: Logger = { debug: log, info: log, warn: log, error: log };
  return { lines, logger };
}

async function connected(fake: Fake, extra: Partial<BinanceFuturesConfig> = {}) {
  const rec = recorder();
  const { lines, logger } = logs();
  const latency: OrderLatencySample[] = [];
  const ex = new BinanceFuturesExchange({
    restUrl: fake.restUrl,
    wsUrl: fake.wsUrl,
    wsApiUrl: fake.wsApiUrl,
    apiKey: KEY,
    apiSecret: SECRET,
    streams: { depth: false, bookTicker: false, trade: false, markPrice: true },
    socket: { backoffBaseUs: 2_000 },
    onLatency: (s) => latency.push(s),
    logger,
    ...extra,
  });
  cleanups.push(() => ex.close());
  await ex.connect(rec.sink, ['BTCUSDT']);
  return { ex, ...rec, lines, latency };
}

const CMD = {
  clientOrderId: 'c-1',
  symbol: 'BTCUSDT',
  side: 'buy' as const,
  type: 'limit' as const,
  qty: 0.01,
  price: 50000,
  timeInForce: 'GTX' as const,
  reduceOnly: false,
};

describe('resolveEndpoints', () => {
  it('mainnet routes streams by path; testnet does not; every URL is overridable', () => {
    expect(resolveEndpoints({})).toEqual({
      restUrl: 'https://fapi.binance.com',
      publicWsUrl: 'wss://fstream.binance.com/public',
      marketWsUrl: 'wss://fstream.binance.com/market',
      privateWsUrl: 'wss://fstream.binance.com/private',
      wsApiUrl: 'wss://ws-fapi.binance.com/ws-fapi/v1',
    });
    expect(resolveEndpoints({ testnet: true })).toEqual({
      restUrl: 'https://testnet.binancefuture.com',
      publicWsUrl: 'wss://fstream.binancefuture.com',
      marketWsUrl: 'wss://fstream.binancefuture.com',
      privateWsUrl: 'wss://fstream.binancefuture.com',
      wsApiUrl: 'wss://testnet.binancefuture.com/ws-fapi/v1',
    });
    expect(resolveEndpoints({ wsUrl: 'ws://127.0.0.1:9/', marketWsUrl: 'ws://m' })).toMatchObject({
      publicWsUrl: 'ws://127.0.0.1:9/public',
      marketWsUrl: 'ws://m',
    });
  });
});

describe('BinanceFuturesExchange', () => {
  it('instruments come from exchangeInfo, with the account fees', async () => {
    const fake = await fakeBinance();
    const ex = new BinanceFuturesExchange({
      restUrl: fake.restUrl,
      fees: { makerFee: 0.00018, takerFee: 0.00045 },
    });
    cleanups.push(() => ex.close());
    expect(await ex.instruments(['BTCUSDT'])).toEqual([
      {
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        tickSize: 0.1,
        stepSize: 0.001,
        minQty: 0.001,
        minNotional: 100,
        makerFee: 0.00018,
        takerFee: 0.00045,
        contractSize: 1,
        maxQty: 1000,
      },
    ]);
    await expect(ex.instruments(['NOPEUSDT'])).rejects.toThrow(/NOPEUSDT/);
  });

  it('places over the WebSocket API: one ack though the user stream echoes it, fills from the user stream, latency sampled', async () => {
    const fake = await fakeBinance();
    const { ex, reports, latency } = await connected(fake);
    await until(
      () => fake.wsApiRequests.length === 0 && (ex as unknown as { wsApi: { isUp: boolean } }).wsApi.isUp,
    );
    ex.submit(CMD);
    await until(() => reports.length === 1);
    expect(fake.wsApiRequests[0]).toMatchObject({
      method: 'order.place',
      params: {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.010',
        price: '50000.0',
        timeInForce: 'GTX',
        newClientOrderId: 'c-1',
        newOrderRespType: 'ACK',
      },
    });
    expect(fake.rest.seen.some((s) => s.method === 'POST' && s.path === '/fapi/v1/order')).toBe(false);
    expect(reports[0]).toEqual({
      kind: 'accepted',
      clientOrderId: 'c-1',
      exchangeOrderId: '4242',
      exchTs: 1_700_000_000_500_000,
    });
    expect(latency).toEqual([
      {
        symbol: 'BTCUSDT',
        reqTs: expect.any(Number),
        exchTs: 1_700_000_000_500_000,
        respTs: expect.any(Number),
      },
    ]);
    expect(latency[0]!.respTs).toBeGreaterThanOrEqual(latency[0]!.reqTs);

    fake.user().send(otu({})); // the NEW echo: dropped
    fake.user().send(
      otu({
        x: 'TRADE',
        X: 'PARTIALLY_FILLED',
        l: '0.004',
        z: '0.004',
        L: '50000.0',
        n: '0.04',
        N: 'USDT',
        t: 77,
        m: true,
      }),
    );
    await until(() => reports.length === 2);
    expect(reports[1]).toEqual({
      kind: 'fill',
      clientOrderId: 'c-1',
      price: 50000,
      qty: 0.004,
      fee: 0.04,
      liquidity: 'maker',
      leavesQty: 0.006,
      exchTs: 1_700_000_000_599_000,
    });

    ex.cancel({ clientOrderId: 'c-1', symbol: 'BTCUSDT' });
    await until(() => reports.length === 3);
    expect(reports[2]).toMatchObject({ kind: 'canceled', clientOrderId: 'c-1' });
    fake.user().send(otu({ x: 'CANCELED', X: 'CANCELED', z: '0.004' })); // echo: dropped
    await new Promise((r) => setTimeout(r, 50));
    expect(reports).toHaveLength(3);
    expect(fake.wsApiRequests.map((r) => r.method)).toEqual(['order.place', 'order.cancel']);
    expect(latency).toHaveLength(2);
  });

  it('falls back to REST while the WebSocket API is down', async () => {
    const fake = await fakeBinance();
    const { ex, reports, latency } = await connected(fake, { wsApiUrl: 'ws://127.0.0.1:9/ws-fapi/v1' });
    ex.submit(CMD);
    await until(() => reports.length === 1);
    const post = fake.rest.seen.find((s) => s.method === 'POST' && s.path === '/fapi/v1/order')!;
    expect(post.query.get('newClientOrderId')).toBe('c-1');
    expect(post.query.get('timeInForce')).toBe('GTX');
    expect(post.query.has('signature')).toBe(true);
    expect(reports[0]).toMatchObject({ kind: 'accepted', exchangeOrderId: '4242' });
    expect(latency).toHaveLength(1);
  });

  it('reports Binance refusals as rejections with the reason and code', async () => {
    const fake = await fakeBinance({}, (method) =>
      method === 'order.place'
        ? {
            status: 400,
            error: {
              code: -5022,
              msg: 'Due to the order could not be executed as maker, the Post Only order will be rejected.',
            },
          }
        : { status: 400, error: { code: -2011, msg: 'Unknown order sent.' } },
    );
    const { ex, reports } = await connected(fake);
    await until(() => (ex as unknown as { wsApi: { isUp: boolean } }).wsApi.isUp);
    ex.submit(CMD);
    ex.cancel({ clientOrderId: 'zzz', symbol: 'BTCUSDT' });
    ex.submit({ ...CMD, clientOrderId: 'c-2', symbol: 'NOPEUSDT' });
    await until(() => reports.length === 3);
    expect(reports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'rejected',
          clientOrderId: 'c-1',
          reason: expect.objectContaining({ code: 'POST_ONLY_WOULD_CROSS', exchangeCode: -5022 }),
        }),
        expect.objectContaining({
          kind: 'cancelRejected',
          clientOrderId: 'zzz',
          reason: expect.objectContaining({ code: 'UNKNOWN_ORDER' }),
        }),
        expect.objectContaining({
          kind: 'rejected',
          clientOrderId: 'c-2',
          reason: expect.objectContaining({ code: 'UNKNOWN_SYMBOL' }),
        }),
      ]),
    );
  });

  it('market data and funding reach the sink', async () => {
    const fake = await fakeBinance();
    const { reports } = await connected(fake);
    fake
      .user()
      .send(
        '{"e":"ACCOUNT_UPDATE","E":1,"T":1789500000000,"a":{"m":"ORDER","B":[],"P":[{"s":"BTCUSDT","pa":"0.5","ep":"50000","up":"0","mt":"cross","iw":"0","ps":"BOTH"}]}}',
      );
    fake
      .user()
      .send(
        '{"e":"ACCOUNT_UPDATE","E":1,"T":1789500000000,"a":{"m":"FUNDING_FEE","S":"BTCUSDT","B":[{"a":"USDT","wb":"4999.625","cw":"4999.625","bc":"-0.375"}]}}',
      );
    await until(() => reports.length === 1);
    expect(reports[0]).toMatchObject({
      kind: 'funding',
      symbol: 'BTCUSDT',
      positionQty: 0.5,
      amount: 0.375,
      exchTs: 1789500000000000,
    });
  });

  it('keeps the API key and secret out of logs, errors and serializations', async () => {
    const fake = await fakeBinance({
      'POST /fapi/v1/order': () => ({
        status: 401,
        body: { code: -2015, msg: `Invalid API-key ${KEY}, IP, or permissions for action.` },
      }),
      'GET /fapi/v1/openOrders': () => ({
        status: 400,
        body: { code: -1022, msg: `Signature for this request is not valid. secret=${SECRET}` },
      }),
    });
    const { ex, reports, lines } = await connected(fake, { useWsApi: false });
    ex.submit(CMD);
    await until(() => reports.length === 1);
    const err = await ex.openOrders().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const everything = [
      JSON.stringify(reports),
      err?.message ?? '',
      err?.stack ?? '',
      ...lines,
      JSON.stringify(ex),
      inspect(ex, { depth: 8 }),
      inspect(ex.rest, { depth: 8 }),
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(LISTEN_KEY);
    expect(JSON.stringify(reports)).toContain('***');
    expect(reports[0]).toMatchObject({ kind: 'rejected', reason: { exchangeCode: -2015 } });
  });

  it('an order that could not leave (Binance unreachable) is rejected', async () => {
    const fake = await fakeBinance();
    const { ex, reports } = await connected(fake, { useWsApi: false });
    await fake.rest.close();
    await new Promise((r) => setTimeout(r, 20));
    ex.submit(CMD);
    await until(() => reports.length === 1);
    expect(reports[0]).toMatchObject({
      kind: 'rejected',
      clientOrderId: 'c-1',
      reason: { code: 'VENUE_ERROR' },
    });
    expect((reports[0] as { reason: { message: string } }).reason.message).toContain(
      'could not reach Binance',
    );
  });

  it('an order sent but never answered is left to the user stream (no guessed outcome)', async () => {
    const fake = await fakeBinance({}, () => null);
    const { ex, reports, lines } = await connected(fake, { wsApiTimeoutUs: 100_000 });
    await until(() => (ex as unknown as { wsApi: { isUp: boolean } }).wsApi.isUp);
    ex.submit(CMD);
    await new Promise((r) => setTimeout(r, 250));
    expect(reports).toEqual([]);
    expect(lines.join('\n')).toContain('outcome unknown');
    // Not resent over REST either: that could place it twice.
    expect(fake.rest.seen.some((s) => s.method === 'POST' && s.path === '/fapi/v1/order')).toBe(false);
    fake.user().send(otu({}));
    await until(() => reports.length === 1);
    expect(reports[0]).toMatchObject({ kind: 'accepted', clientOrderId: 'c-1', exchangeOrderId: '4242' });
  });

  it('connect() fails with a clear message when the streams never come up', async () => {
    const fake = await fakeBinance();
    const ex = new BinanceFuturesExchange({
      restUrl: fake.restUrl,
      wsUrl: 'ws://127.0.0.1:9',
      streams: { depth: false, bookTicker: false, trade: true, markPrice: false },
      connectTimeoutUs: 200_000,
      socket: { backoffBaseUs: 20_000 },
    });
    cleanups.push(() => ex.close());
    await expect(ex.connect(recorder().sink, ['BTCUSDT'])).rejects.toThrow(
      /market streams did not connect within 0.2 s/,
    );
  });

  it('close() while the streams are still coming up ends connect() and leaves no timer behind', async () => {
    const fake = await fakeBinance();
    // The system clock, counting the timers that are set and neither fired nor cancelled.
    const live = new Set<number>();
    let next = 0;
    const scheduler: Scheduler = {
      now: systemScheduler.now,
      after(delayUs, fn) {
        const id = next++;
        live.add(id);
        const cancel = systemScheduler.after(delayUs, () => {
          live.delete(id);
          fn();
        });
        return () => {
          live.delete(id);
          cancel();
        };
      },
    };
    const ex = new BinanceFuturesExchange({
      restUrl: fake.restUrl,
      wsUrl: 'ws://127.0.0.1:9',
      streams: { depth: false, bookTicker: false, trade: true, markPrice: false },
      scheduler,
      socket: { backoffBaseUs: 20_000 },
    });
    const connecting = ex.connect(recorder().sink, ['BTCUSDT']);
    connecting.catch(() => {});
    await until(() => live.size > 0);
    const t0 = Date.now();
    await ex.close();
    await expect(connecting).rejects.toThrow('Binance: closed before the market streams connected');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(live.size).toBe(0);
    // A connect after close opens nothing.
    await expect(ex.connect(recorder().sink, ['BTCUSDT'])).rejects.toThrow(/closed before/);
    expect(live.size).toBe(0);
  });

  it('openOrders and positions for reconciliation', async () => {
    const fake = await fakeBinance({
      'GET /fapi/v1/openOrders': () => ({
        body: [{ ...orderBody({ symbol: 'BTCUSDT', newClientOrderId: 'old-1', price: '49000.0' }), time: 1 }],
      }),
      'GET /fapi/v3/positionRisk': () => ({
        body: [
          {
            symbol: 'BTCUSDT',
            positionSide: 'BOTH',
            positionAmt: '-0.020',
            entryPrice: '51000.0',
            markPrice: '50500',
            unRealizedProfit: '10',
            updateTime: 5,
          },
        ],
      }),
    });
    const ex = new BinanceFuturesExchange({ restUrl: fake.restUrl, apiKey: KEY, apiSecret: SECRET });
    cleanups.push(() => ex.close());
    expect((await ex.openOrders()).map((o) => [o.clientOrderId, o.price, o.status])).toEqual([
      ['old-1', 49000, 'NEW'],
    ]);
    expect(await ex.positions('BTCUSDT')).toEqual([
      {
        symbol: 'BTCUSDT',
        positionSide: 'BOTH',
        qty: -0.02,
        entryPrice: 51000,
        markPrice: 50500,
        unrealizedPnl: 10,
        updateTs: 5000,
      },
    ]);
  });
});
