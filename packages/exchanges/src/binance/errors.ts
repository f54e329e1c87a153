import { type RejectCode, type RejectReason, rejectReason } from '@botplatform/sdk';
import { z } from 'zod';

/**
 * What to do after a Binance error:
 * - `fail`: the request is wrong as sent; resending it gets the same answer;
 * - `retry-backoff`: it failed on Binance's side or was throttled; resend later, with backoff;
 * - `resync-clock`: the timestamp was outside recvWindow; re-measure the clock offset, then resend;
 * - `verify`: the execution status is unknown (it may have succeeded); query the order
 *   before anything is resent, so an order is never placed twice;
 * - `halt`: stop sending: the IP is banned (until `bannedUntilMs` when Binance says) or the
 *   API key / signature is refused, which only a config change fixes.
 */
export type BinanceErrorAction = 'fail' | 'retry-backoff' | 'resync-clock' | 'verify' | 'halt';

export interface BinanceErrorInfo {
  readonly httpStatus: number | undefined;
  /** Binance's error code (e.g. -2019), when the body had one. */
  readonly code: number | undefined;
  /** Binance's name for it (MARGIN_NOT_SUFFICIEN, as Binance spells it), or HTTP_<status>. */
  readonly name: string;
  readonly action: BinanceErrorAction;
  /** Every request should slow down (a rate limit or overload protection tripped). */
  readonly slowDown: boolean;
  /** Epoch ms when an IP ban lifts, parsed from Binance's "IP banned until …" message. */
  readonly bannedUntilMs: number | undefined;
  /** The same as the SDK's order rejection (`exchangeCode` = Binance's code). */
  readonly reject: RejectReason;
}

interface CodeEntry {
  readonly name: string;
  readonly reject: RejectCode;
  readonly action: BinanceErrorAction;
  readonly slowDown?: boolean;
}

/**
 * USD-M error codes (developers.binance.com …/usds-margined-futures/error-code; -1008 from
 * General Info "HTTP 503"). Messages vary, codes do not: mapping is by code, refined by the
 * message only where one code covers several causes.
 */
const CODES: ReadonlyMap<number, CodeEntry> = new Map<number, CodeEntry>([
  [-1000, { name: 'UNKNOWN', reject: 'VENUE_ERROR', action: 'verify' }],
  [-1001, { name: 'DISCONNECTED', reject: 'VENUE_ERROR', action: 'retry-backoff' }],
  [-1003, { name: 'TOO_MANY_REQUESTS', reject: 'RATE_LIMITED', action: 'retry-backoff', slowDown: true }],
  [-1006, { name: 'UNEXPECTED_RESP', reject: 'VENUE_ERROR', action: 'verify' }],
  [-1007, { name: 'TIMEOUT', reject: 'VENUE_ERROR', action: 'verify' }],
  // "Request throttled by system-level protection": a failure, not counted against limits.
  [-1008, { name: 'REQUEST_THROTTLED', reject: 'RATE_LIMITED', action: 'retry-backoff', slowDown: true }],
  [-1015, { name: 'TOO_MANY_ORDERS', reject: 'RATE_LIMITED', action: 'retry-backoff', slowDown: true }],
  [-1021, { name: 'INVALID_TIMESTAMP', reject: 'VENUE_ERROR', action: 'resync-clock' }],
  [-1022, { name: 'INVALID_SIGNATURE', reject: 'VENUE_ERROR', action: 'halt' }],
  [-1102, { name: 'MANDATORY_PARAM_EMPTY_OR_MALFORMED', reject: 'INVALID_REQUEST', action: 'fail' }],
  // Binance does not say which field: the adapter writes prices on the tick grid, so a
  // precision error most likely concerns the quantity (the simulator answers it for qty too).
  [-1111, { name: 'BAD_PRECISION', reject: 'QTY_PRECISION', action: 'fail' }],
  [-1115, { name: 'INVALID_TIF', reject: 'INVALID_REQUEST', action: 'fail' }],
  [-1116, { name: 'INVALID_ORDER_TYPE', reject: 'INVALID_REQUEST', action: 'fail' }],
  [-1117, { name: 'INVALID_SIDE', reject: 'INVALID_REQUEST', action: 'fail' }],
  [-1121, { name: 'BAD_SYMBOL', reject: 'UNKNOWN_SYMBOL', action: 'fail' }],
  [-2010, { name: 'NEW_ORDER_REJECTED', reject: 'VENUE_ERROR', action: 'fail' }],
  [-2011, { name: 'CANCEL_REJECTED', reject: 'UNKNOWN_ORDER', action: 'fail' }],
  [-2013, { name: 'NO_SUCH_ORDER', reject: 'UNKNOWN_ORDER', action: 'fail' }],
  [-2014, { name: 'BAD_API_KEY_FMT', reject: 'VENUE_ERROR', action: 'halt' }],
  [-2015, { name: 'REJECTED_MBX_KEY', reject: 'VENUE_ERROR', action: 'halt' }],
  [-2018, { name: 'BALANCE_NOT_SUFFICIENT', reject: 'INSUFFICIENT_MARGIN', action: 'fail' }],
  [-2019, { name: 'MARGIN_NOT_SUFFICIEN', reject: 'INSUFFICIENT_MARGIN', action: 'fail' }],
  // A stop/take-profit whose trigger is already crossed: the price is the problem.
  [-2021, { name: 'ORDER_WOULD_IMMEDIATELY_TRIGGER', reject: 'INVALID_PRICE', action: 'fail' }],
  [-2022, { name: 'REDUCE_ONLY_REJECT', reject: 'REDUCE_ONLY_REJECTED', action: 'fail' }],
  [-4001, { name: 'PRICE_LESS_THAN_ZERO', reject: 'INVALID_PRICE', action: 'fail' }],
  [-4003, { name: 'QTY_LESS_THAN_ZERO', reject: 'INVALID_QTY', action: 'fail' }],
  [-4004, { name: 'QTY_LESS_THAN_MIN_QTY', reject: 'QTY_TOO_SMALL', action: 'fail' }],
  [-4005, { name: 'QTY_GREATER_THAN_MAX_QTY', reject: 'QTY_TOO_LARGE', action: 'fail' }],
  [-4014, { name: 'PRICE_NOT_INCREASED_BY_TICK_SIZE', reject: 'PRICE_PRECISION', action: 'fail' }],
  // "Client order id is not valid" (longer than 36 chars…); a duplicate id is -4116.
  [-4015, { name: 'INVALID_CL_ORD_ID_LEN', reject: 'INVALID_REQUEST', action: 'fail' }],
  [-4023, { name: 'QTY_NOT_INCREASED_BY_STEP_SIZE', reject: 'QTY_PRECISION', action: 'fail' }],
  [-4116, { name: 'DUPLICATED_CLIENT_ORDER_ID', reject: 'DUPLICATE_CLIENT_ID', action: 'fail' }],
  // The market order's counterparty best price is outside the PERCENT_PRICE band: nothing
  // acceptable to take, as an IOC that found no liquidity.
  [-4131, { name: 'MARKET_ORDER_REJECT', reject: 'IOC_NOT_FILLED', action: 'fail' }],
  [-4164, { name: 'MIN_NOTIONAL', reject: 'NOTIONAL_TOO_SMALL', action: 'fail' }],
  [-5021, { name: 'FOK_ORDER_REJECT', reject: 'FOK_NOT_FILLED', action: 'fail' }],
  [-5022, { name: 'GTX_ORDER_REJECT', reject: 'POST_ONLY_WOULD_CROSS', action: 'fail' }],
  [-5027, { name: 'SAME_ORDER', reject: 'MODIFY_REJECTED', action: 'fail' }],
]);

/** Binance's REST error body, `{"code": -1121, "msg": "Invalid symbol."}`. */
export const binanceErrorBodySchema = z.object({ code: z.number().int(), msg: z.string() });

/** The `{code, msg}` of an error response body, or undefined if it is not one. */
export function parseBinanceErrorBody(body: unknown): { code: number; msg: string } | undefined {
  const r = binanceErrorBodySchema.safeParse(body);
  return r.success ? r.data : undefined;
}

export interface BinanceErrorInput {
  readonly httpStatus?: number;
  readonly code?: number;
  readonly msg?: string;
}

/**
 * Classifies a Binance REST/WebSocket-API error by HTTP status (USD-M General Info "HTTP
 * Return Codes") and error code. 418: the IP is auto-banned for ignoring 429s (2 minutes to
 * 3 days) — halt. 429: a rate limit broke — back off. 5xx other than the documented failures
 * ("Service Unavailable.", "Internal error; …", -1008) leaves the execution status unknown.
 */
export function classifyBinanceError(input: BinanceErrorInput): BinanceErrorInfo {
  const { httpStatus, code } = input;
  const msg = input.msg ?? '';
  const bannedUntilMs = bannedUntil(msg);
  const entry = code === undefined ? undefined : CODES.get(code);

  if (httpStatus === 418 || bannedUntilMs !== undefined) {
    const name = entry?.name ?? `HTTP_${httpStatus ?? 'BAN'}`;
    return info(input, name, 'RATE_LIMITED', 'halt', true, bannedUntilMs);
  }
  if (entry) return info(input, entry.name, refine(entry, msg), entry.action, entry.slowDown ?? false);
  if (httpStatus === 429) return info(input, 'HTTP_429', 'RATE_LIMITED', 'retry-backoff', true);
  // WAF limit violated: a limit like 429's, on request patterns.
  if (httpStatus === 403) return info(input, 'HTTP_403', 'RATE_LIMITED', 'retry-backoff', true);
  // Timeout waiting for the backend: the request may have been executed.
  if (httpStatus === 408) return info(input, 'HTTP_408', 'VENUE_ERROR', 'verify', false);
  if (httpStatus !== undefined && httpStatus >= 500) {
    const failed = /^(Service Unavailable\.|Internal error; unable to process your request)/.test(msg);
    return info(input, `HTTP_${httpStatus}`, 'VENUE_ERROR', failed ? 'retry-backoff' : 'verify', false);
  }
  const name = code !== undefined ? 'UNMAPPED_CODE' : `HTTP_${httpStatus ?? 'UNKNOWN'}`;
  return info(input, name, 'VENUE_ERROR', 'fail', false);
}

/** The RejectReason alone, for an order or cancel refused with `code` / `msg`. */
export function binanceRejectReason(code: number, msg: string): RejectReason {
  return classifyBinanceError({ code, msg }).reject;
}

/** Where one code covers several causes, the message names the field. */
function refine(entry: CodeEntry, msg: string): RejectCode {
  switch (entry.name) {
    case 'MANDATORY_PARAM_EMPTY_OR_MALFORMED':
      if (/'price'/.test(msg)) return 'INVALID_PRICE';
      if (/'quantity'/.test(msg)) return 'INVALID_QTY';
      return entry.reject;
    case 'BAD_PRECISION':
      return /price/i.test(msg) ? 'PRICE_PRECISION' : entry.reject;
    case 'NEW_ORDER_REJECTED':
      return /duplicate/i.test(msg) ? 'DUPLICATE_CLIENT_ID' : entry.reject;
    default:
      return entry.reject;
  }
}

/** -1003 "Way too many requests; IP banned until %s." carries the lift time in epoch ms. */
function bannedUntil(msg: string): number | undefined {
  const m = /banned until (\d{10,})/i.exec(msg);
  return m ? Number(m[1]) : undefined;
}

function info(
  input: BinanceErrorInput,
  name: string,
  reject: RejectCode,
  action: BinanceErrorAction,
  slowDown: boolean,
  bannedUntilMs?: number,
): BinanceErrorInfo {
  const { httpStatus, code } = input;
  const head = code !== undefined ? `Binance ${code} ${name}` : `Binance HTTP ${httpStatus ?? '?'}`;
  const message = input.msg ? `${head}: ${input.msg}` : head;
  return {
    httpStatus,
    code,
    name,
    action,
    slowDown,
    bannedUntilMs,
    reject: rejectReason(reject, message, code),
  };
}
