import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { ReconnectingWebSocket } from './reconnecting-ws.js';
import { SocketRotation } from './rotation.js';
import { systemScheduler } from './scheduler.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A server that numbers its connections and records which are still open. */
async function server() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const socks: WebSocket[] = [];
  wss.on('connection', (s: WebSocket) => socks.push(s));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  const open = () => socks.map((s, i) => (s.readyState === s.OPEN ? i : -1)).filter((i) => i >= 0);
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, socks, open };
}

async function pair(url: string, timeoutUs = 5_000_000) {
  const mk = () => {
    const ws = new ReconnectingWebSocket({ url, random: () => 0.5, backoffBaseUs: 2_000 });
    cleanups.push(() => ws.close());
    return ws;
  };
  const current = mk();
  current.start();
  await current.waitOpen();
  const next = mk();
  const ends: string[] = [];
  const rotation = new SocketRotation(current, next, {
    scheduler: systemScheduler,
    timeoutUs,
    onEnd: (reason) => ends.push(reason),
  });
  return { current, next, rotation, ends };
}

describe('SocketRotation', () => {
  it('opens the replacement while the current socket stays up; handOver closes the current one for good', async () => {
    const srv = await server();
    const { current, next, rotation, ends } = await pair(srv.url);
    expect(rotation.active).toBe(false);
    rotation.start();
    await next.waitOpen();
    expect(rotation.active).toBe(true);
    expect(srv.open()).toEqual([0, 1]);
    await rotation.handOver();
    await until(() => srv.open().length === 1);
    expect(srv.open()).toEqual([1]);
    expect(current.isOpen).toBe(false);
    expect(next.isOpen).toBe(true);
    expect(rotation.active).toBe(false);
    expect(ends).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.socks).toHaveLength(2); // the old one does not come back
  });

  it('falls back when the replacement proves nothing in time: it closes, the current one reconnects at once', async () => {
    const srv = await server();
    const { current, next, rotation, ends } = await pair(srv.url, 100_000);
    rotation.start();
    await until(() => ends.length === 1);
    expect(ends[0]).toBe('the new connection did not prove continuity within 0.1 s');
    await until(() => srv.socks.length === 3 && srv.open().length === 1);
    expect(srv.open()).toEqual([2]); // the reconnected current one
    expect(next.isOpen).toBe(false);
    await current.waitOpen();
  });

  it('falls back when the replacement drops before the handover', async () => {
    const srv = await server();
    const { rotation, ends } = await pair(srv.url);
    rotation.start();
    await until(() => srv.socks.length === 2);
    srv.socks[1]!.terminate();
    await until(() => ends.length === 1);
    expect(ends[0]).toContain('new connection dropped');
    await until(() => srv.socks.length === 3 && srv.open().length === 1);
    expect(srv.open()).toEqual([2]);
  });

  it('a drop of the current socket abandons the rotation; the current one reconnects as after any drop', async () => {
    const srv = await server();
    const { current, next, rotation, ends } = await pair(srv.url);
    rotation.start();
    await next.waitOpen();
    srv.socks[0]!.terminate();
    await until(() => ends.length === 1);
    expect(ends[0]).toContain('old connection dropped');
    await current.waitOpen();
    await until(() => srv.open().length === 1);
    expect(next.isOpen).toBe(false);
    // Once ended, nothing more happens (no second end, no handover).
    await rotation.handOver();
    expect(current.isOpen).toBe(true);
    expect(ends).toHaveLength(1);
  });
});
