import { timingSafeEqual } from 'node:crypto';
import { hmacSha256Hex } from '../../binance/sign.js';
import { BinanceError, invalidParam, mandatoryParam } from './binance-error.js';
import type { RawParams } from './venue/order-params.js';

export interface Credentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** Binance's ceiling for `recvWindow`. */
const MAX_RECV_WINDOW_MS = 60_000;
const DEFAULT_RECV_WINDOW_MS = 5000;

/** API key check (X-MBX-APIKEY on REST, `apiKey` on the WebSocket API): -2014 missing / malformed, -2015 unknown. */
export function checkApiKey(key: string | undefined, creds: Credentials): void {
  if (key === undefined || key === '' || !/^[A-Za-z0-9]{1,128}$/.test(key))
    throw new BinanceError(401, -2014, 'API-key format invalid.');
  if (key !== creds.apiKey)
    throw new BinanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
}

/**
 * A SIGNED request's timing and signature (USD-M "SIGNED (TRADE and USER_DATA) Endpoint
 * Security"): accepted when `timestamp < serverTime + 1000` and `serverTime − timestamp ≤
 * recvWindow` (default 5000, at most 60000), else -1021; then the HMAC-SHA256 of `payload`
 * (what the client signed) must equal `signature`, else -1022.
 */
export function checkSigned(params: RawParams, payload: string, creds: Credentials, serverMs: number): void {
  const tsRaw = params.timestamp;
  if (tsRaw === undefined || !/^\d{1,16}$/.test(tsRaw)) throw mandatoryParam('timestamp');
  const sig = params.signature;
  if (sig === undefined || sig === '') throw mandatoryParam('signature');
  const rwRaw = params.recvWindow;
  let recvWindow = DEFAULT_RECV_WINDOW_MS;
  if (rwRaw !== undefined) {
    recvWindow = Number(rwRaw);
    if (!/^\d+(\.\d{1,3})?$/.test(rwRaw) || recvWindow <= 0 || recvWindow > MAX_RECV_WINDOW_MS)
      throw invalidParam('recvWindow');
  }
  const ts = Number(tsRaw);
  if (ts >= serverMs + 1000)
    throw new BinanceError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  if (serverMs - ts > recvWindow)
    throw new BinanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
  const want = Buffer.from(hmacSha256Hex(creds.apiSecret, payload), 'utf8');
  const got = Buffer.from(sig.toLowerCase(), 'utf8');
  if (want.length !== got.length || !timingSafeEqual(want, got))
    throw new BinanceError(400, -1022, 'Signature for this request is not valid.');
}
