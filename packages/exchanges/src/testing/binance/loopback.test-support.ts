import { request } from 'undici';
import WebSocket from 'ws';
import { signedQuery } from '../../binance/sign.js';
import type { BinanceLoopback } from './start-binance-loopback.js';

/** Test-only helpers: a raw client (plain undici / ws calls), nothing of the adapter. */

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

export interface CallOptions {
  /** Sign with this timestamp (ms); default the loopback's clock. */
  readonly timestampMs?: number;
  readonly secret?: string;
  readonly apiKey?: string | null;
  readonly recvWindowMs?: number;
  /** Send the params in an x-www-form-urlencoded body instead of the query string. */
  readonly inBody?: boolean;
}

export async function call(
  lb: BinanceLoopback,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  params: Record<string, string | number | boolean> = {},
  signed = false,
  o: CallOptions = {},
): Promise<RawResponse> {
  const qs = signed
    ? signedQuery(params, o.secret ?? lb.apiSecret, {
        timestampMs: o.timestampMs ?? lb.nowMs(),
        ...(o.recvWindowMs ? { recvWindowMs: o.recvWindowMs } : {}),
      })
    : new URLSearchParams(
        Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
  const headers: Record<string, string> = {};
  const key = o.apiKey === undefined ? lb.apiKey : o.apiKey;
  if (key !== null) headers['X-MBX-APIKEY'] = key;
  if (o.inBody) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const url = `${lb.restUrl}${path}${!o.inBody && qs ? `?${qs}` : ''}`;
  const res = await request(url, { method, headers, ...(o.inBody ? { body: qs } : {}) });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (404)
  }
  return { status: res.statusCode, headers: res.headers, body };
}

/** A raw WebSocket client that records every text frame. */
export interface RawSocket {
  readonly ws: WebSocket;
  readonly frames: string[];
  readonly pings: number[];
  send(body: unknown): void;
  /** Resolves with the first frame (from index `from`) matching `pred`. */
  next(
    pred: (json: Record<string, unknown>) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<Record<string, unknown>>;
  close(): void;
}

export async function openSocket(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url);
  const frames: string[] = [];
  const pings: number[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    frames.push(data.toString());
    for (const w of waiters) w();
  });
  ws.on('ping', () => pings.push(Date.now()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    pings,
    send: (body) => ws.send(JSON.stringify(body)),
    next(pred, timeoutMs = 5000, from = 0) {
      return new Promise((resolve, reject) => {
        let i = from;
        const check = (): boolean => {
          for (; i < frames.length; i++) {
            const j = JSON.parse(frames[i]!) as Record<string, unknown>;
            if (pred(j)) {
              waiters.delete(onFrame);
              clearTimeout(timer);
              resolve(j);
              return true;
            }
          }
          return false;
        };
        const onFrame = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(onFrame);
          reject(new Error(`no matching frame within ${timeoutMs} ms (${frames.length} frames seen)`));
        }, timeoutMs);
        if (!check()) waiters.add(onFrame);
      });
    },
    close: () => ws.terminate(),
  };
}

export const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
