import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { ReconnectingWebSocket, type WsCloseEvent } from './reconnecting-ws.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(opts: { autoPong?: boolean } = {}): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: opts.autoPong ?? true });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

function client(url: string, extra: Partial<ConstructorParameters<typeof ReconnectingWebSocket>[0]> = {}) {
  const ws = new ReconnectingWebSocket({ url, name: 'test', random: () => 0.5, ...extra });
  cleanups.push(() => ws.close());
  return ws;
}

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('SlidingWindowLimiter', () => {
  it('allows `limit` events in any window, then waits for the oldest to leave it', () => {
    const l = new SlidingWindowLimiter(3, 1000);
    expect(l.tryTake(0)).toBe(true);
    expect(l.tryTake(100)).toBe(true);
    expect(l.tryTake(200)).toBe(true);
    expect(l.tryTake(300)).toBe(false);
    expect(l.waitUs(300)).toBe(700);
    expect(l.tryTake(1000)).toBe(true); // the event at 0 left the window
    expect(l.waitUs(1000)).toBe(100);
  });
});

describe('ReconnectingWebSocket', () => {
  it('exchanges text frames and answers a server ping with its payload', async () => {
    const { wss, url } = await server();
    const received: string[] = [];
    const pongs: string[] = [];
    wss.on('connection', (sock) => {
      sock.on('message', (d) => received.push(d.toString()));
      sock.on('pong', (d) => pongs.push(d.toString()));
      sock.send('hello');
      sock.ping('payload-123');
    });
    const ws = client(url);
    const msgs: string[] = [];
    ws.on('message', (t, localTs) => {
      expect(Number.isInteger(localTs)).toBe(true);
      msgs.push(t);
    });
    ws.start();
    await ws.waitOpen();
    expect(ws.send('{"x":1}')).toBe(true);
    await until(() => msgs.length === 1 && received.length === 1 && pongs.length === 1);
    expect(msgs).toEqual(['hello']);
    expect(received).toEqual(['{"x":1}']);
    expect(pongs).toEqual(['payload-123']);
  });

  it('reconnects after a dropped connection with growing jittered backoff', async () => {
    const { wss, url } = await server();
    let connections = 0;
    wss.on('connection', (sock) => {
      connections++;
      if (connections <= 2) setTimeout(() => sock.terminate(), 10);
    });
    const ws = client(url, { backoffBaseUs: 20_000, backoffMaxUs: 1_000_000 });
    const closes: WsCloseEvent[] = [];
    const opens: number[] = [];
    ws.on('close', (e) => closes.push(e));
    ws.on('open', (e) => opens.push(e.connection));
    ws.start();
    await until(() => opens.length === 3);
    // random 0.5: attempt 0 → 0.5 · 20 ms, attempt 1 → 0.5 · 40 ms (the drops came before stableAfter).
    expect(closes.map((c) => [c.willReconnect, c.delayUs])).toEqual([
      [true, 10_000],
      [true, 20_000],
    ]);
    expect(opens).toEqual([0, 1, 2]);
    expect(ws.send('still alive')).toBe(true);
  });

  it('retries with backoff while the server is unreachable', async () => {
    const { wss, url } = await server();
    await new Promise<void>((r) => wss.close(() => r()));
    const ws = client(url, { backoffBaseUs: 10_000, backoffMaxUs: 40_000 });
    const delays: number[] = [];
    ws.on('close', (e) => delays.push(e.delayUs));
    ws.on('error', () => {});
    ws.start();
    await until(() => delays.length >= 4);
    expect(delays.slice(0, 4)).toEqual([5_000, 10_000, 20_000, 20_000]);
  });

  it('drops a connection whose server stops answering pings, then reconnects', async () => {
    const { wss, url } = await server({ autoPong: false });
    let connections = 0;
    wss.on('connection', () => connections++);
    const ws = client(url, { idlePingUs: 40_000, pongTimeoutUs: 40_000, backoffBaseUs: 1_000 });
    const closes: WsCloseEvent[] = [];
    ws.on('close', (e) => closes.push(e));
    ws.start();
    await until(() => connections >= 2, 5000);
    expect(closes[0]!.code).toBe(1006); // terminated, no close handshake
    expect(closes[0]!.willReconnect).toBe(true);
  });

  it('keeps a quiet connection whose server answers pings', async () => {
    const { wss, url } = await server();
    let connections = 0;
    wss.on('connection', () => connections++);
    const ws = client(url, { idlePingUs: 20_000, pongTimeoutUs: 20_000 });
    ws.start();
    await ws.waitOpen();
    await new Promise((r) => setTimeout(r, 300));
    expect(connections).toBe(1);
    expect(ws.isOpen).toBe(true);
  });

  it('leaves before its maximum lifetime and reconnects at once', async () => {
    const { wss, url } = await server();
    let connections = 0;
    wss.on('connection', () => connections++);
    const ws = client(url, { maxLifetimeUs: 80_000, backoffBaseUs: 5_000_000 });
    const closes: WsCloseEvent[] = [];
    ws.on('close', (e) => closes.push(e));
    ws.start();
    await until(() => connections >= 2);
    expect(closes[0]!.delayUs).toBe(0);
  });

  it("with atMaxLifetime 'expire' announces its lifetime and stays open (its owner replaces it)", async () => {
    const { wss, url } = await server();
    let connections = 0;
    wss.on('connection', () => connections++);
    const ws = client(url, { maxLifetimeUs: 80_000, atMaxLifetime: 'expire' });
    const expiring: { connection: number; ageUs: number }[] = [];
    ws.on('expiring', (e) => expiring.push(e));
    ws.start();
    await until(() => expiring.length === 1);
    expect(expiring[0]!.connection).toBe(0);
    expect(expiring[0]!.ageUs).toBeGreaterThan(70_000); // timers may fire a hair early
    await new Promise((r) => setTimeout(r, 150));
    expect(expiring).toHaveLength(1);
    expect(connections).toBe(1);
    expect(ws.isOpen).toBe(true);
  });

  it('paces outbound frames under the per-second limit', async () => {
    const { wss, url } = await server();
    const arrivals: number[] = [];
    wss.on('connection', (sock) => sock.on('message', () => arrivals.push(Date.now())));
    const ws = client(url, { maxMessagesPerSecond: 5 });
    ws.start();
    await ws.waitOpen();
    for (let i = 0; i < 7; i++) ws.send(`m${i}`);
    expect(ws.queued).toBe(2);
    await until(() => arrivals.length === 7);
    expect(arrivals[5]! - arrivals[0]!).toBeGreaterThanOrEqual(950);
  });

  it('send() refuses while disconnected; close() stops reconnecting', async () => {
    const { wss, url } = await server();
    let connections = 0;
    wss.on('connection', () => connections++);
    const ws = client(url);
    expect(ws.send('x')).toBe(false);
    ws.start();
    await ws.waitOpen();
    const closes: WsCloseEvent[] = [];
    ws.on('close', (e) => closes.push(e));
    await ws.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(closes).toEqual([{ code: 1000, reason: 'client closing', willReconnect: false, delayUs: 0 }]);
    expect(connections).toBe(1);
    expect(ws.isOpen).toBe(false);
    expect(ws.send('x')).toBe(false);
    expect(WebSocket.CLOSED).toBe(3);
  });
});
