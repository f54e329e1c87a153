import { createHmac } from 'node:crypto';

/** Header that carries the API key on Binance REST requests (never the secret, never logged). */
export const BINANCE_API_KEY_HEADER = 'X-MBX-APIKEY';

/** Binance's default when `recvWindow` is not sent; its docs advise 5000 or less. */
export const DEFAULT_RECV_WINDOW_MS = 5000;

export type QueryValue = string | number | boolean;

/** HMAC-SHA256 of `payload` keyed with the API secret, as lowercase hex (Binance signatures). */
export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/** `k=v&k=v` in the given order, each part percent-encoded; undefined values are left out. */
export function encodeQuery(params: Readonly<Record<string, QueryValue | undefined>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.join('&');
}

export interface SignOptions {
  /** Request time in ms on the exchange's clock (local time + the tracked clock offset). */
  readonly timestampMs: number;
  /** Validity after `timestampMs`, ms; sent explicitly so the window is ours, not a default. */
  readonly recvWindowMs?: number;
}

/**
 * A SIGNED endpoint's query string (USD-M "SIGNED (TRADE and USER_DATA) Endpoint Security"):
 * the params in order, then `recvWindow` and `timestamp`, then `signature` — the HMAC-SHA256
 * of everything before it — last, as Binance requires. Send the whole string either as the
 * URL query or as an `application/x-www-form-urlencoded` body, not split between the two:
 * the signature covers the query string concatenated with the body.
 */
export function signedQuery(
  params: Readonly<Record<string, QueryValue | undefined>>,
  secret: string,
  opts: SignOptions,
): string {
  if (!Number.isInteger(opts.timestampMs) || opts.timestampMs <= 0) {
    throw new RangeError(`signedQuery: timestampMs must be a positive integer, got ${opts.timestampMs}`);
  }
  for (const reserved of ['recvWindow', 'timestamp', 'signature']) {
    if (Object.hasOwn(params, reserved))
      throw new RangeError(`signedQuery: ${reserved} is added by signedQuery, not a param`);
  }
  const recvWindow = opts.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
  if (!Number.isInteger(recvWindow) || recvWindow <= 0) {
    throw new RangeError(`signedQuery: recvWindowMs must be a positive integer, got ${recvWindow}`);
  }
  const base = encodeQuery({ ...params, recvWindow, timestamp: opts.timestampMs });
  return `${base}&signature=${hmacSha256Hex(secret, base)}`;
}
