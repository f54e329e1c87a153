import type { IncomingMessage } from 'node:http';
import { BinanceError } from '../binance-error.js';
import type { RawParams } from '../venue/order-params.js';

export interface RestRequest {
  readonly method: string;
  readonly path: string;
  /** Query and form body merged; a parameter in both takes the query's value (General Info). */
  readonly params: RawParams;
  /** What a SIGNED request's signature covers: the query string then the body, `signature` left out. */
  readonly signedPayload: string;
  readonly apiKey: string | undefined;
}

const MAX_BODY = 1 << 20;

/** Reads an HTTP request into Binance's parameter model (query string and/or url-encoded body). */
export async function readRestRequest(req: IncomingMessage): Promise<RestRequest> {
  const url = new URL(req.url ?? '/', 'http://loopback');
  const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new BinanceError(400, -1101, 'Too many parameters sent for this endpoint.');
    chunks.push(b);
  }
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
  for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
  const key = req.headers['x-mbx-apikey'];
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    params,
    signedPayload: withoutSignature(rawQuery) + withoutSignature(rawBody),
    apiKey: Array.isArray(key) ? key[0] : key,
  };
}

function withoutSignature(s: string): string {
  if (s === '') return s;
  return s
    .split('&')
    .filter((part) => !part.startsWith('signature='))
    .join('&');
}
