import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { classifyBinanceError } from '../errors.js';
import { BinanceRequestError } from './rest-error.js';
import { type AccountUpdate, type OrderTradeUpdate, parseUserStreamMessage } from './user-messages.js';
import { fundingOfAccountUpdate, positionsOfAccountUpdate, reportsOfOrderUpdate } from './user-reports.js';
import { BinanceUserStream } from './user-stream.js';

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

/** An ORDER_TRADE_UPDATE in the shape Binance sends (fields as in real USD-M captures). */
function otu(o: Record<string, unknown>, T = 1634812374563): string {
  return JSON.stringify({
    e: 'ORDER_TRADE_UPDATE',
    T,
    E: T + 4,
    o: {
      s: 'XRPUSDT',
      c: 'cid-1',
      S: 'SELL',
      o: 'LIMIT',
      f: 'GTC',
      q: '5',
      p: '1.1583',
      ap: '0',
      sp: '0',
      x: 'NEW',
      X: 'NEW',
      i: 17803846427,
      l: '0',
      z: '0',
      L: '0',
      T,
      t: 0,
      b: '0',
      a: '5.7915',
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

const order = (text: string): OrderTradeUpdate => {
  const m = parseUserStreamMessage(text, 1);
  if (m.kind !== 'order') throw new Error(m.kind);
  return m.event;
};
const account = (text: string): AccountUpdate => {
  const m = parseUserStreamMessage(text, 1);
  if (m.kind !== 'account') throw new Error(m.kind);
  return m.event;
};

describe('user stream → ExecutionReports', () => {
  it('NEW is the ack with the exchange order id', () => {
    expect(reportsOfOrderUpdate(order(otu({})))).toEqual([
      { kind: 'accepted', clientOrderId: 'cid-1', exchangeOrderId: '17803846427', exchTs: 1634812374563000 },
    ]);
  });

  it('TRADE is a fill with price, qty, fee in quote and maker/taker', () => {
    // Real maker fill: 5 XRP at 1.1583, commission 0.00115829 USDT (0.02 %).
    const maker = order(
      otu({
        x: 'TRADE',
        X: 'FILLED',
        ap: '1.15830',
        l: '5',
        z: '5',
        L: '1.1583',
        n: '0.00115829',
        N: 'USDT',
        t: 673747843,
        m: true,
      }),
    );
    expect(reportsOfOrderUpdate(maker)).toEqual([
      {
        kind: 'fill',
        clientOrderId: 'cid-1',
        price: 1.1583,
        qty: 5,
        fee: 0.00115829,
        liquidity: 'maker',
        leavesQty: 0,
        exchTs: 1634812374563000,
      },
    ]);
    // Taker, partial: 3 of 10 filled, 7 left.
    const taker = order(
      otu({
        S: 'BUY',
        q: '10',
        p: '1.1559',
        x: 'TRADE',
        X: 'PARTIALLY_FILLED',
        l: '3',
        z: '3',
        L: '1.1559',
        n: '0.00138708',
        N: 'USDT',
        m: false,
      }),
    );
    expect(reportsOfOrderUpdate(taker)).toEqual([
      expect.objectContaining({
        kind: 'fill',
        qty: 3,
        price: 1.1559,
        fee: 0.00138708,
        liquidity: 'taker',
        leavesQty: 7,
      }),
    ]);
    // Float noise in q − z does not leak: 0.3 − 0.1.
    const noisy = order(
      otu({ q: '0.3', x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.1', z: '0.1', L: '1', n: '0', N: 'USDT' }),
    );
    expect(reportsOfOrderUpdate(noisy)[0]).toMatchObject({ leavesQty: 0.2, fee: 0 });
  });

  it('a commission in another asset goes through the converter', () => {
    const bnb = order(
      otu({ x: 'TRADE', X: 'FILLED', l: '5', z: '5', L: '1.1583', n: '0.00001', N: 'BNB', m: true }),
    );
    expect(() => reportsOfOrderUpdate(bnb)).toThrow(/BNB/);
    const rep = reportsOfOrderUpdate(bnb, (_s, asset, amount, notional, liq) => {
      expect([asset, amount, liq]).toEqual(['BNB', 0.00001, 'maker']);
      return notional * 0.00018;
    });
    expect(rep[0]!.kind === 'fill' && rep[0]!.fee).toBeCloseTo(5.7915 * 0.00018, 12);
  });

  it('CANCELED, EXPIRED and AMENDMENT', () => {
    expect(reportsOfOrderUpdate(order(otu({ x: 'CANCELED', X: 'CANCELED' })))).toEqual([
      { kind: 'canceled', clientOrderId: 'cid-1', exchTs: 1634812374563000 },
    ]);
    const gtx = reportsOfOrderUpdate(order(otu({ f: 'GTX', x: 'EXPIRED', X: 'EXPIRED' })));
    expect(gtx).toEqual([
      {
        kind: 'expired',
        clientOrderId: 'cid-1',
        reason: expect.objectContaining({ code: 'POST_ONLY_WOULD_CROSS', exchangeCode: -5022 }),
        exchTs: 1634812374563000,
      },
    ]);
    expect(
      reportsOfOrderUpdate(order(otu({ f: 'IOC', x: 'EXPIRED', X: 'EXPIRED', er: '2' })))[0],
    ).toMatchObject({ reason: { code: 'IOC_NOT_FILLED' } });
    expect(reportsOfOrderUpdate(order(otu({ f: 'FOK', x: 'EXPIRED', X: 'EXPIRED' })))[0]).toMatchObject({
      reason: { code: 'FOK_NOT_FILLED' },
    });
    expect(reportsOfOrderUpdate(order(otu({ x: 'EXPIRED', X: 'EXPIRED', er: '4' })))[0]).toMatchObject({
      reason: { code: 'REDUCE_ONLY_REJECTED' },
    });
    expect(
      reportsOfOrderUpdate(order(otu({ x: 'EXPIRED', X: 'EXPIRED_IN_MATCH', er: '1' })))[0],
    ).toMatchObject({ kind: 'expired', reason: { code: 'VENUE_ERROR' } });
    expect(reportsOfOrderUpdate(order(otu({ x: 'AMENDMENT', X: 'NEW', p: '1.16', q: '4' })))).toEqual([
      { kind: 'modified', clientOrderId: 'cid-1', price: 1.16, qty: 4, exchTs: 1634812374563000 },
    ]);
  });

  it('ACCOUNT_UPDATE gives positions, and funding on FUNDING_FEE', () => {
    const u = account(
      JSON.stringify({
        e: 'ACCOUNT_UPDATE',
        E: 1564745798939,
        T: 1564745798938,
        a: {
          m: 'ORDER',
          B: [{ a: 'USDT', wb: '122624.12345678', cw: '100.12345678', bc: '50.12345678' }],
          P: [
            {
              s: 'BTCUSDT',
              pa: '0',
              ep: '0.00000',
              bep: '0',
              cr: '200',
              up: '0',
              mt: 'isolated',
              iw: '0.00000000',
              ps: 'BOTH',
            },
            {
              s: 'ETHUSDT',
              pa: '-10',
              ep: '6563.86000',
              bep: '6563.6',
              cr: '-45.04000000',
              up: '-1423.15600',
              mt: 'isolated',
              iw: '6570.42511771',
              ps: 'SHORT',
            },
          ],
        },
      }),
    );
    expect(positionsOfAccountUpdate(u)).toEqual([
      { symbol: 'BTCUSDT', positionSide: 'BOTH', qty: 0, entryPrice: Number.NaN, exchTs: 1564745798938000 },
      { symbol: 'ETHUSDT', positionSide: 'SHORT', qty: -10, entryPrice: 6563.86, exchTs: 1564745798938000 },
    ]);
    expect(fundingOfAccountUpdate(u)).toEqual([]);
    const funding = account(
      '{"e":"ACCOUNT_UPDATE","E":1789500000001,"T":1789500000000,"a":{"m":"FUNDING_FEE","S":"BTCUSDT","B":[{"a":"USDT","wb":"4999.625","cw":"4999.625","bc":"-0.375"}]}}',
    );
    expect(fundingOfAccountUpdate(funding)).toEqual([
      { symbol: 'BTCUSDT', asset: 'USDT', amount: 0.375, exchTs: 1789500000000000 },
    ]);
  });

  it('other events are recognized as such; a broken known one throws', () => {
    expect(parseUserStreamMessage('{"e":"MARGIN_CALL","E":1}', 1)).toEqual({
      kind: 'other',
      eventType: 'MARGIN_CALL',
    });
    expect(parseUserStreamMessage('{"e":"listenKeyExpired","E":1576653824250,"listenKey":"abc"}', 1)).toEqual(
      { kind: 'listenKeyExpired', exchTs: 1576653824250000 },
    );
    // As Binance's documentation shows it: E as a string.
    expect(
      parseUserStreamMessage('{"e":"listenKeyExpired","E":"1576653824250","listenKey":"abc"}', 1),
    ).toEqual({ kind: 'listenKeyExpired', exchTs: 1576653824250000 });
    expect(() =>
      parseUserStreamMessage('{"e":"ORDER_TRADE_UPDATE","E":1,"T":1,"o":{"s":"BTCUSDT"}}', 1),
    ).toThrow(/ORDER_TRADE_UPDATE/);
  });
});

describe('BinanceUserStream (listenKey lifecycle)', () => {
  async function setup(keepAlive: () => Promise<void> = async () => {}) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const conns: { path: string; sock: WebSocket }[] = [];
    wss.on('connection', (sock: WebSocket, req: IncomingMessage) =>
      conns.push({ path: req.url ?? '', sock }),
    );
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => r());
        }),
    );
    let keys = 0;
    const calls: string[] = [];
    const rest = {
      createListenKey: async () => {
        calls.push('POST');
        return `listenkey-${String(++keys).padStart(3, '0')}-abcdefghijklmnopqrstuvwxyz`;
      },
      keepAliveListenKey: async () => {
        calls.push('PUT');
        await keepAlive();
      },
      closeListenKey: async () => {
        calls.push('DELETE');
      },
    };
    const orders: OrderTradeUpdate[] = [];
    const resyncs: string[] = [];
    const logs: string[] = [];
    const logger = {
      debug: (o: object | string, m?: string) => logs.push(JSON.stringify([o, m])),
      info: (o: object | string, m?: string) => logs.push(JSON.stringify([o, m])),
      warn: (o: object | string, m?: string) => logs.push(JSON.stringify([o, m])),
      error: (o: object | string, m?: string) => logs.push(JSON.stringify([o, m])),
    };
    const us = new BinanceUserStream(
      {
        privateUrl: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/private`,
        rest,
        keepAliveEveryUs: 60_000,
        keepAliveRetryUs: 60_000,
        socket: { backoffBaseUs: 2_000 },
        logger,
      },
      { onOrderUpdate: (u) => orders.push(u), onAccountUpdate: () => {}, onResync: (r) => resyncs.push(r) },
    );
    cleanups.push(() => us.close());
    return { us, conns, calls, orders, resyncs, logs };
  }

  it('connects on /private/ws/<listenKey>, delivers events, keeps the key alive, deletes it on close', async () => {
    const s = await setup();
    await s.us.start();
    expect(s.conns.map((c) => c.path)).toEqual(['/private/ws/listenkey-001-abcdefghijklmnopqrstuvwxyz']);
    s.conns[0]!.sock.send(otu({}));
    await until(() => s.orders.length === 1);
    expect(s.orders[0]!.o.c).toBe('cid-1');
    await until(() => s.calls.filter((c) => c === 'PUT').length >= 2);
    await s.us.close();
    expect(s.calls[0]).toBe('POST');
    expect(s.calls.at(-1)).toBe('DELETE');
  });

  it('listenKeyExpired ⇒ a new key and a reconnect onto it', async () => {
    const s = await setup();
    await s.us.start();
    s.conns[0]!.sock.send(
      '{"e":"listenKeyExpired","E":1576653824250,"listenKey":"listenkey-001-abcdefghijklmnopqrstuvwxyz"}',
    );
    await until(() => s.conns.length === 2);
    expect(s.conns[1]!.path).toBe('/private/ws/listenkey-002-abcdefghijklmnopqrstuvwxyz');
    expect(s.calls.filter((c) => c === 'POST')).toHaveLength(2);
    await until(() => s.resyncs.length >= 2);
    expect(s.resyncs).toContain('new listenKey (listenKeyExpired)');
    expect(s.resyncs).toContain('user stream reconnected');
    // Events flow on the new connection.
    s.conns[1]!.sock.send(otu({ c: 'after' }));
    await until(() => s.orders.some((o) => o.o.c === 'after'));
    // The key never shows in a log line.
    expect(s.logs.join('\n')).not.toMatch(/listenkey-00/);
  });

  it('a keep-alive answered with -1125 ⇒ a new key and a reconnect', async () => {
    let n = 0;
    const s = await setup(async () => {
      if (++n === 1)
        throw new BinanceRequestError(
          classifyBinanceError({ httpStatus: 400, code: -1125, msg: 'This listenKey does not exist.' }),
          'PUT /fapi/v1/listenKey',
        );
    });
    await s.us.start();
    await until(() => s.conns.length === 2);
    expect(s.conns[1]!.path).toBe('/private/ws/listenkey-002-abcdefghijklmnopqrstuvwxyz');
    expect(s.us.currentListenKey).toBe('listenkey-002-abcdefghijklmnopqrstuvwxyz');
    // And the keep-alive carries on with the new key.
    await until(() => n >= 2);
  });

  it('a dropped socket reconnects on the same key and asks for a resync', async () => {
    const s = await setup();
    await s.us.start();
    s.conns[0]!.sock.terminate();
    await until(() => s.conns.length === 2 && s.resyncs.length === 1);
    expect(s.conns[1]!.path).toBe(s.conns[0]!.path);
    expect(s.resyncs).toEqual(['user stream reconnected']);
  });
});
