import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DepthUpdate, FeedGap, MarketEvent } from '@botplatform/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Scheduler, systemScheduler } from '../../connection/scheduler.js';
import { BinanceMarketStream, type MarketStreamOptions } from './market-stream.js';

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

interface Conn {
  readonly path: string;
  readonly sock: WebSocket;
  readonly requests: { method: string; params: string[]; id: number }[];
}

/** A ws server answering on /public/stream and /market/stream; acks SUBSCRIBE unless told not to. */
async function streamServer(
  opts: { ack?: (c: Conn, n: number) => boolean | { code: number; msg: string } } = {},
) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const conns: Conn[] = [];
  wss.on('connection', (sock: WebSocket, req: IncomingMessage) => {
    const c: Conn = { path: req.url ?? '', sock, requests: [] };
    conns.push(c);
    sock.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Conn['requests'][number];
      c.requests.push(m);
      const decision = opts.ack ? opts.ack(c, conns.filter((x) => x.path === c.path).length) : true;
      if (decision === true) sock.send(JSON.stringify({ result: null, id: m.id }));
      else if (decision !== false) sock.send(JSON.stringify({ ...decision, id: m.id }));
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  const base = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const latest = (path: string) => [...conns].reverse().find((c) => c.path === path)!;
  return { conns, publicUrl: `${base}/public`, marketUrl: `${base}/market`, latest };
}

const T0 = 1_700_000_000_000;

const depthFrame = (U: number, u: number, pu: number, bid = 100) =>
  JSON.stringify({
    stream: 'btcusdt@depth@100ms',
    data: {
      e: 'depthUpdate',
      E: T0 + u,
      T: T0 + u,
      s: 'BTCUSDT',
      U,
      u,
      pu,
      b: [[`${bid}.0`, '1.5']],
      a: [['101.0', '2']],
      someFutureField: { x: 1 }, // unknown fields are ignored
    },
  });

const snapshot = (lastUpdateId: number): DepthUpdate => ({
  type: 'depth',
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  exchTs: (T0 + lastUpdateId) * 1000,
  localTs: Date.now() * 1000,
  seq: lastUpdateId,
  prevSeq: lastUpdateId,
  isSnapshot: true,
  bids: [[99, 3]],
  asks: [[101, 3]],
});

/** A REST stub whose snapshots the test hands out one at a time. */
function restStub() {
  const waiting: ((s: DepthUpdate) => void)[] = [];
  let calls = 0;
  return {
    rest: {
      depthSnapshot: (symbol: string, limit?: number) => {
        expect(symbol).toBe('BTCUSDT');
        expect(limit).toBe(1000);
        calls++;
        return new Promise<DepthUpdate>((r) => waiting.push(r));
      },
    },
    get calls() {
      return calls;
    },
    give(lastUpdateId: number) {
      const r = waiting.shift();
      if (!r) throw new Error('no snapshot request pending');
      r(snapshot(lastUpdateId));
    },
    get pending() {
      return waiting.length;
    },
  };
}

function collect() {
  const events: MarketEvent[] = [];
  const gaps: FeedGap[] = [];
  const errors: Error[] = [];
  return {
    events,
    gaps,
    errors,
    sink: {
      onMarket: (e: MarketEvent) => events.push(e),
      onGap: (g: FeedGap) => gaps.push(g),
      onError: (e: Error) => errors.push(e),
    },
  };
}

function stream(
  urls: { publicUrl: string; marketUrl: string },
  rest: MarketStreamOptions['rest'],
  sink: ReturnType<typeof collect>['sink'],
  extra: Partial<MarketStreamOptions> = {},
) {
  const ms = new BinanceMarketStream(
    { symbols: ['BTCUSDT'], ...urls, rest, socket: { backoffBaseUs: 2_000, backoffMaxUs: 10_000 }, ...extra },
    sink,
  );
  cleanups.push(() => ms.close());
  return ms;
}

describe('BinanceMarketStream', () => {
  it('subscribes on the routed endpoints with ids and resolves once both acks are in', async () => {
    const srv = await streamServer();
    const stub = restStub();
    const out = collect();
    await stream(srv, stub.rest, out.sink).start();
    const pub = srv.latest('/public/stream');
    const mkt = srv.latest('/market/stream');
    expect(pub.requests).toEqual([
      { method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms', 'btcusdt@bookTicker'], id: expect.any(Number) },
    ]);
    expect(mkt.requests).toEqual([
      { method: 'SUBSCRIBE', params: ['btcusdt@aggTrade', 'btcusdt@markPrice@1s'], id: expect.any(Number) },
    ]);
    expect(pub.requests[0]!.id).not.toBe(mkt.requests[0]!.id);

    // Market frames come out normalized; unknown event types are ignored.
    mkt.sock.send(
      JSON.stringify({ stream: 'btcusdt@kline_1m', data: { e: 'kline', E: 1, s: 'BTCUSDT', k: {} } }),
    );
    mkt.sock.send(
      JSON.stringify({
        stream: 'btcusdt@aggTrade',
        data: {
          e: 'aggTrade',
          E: T0 + 5,
          a: 26129,
          s: 'BTCUSDT',
          p: '100.1',
          q: '0.5',
          f: 100,
          l: 105,
          T: T0 + 4,
          m: true,
          nq: '0.5',
        },
      }),
    );
    pub.sock.send(
      JSON.stringify({
        stream: 'btcusdt@bookTicker',
        data: {
          e: 'bookTicker',
          u: 400900217,
          E: T0 + 9,
          T: T0 + 8,
          s: 'BTCUSDT',
          b: '100.0',
          B: '31.2',
          a: '100.1',
          A: '40.6',
        },
      }),
    );
    await until(() => out.events.length === 2);
    const trade = out.events.find((e) => e.type === 'trade')!;
    expect(trade).toMatchObject({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      tradeId: 26129,
      price: 100.1,
      qty: 0.5,
      side: 'sell',
      exchTs: (T0 + 4) * 1000,
    });
    expect(out.events.find((e) => e.type === 'bookTicker')).toMatchObject({
      bidPrice: 100,
      askPrice: 100.1,
      seq: 400900217,
    });
    expect(out.errors).toEqual([]);
  });

  it('reconnects when a SUBSCRIBE is not acknowledged in time', async () => {
    const srv = await streamServer({ ack: (c, n) => !(c.path === '/public/stream' && n === 1) });
    const stub = restStub();
    const out = collect();
    await stream(srv, stub.rest, out.sink, { ackTimeoutUs: 100_000 }).start();
    expect(srv.conns.filter((c) => c.path === '/public/stream')).toHaveLength(2);
    expect(out.errors.map((e) => e.message).join()).toContain('not acknowledged');
  });

  it('reports a refused subscription', async () => {
    const srv = await streamServer({
      ack: (c) => (c.path === '/market/stream' ? { code: 2, msg: 'Invalid request: unknown stream' } : true),
    });
    const stub = restStub();
    const out = collect();
    void stream(srv, stub.rest, out.sink).start();
    await until(() => out.errors.length === 1);
    expect(out.errors[0]!.message).toContain('2 Invalid request: unknown stream');
  });

  it('syncs depth from a snapshot, detects a pu gap, marks it and resyncs', async () => {
    const srv = await streamServer();
    const stub = restStub();
    const out = collect();
    const ms = stream(srv, stub.rest, out.sink, {
      streams: { depth: true, bookTicker: false, trade: false, markPrice: false },
    });
    await ms.start();
    const pub = srv.latest('/public/stream');
    const depth = () => out.events.filter((e): e is DepthUpdate => e.type === 'depth');

    // Buffer, then snapshot at 15 bridges into 10..17.
    pub.sock.send(depthFrame(10, 17, 3));
    await until(() => stub.pending === 1);
    pub.sock.send(depthFrame(18, 29, 17));
    await until(() => ms.depthSync('BTCUSDT')!.buffered === 2);
    stub.give(15);
    await until(() => depth().length === 3);
    expect(depth().map((e) => [e.isSnapshot, e.seq, e.prevSeq])).toEqual([
      [true, 15, 15],
      [false, 17, 15],
      [false, 29, 17],
    ]);
    expect(ms.depthSync('BTCUSDT')!.state).toBe('synced');

    // 30..35 is lost: the next diff's pu (35) is not 29.
    pub.sock.send(depthFrame(36, 37, 35));
    await until(() => out.gaps.length === 1);
    expect(out.gaps[0]).toMatchObject({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      stream: 'depth',
      reason: 'pu-mismatch',
      fromUpdateId: 29,
      toUpdateId: 35,
    });
    expect(out.gaps[0]!.toTs).toBeGreaterThanOrEqual(out.gaps[0]!.fromTs);
    await until(() => stub.pending === 1);
    expect(stub.calls).toBe(2);
    pub.sock.send(depthFrame(38, 45, 37));
    await until(() => ms.depthSync('BTCUSDT')!.buffered === 2);
    stub.give(40);
    await until(() => depth().length === 5);
    pub.sock.send(depthFrame(46, 50, 45));
    await until(() => depth().length === 6);
    expect(
      depth()
        .slice(3)
        .map((e) => [e.isSnapshot, e.seq, e.prevSeq]),
    ).toEqual([
      [true, 40, 40],
      [false, 45, 40],
      [false, 50, 45],
    ]);
    expect(out.gaps).toHaveLength(1);
  });

  it('a dropped socket is a gap per stream it carried, then the book resyncs', async () => {
    const srv = await streamServer();
    const stub = restStub();
    const out = collect();
    const ms = stream(srv, stub.rest, out.sink);
    await ms.start();
    const pub = srv.latest('/public/stream');
    pub.sock.send(depthFrame(10, 17, 3));
    await until(() => stub.pending === 1);
    stub.give(12);
    await until(() => ms.depthSync('BTCUSDT')!.state === 'synced');
    const lastDepthTs = out.events.at(-1)!.localTs;

    pub.sock.terminate();
    await until(
      () => srv.conns.filter((c) => c.path === '/public/stream').length === 2 && out.gaps.length === 2,
    );
    expect(out.gaps.map((g) => [g.stream, g.reason])).toEqual([
      ['depth', 'disconnect'],
      ['bookTicker', 'disconnect'],
    ]);
    expect(out.gaps[0]!.fromTs).toBe(lastDepthTs);
    expect(out.gaps[0]!.toTs).toBeGreaterThan(lastDepthTs);
    expect(ms.depthSync('BTCUSDT')!.state).toBe('awaiting-snapshot');
    // The market socket was not touched.
    expect(srv.conns.filter((c) => c.path === '/market/stream')).toHaveLength(1);

    await until(() => srv.latest('/public/stream').requests.length === 1);
    const pub2 = srv.latest('/public/stream');
    pub2.sock.send(depthFrame(90, 95, 80));
    await until(() => stub.pending === 1);
    stub.give(92);
    await until(() => ms.depthSync('BTCUSDT')!.state === 'synced');
    const last2 = out.events.filter((e): e is DepthUpdate => e.type === 'depth').slice(-2);
    expect(last2.map((e) => [e.isSnapshot, e.seq, e.prevSeq])).toEqual([
      [true, 92, 92],
      [false, 95, 92],
    ]);
  });

  it('reports a malformed frame of a known type and keeps going', async () => {
    const srv = await streamServer();
    const stub = restStub();
    const out = collect();
    await stream(srv, stub.rest, out.sink, { streams: { depth: false, bookTicker: false } }).start();
    const mkt = srv.latest('/market/stream');
    mkt.sock.send(
      JSON.stringify({
        stream: 'btcusdt@markPrice@1s',
        data: { e: 'markPriceUpdate', E: 1, s: 'BTCUSDT', p: 'oops', r: '0', T: 1 },
      }),
    );
    mkt.sock.send(
      JSON.stringify({
        stream: 'btcusdt@markPrice@1s',
        data: {
          e: 'markPriceUpdate',
          E: T0,
          s: 'BTCUSDT',
          p: '11794.15',
          i: '11784.62',
          P: '11784.25',
          r: '0.00038167',
          T: 1562306400000,
        },
      }),
    );
    await until(() => out.events.length === 1);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]!.message).toContain('markPriceUpdate');
    expect(out.events[0]).toMatchObject({
      type: 'markPrice',
      markPrice: 11794.15,
      fundingRate: 0.00038167,
      nextFundingTs: 1562306400000000,
    });
  });
});

/** A lifetime no test waits for: the test fires the expiry itself through the scheduler. */
const LIFETIME_US = 7_777_000_000;

/** The system scheduler, except that socket lifetimes expire when the test says so. */
function lifetimeScheduler() {
  const expiries: { fire: () => void; live: boolean }[] = [];
  const scheduler: Scheduler = {
    now: systemScheduler.now,
    after(delayUs, fn) {
      if (delayUs !== LIFETIME_US) return systemScheduler.after(delayUs, fn);
      const e = { fire: fn, live: true };
      expiries.push(e);
      return () => {
        e.live = false;
      };
    },
  };
  return {
    scheduler,
    /** Expires the oldest connection still open. */
    expire() {
      const e = expiries.find((x) => x.live);
      if (!e) throw new Error('no connection to expire');
      e.live = false;
      e.fire();
    },
  };
}

function logs() {
  const warn: string[] = [];
  const info: string[] = [];
  const line = (o: object | string, m?: string) => JSON.stringify([o, m]);
  return {
    warn,
    info,
    logger: {
      debug: () => {},
      info: (o: object | string, m?: string) => info.push(line(o, m)),
      warn: (o: object | string, m?: string) => warn.push(line(o, m)),
      error: (o: object | string, m?: string) => warn.push(line(o, m)),
    },
  };
}

const tickerFrame = (u: number) =>
  JSON.stringify({
    stream: 'btcusdt@bookTicker',
    data: { e: 'bookTicker', u, E: T0 + u, T: T0 + u, s: 'BTCUSDT', b: '100.0', B: '1', a: '101.0', A: '1' },
  });

describe('BinanceMarketStream rotation at the planned lifetime', () => {
  async function rotating(extra: Partial<MarketStreamOptions> = {}) {
    const srv = await streamServer();
    const stub = restStub();
    const out = collect();
    const clock = lifetimeScheduler();
    const log = logs();
    const ms = stream(srv, stub.rest, out.sink, {
      streams: { depth: true, bookTicker: true, trade: false, markPrice: false },
      scheduler: clock.scheduler,
      socket: { backoffBaseUs: 2_000, backoffMaxUs: 10_000, maxLifetimeUs: LIFETIME_US },
      logger: log.logger,
      ...extra,
    });
    await ms.start();
    const pub = srv.latest('/public/stream');
    pub.sock.send(depthFrame(10, 17, 3));
    await until(() => stub.pending === 1);
    stub.give(15);
    pub.sock.send(depthFrame(18, 29, 17));
    pub.sock.send(tickerFrame(30));
    await until(() => out.events.length === 4);
    expect(ms.depthSync('BTCUSDT')!.state).toBe('synced');
    const publics = () => srv.conns.filter((c) => c.path === '/public/stream');
    clock.expire();
    await until(() => publics().length === 2 && publics()[1]!.requests.length === 1);
    return { srv, stub, out, clock, log, ms, old: pub, next: publics()[1]!, publics };
  }
  const depthOf = (out: ReturnType<typeof collect>) =>
    out.events.filter((e): e is DepthUpdate => e.type === 'depth').map((e) => [e.seq, e.prevSeq]);

  it('opens a second connection, hands over once its depth continues the chain, closes the old one: no gap, no resync', async () => {
    const { stub, out, log, ms, old, next, publics } = await rotating();
    // Same streams on the new connection, subscribed on its own.
    expect(next.requests[0]).toMatchObject({
      method: 'SUBSCRIBE',
      params: ['btcusdt@depth@100ms', 'btcusdt@bookTicker'],
    });
    expect(next.requests[0]!.id).not.toBe(old.requests[0]!.id);

    // The server sends the same messages to both from here on. The old one keeps delivering.
    old.sock.send(depthFrame(30, 35, 29));
    old.sock.send(tickerFrame(36));
    await until(() => out.events.length === 6);
    // The new connection repeats them, then goes on; the old one goes on too.
    next.sock.send(depthFrame(30, 35, 29));
    next.sock.send(tickerFrame(36));
    next.sock.send(depthFrame(36, 41, 35));
    next.sock.send(tickerFrame(42));
    old.sock.send(depthFrame(36, 41, 35));
    old.sock.send(tickerFrame(42));
    await until(() => old.sock.readyState === old.sock.CLOSED);
    next.sock.send(depthFrame(42, 50, 41));
    await until(() => depthOf(out).length === 6);

    expect(depthOf(out)).toEqual([
      [15, 15],
      [17, 15],
      [29, 17],
      [35, 29],
      [41, 35],
      [50, 41],
    ]);
    expect(out.events.filter((e) => e.type === 'bookTicker').map((e) => e.seq)).toEqual([30, 36, 42]);
    expect(out.gaps).toEqual([]);
    expect(stub.calls).toBe(1);
    expect(ms.depthSync('BTCUSDT')!.state).toBe('synced');
    expect(publics()).toHaveLength(2);
    expect(next.sock.readyState).toBe(next.sock.OPEN);
    expect(log.info.join()).toContain('rotated without a gap');
    expect(log.warn).toEqual([]);
  });

  it('falls back to a plain reconnect (gap, resync, warning) when the new connection proves nothing in time', async () => {
    const { stub, out, log, ms, old, next, publics } = await rotating({ rotationTimeoutUs: 150_000 });
    old.sock.send(depthFrame(30, 35, 29));
    await until(() => depthOf(out).length === 4);
    // The new connection sends nothing: after the timeout it is closed and the old one reconnects.
    await until(() => publics().length === 3);
    expect(next.sock.readyState).not.toBe(next.sock.OPEN);
    await until(() => old.sock.readyState === old.sock.CLOSED && out.gaps.length === 2);
    expect(out.gaps.map((g) => [g.stream, g.reason])).toEqual([
      ['depth', 'disconnect'],
      ['bookTicker', 'disconnect'],
    ]);
    expect(log.warn.join()).toContain('did not prove continuity within 0.15 s');
    expect(ms.depthSync('BTCUSDT')!.state).toBe('awaiting-snapshot');

    // The book resyncs on the reconnected socket, as after any drop.
    const third = publics()[2]!;
    await until(() => third.requests.length === 1);
    third.sock.send(depthFrame(60, 70, 55));
    await until(() => stub.pending === 1);
    stub.give(65);
    await until(() => ms.depthSync('BTCUSDT')!.state === 'synced');
    expect(stub.calls).toBe(2);
    expect(depthOf(out).slice(-2)).toEqual([
      [65, 65],
      [70, 65],
    ]);
  });

  it('falls back at once when the new connection breaks the depth chain', async () => {
    const { out, log, ms, old, next, publics } = await rotating();
    old.sock.send(depthFrame(30, 35, 29));
    await until(() => depthOf(out).length === 4);
    next.sock.send(depthFrame(30, 35, 29)); // a repeat: the overlap
    next.sock.send(depthFrame(48, 50, 45)); // but 36..45 never came on it
    await until(() => publics().length === 3 && out.gaps.length === 2);
    expect(log.warn.join()).toContain('does not continue the old one (pu 45, last u 35)');
    expect(next.sock.readyState).not.toBe(next.sock.OPEN);
    expect(depthOf(out)).toHaveLength(4); // nothing from the broken chain reached the book
    expect(ms.depthSync('BTCUSDT')!.state).toBe('awaiting-snapshot');
  });

  it('an unplanned drop of the old connection during a rotation stays an unplanned drop', async () => {
    const { out, next, old, publics } = await rotating();
    old.sock.terminate();
    await until(() => publics().length === 3 && out.gaps.length === 2);
    expect(out.gaps.map((g) => g.reason)).toEqual(['disconnect', 'disconnect']);
    await until(() => next.sock.readyState === next.sock.CLOSED);
  });
});
