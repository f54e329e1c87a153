import type { DepthUpdate, Instrument, Logger, Micros, OpenInterest } from '@botplatform/sdk';
import { Pool } from 'undici';
import { type Scheduler, systemScheduler } from '../../connection/scheduler.js';
import { type BinanceErrorInfo, classifyBinanceError, parseBinanceErrorBody } from '../errors.js';
import { instrumentsFromExchangeInfo } from '../exchange-info.js';
import { BinanceParseError } from '../parse-error.js';
import { parseWith } from '../parse-with.js';
import { parseDepthSnapshot } from '../rest/depth-snapshot.js';
import { parseOpenInterest } from '../rest/open-interest.js';
import {
  BINANCE_API_KEY_HEADER,
  DEFAULT_RECV_WINDOW_MS,
  encodeQuery,
  type QueryValue,
  signedQuery,
} from '../sign.js';
import type { BinanceParams } from './order-params.js';
import {
  BINANCE_USDM_DEFAULT_LIMITS,
  BinanceRateLimiter,
  type BinanceRateLimits,
  limitsFromExchangeInfo,
} from './rate-limiter.js';
import { Redactor } from './redact.js';
import {
  type BinanceOpenOrder,
  type BinanceOrderBody,
  type BinancePosition,
  type BinanceUserTrade,
  listenKeySchema,
  openOrderOf,
  orderBodySchema,
  positionOf,
  positionRiskSchema,
  serverTimeSchema,
  userTradeSchema,
} from './rest-bodies.js';
import { BinanceRequestError, BinanceTransportError } from './rest-error.js';
import { ServerClock } from './server-clock.js';

export interface BinanceRestClientOptions {
  /** `https://fapi.binance.com`, the testnet's, or a loopback server's. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Default 5000 (Binance's default; its docs advise 5000 or less). */
  readonly recvWindowMs?: number;
  readonly scheduler?: Scheduler;
  readonly limits?: BinanceRateLimits;
  /** A request the limiter would hold longer than this fails with RATE_LIMITED. Default 10 s. */
  readonly maxWaitUs?: number;
  /** Per-request timeout for headers and body. Default 10 s (Binance's own backend timeout). */
  readonly timeoutMs?: number;
  /** Keep-alive connections to the host. Default 4. */
  readonly connections?: number;
  readonly logger?: Logger;
  /** Shared with the other adapter parts so every secret they learn is hidden everywhere. */
  readonly redactor?: Redactor;
}

/** A response with the local times its request left and its answer arrived (µs). */
export interface Timed<T> {
  readonly value: T;
  readonly reqTs: Micros;
  readonly respTs: Micros;
}

/** USD-M endpoint security types: NONE, USER_STREAM (API key header), SIGNED (key + signature). */
type Security = 'NONE' | 'USER_STREAM' | 'SIGNED';

interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** REQUEST_WEIGHT cost (USD-M docs, per endpoint). */
  readonly weight: number;
  /** ORDERS cost (1 for a new or modified order). */
  readonly orders: number;
  readonly security: Security;
}

const ep = (method: Endpoint['method'], path: string, weight: number, orders: number, security: Security) =>
  ({ method, path, weight, orders, security }) as const satisfies Endpoint;

// Weights from the USD-M REST docs; order placement and amendment cost 0 IP weight and 1 on
// each ORDERS window ("1 on 10s order rate limit(X-MBX-ORDER-COUNT-10S); 1 on 1min order rate
// limit(X-MBX-ORDER-COUNT-1M); 0 on IP rate limit").
const TIME = ep('GET', '/fapi/v1/time', 1, 0, 'NONE');
const EXCHANGE_INFO = ep('GET', '/fapi/v1/exchangeInfo', 1, 0, 'NONE');
const OPEN_INTEREST = ep('GET', '/fapi/v1/openInterest', 1, 0, 'NONE');
const NEW_ORDER = ep('POST', '/fapi/v1/order', 0, 1, 'SIGNED');
const MODIFY_ORDER = ep('PUT', '/fapi/v1/order', 0, 1, 'SIGNED');
const CANCEL_ORDER = ep('DELETE', '/fapi/v1/order', 1, 0, 'SIGNED');
const POSITION_RISK = ep('GET', '/fapi/v3/positionRisk', 5, 0, 'SIGNED');
const QUERY_ORDER = ep('GET', '/fapi/v1/order', 1, 0, 'SIGNED');
const USER_TRADES = ep('GET', '/fapi/v1/userTrades', 5, 0, 'SIGNED');
const ALL_ORDERS = ep('GET', '/fapi/v1/allOrders', 5, 0, 'SIGNED');
/** All Orders' largest page. */
const ALL_ORDERS_PAGE = 1000;
/** The Account Trade List's largest page. */
const USER_TRADES_PAGE = 1000;
const LISTEN_KEY = '/fapi/v1/listenKey';

/** GET /fapi/v1/depth weight by `limit`: 5–50 → 2, 100 → 5, 500 → 10, 1000 → 20. */
export const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000] as const;
export type DepthLimit = (typeof DEPTH_LIMITS)[number];
const depthWeight = (limit: DepthLimit): number =>
  limit <= 50 ? 2 : limit === 100 ? 5 : limit === 500 ? 10 : 20;

/**
 * Binance USD-M REST over an undici Pool: signing (params, then recvWindow and timestamp,
 * signature last — see sign.ts), the API key in `X-MBX-APIKEY`, server-clock tracking with
 * one resync-and-retry on -1021, and the header-following rate limiter (rate-limiter.ts).
 * Every failure is a typed error: BinanceRequestError (Binance answered; `info` from
 * errors.ts), BinanceTransportError (no answer: the outcome is unknown), BinanceParseError
 * (an answer of the wrong shape). Nothing it throws or logs contains the key, the secret or a
 * signature.
 */
export class BinanceRestClient {
  readonly clock: ServerClock;
  readonly limiter: BinanceRateLimiter;
  readonly redactor: Redactor;
  private readonly scheduler: Scheduler;
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly recvWindowMs: number;
  private readonly timeoutMs: number;
  private syncing: Promise<void> | undefined;

  /** Options, credentials included: an ES private field, so it never shows in JSON or util.inspect. */
  readonly #options: BinanceRestClientOptions;

  constructor(options: BinanceRestClientOptions) {
    this.#options = options;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.add(options.apiKey);
    this.redactor.add(options.apiSecret);
    this.clock = new ServerClock(this.scheduler);
    this.limiter = new BinanceRateLimiter(
      options.limits ?? BINANCE_USDM_DEFAULT_LIMITS,
      this.scheduler,
      options.maxWaitUs,
    );
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections: options.connections ?? 4 });
    this.recvWindowMs = options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Server time (ms), recording the clock offset it implies. */
  async time(): Promise<number> {
    const r = await this.call(TIME, {});
    const { serverTime } = parseWith(serverTimeSchema, r.value, 'GET /fapi/v1/time');
    this.clock.record(r.reqTs, r.respTs, serverTime);
    return serverTime;
  }

  /** Re-measures the clock offset (one call at a time). */
  syncClock(): Promise<void> {
    this.syncing ??= this.time().then(
      () => {
        this.syncing = undefined;
      },
      (err: unknown) => {
        this.syncing = undefined;
        throw err;
      },
    );
    return this.syncing;
  }

  /** Instruments from GET /fapi/v1/exchangeInfo; the response's rateLimits become the limiter's. */
  async exchangeInfo(): Promise<Instrument[]> {
    const r = await this.call(EXCHANGE_INFO, {});
    this.limiter.setLimits(
      limitsFromExchangeInfo(r.value, this.#options.limits ?? BINANCE_USDM_DEFAULT_LIMITS),
    );
    return instrumentsFromExchangeInfo(r.value);
  }

  /** A REST book snapshot (isSnapshot DepthUpdate, seq = lastUpdateId, localTs = arrival). */
  async depthSnapshot(symbol: string, limit: DepthLimit = 1000): Promise<DepthUpdate> {
    const r = await this.call(ep('GET', '/fapi/v1/depth', depthWeight(limit), 0, 'NONE'), { symbol, limit });
    return parseDepthSnapshot(r.value, symbol, r.respTs);
  }

  async openInterest(symbol: string): Promise<OpenInterest> {
    const r = await this.call(OPEN_INTEREST, { symbol });
    return parseOpenInterest(r.value, r.respTs);
  }

  /** POST /fapi/v1/order (params from order-params.ts). */
  async placeOrder(params: BinanceParams): Promise<Timed<BinanceOrderBody>> {
    return this.order(NEW_ORDER, params);
  }

  /** PUT /fapi/v1/order. */
  async modifyOrder(params: BinanceParams): Promise<Timed<BinanceOrderBody>> {
    return this.order(MODIFY_ORDER, params);
  }

  /** DELETE /fapi/v1/order. */
  async cancelOrder(params: BinanceParams): Promise<Timed<BinanceOrderBody>> {
    return this.order(CANCEL_ORDER, params);
  }

  /** GET /fapi/v1/openOrders: weight 1 for one symbol, 40 for all. */
  async openOrders(symbol?: string): Promise<BinanceOpenOrder[]> {
    const endpoint = ep('GET', '/fapi/v1/openOrders', symbol ? 1 : 40, 0, 'SIGNED');
    const r = await this.call(endpoint, symbol ? { symbol } : {});
    const body = parseWith(orderBodySchema.array(), r.value, 'GET /fapi/v1/openOrders');
    return body.map(openOrderOf);
  }

  /**
   * GET /fapi/v1/order by client order id: the order in any state, or undefined when Binance
   * no longer knows it (-2013: never accepted, or canceled/expired unfilled more than 3 days ago).
   */
  async queryOrder(symbol: string, clientOrderId: string): Promise<BinanceOrderBody | undefined> {
    try {
      return (await this.order(QUERY_ORDER, { symbol, origClientOrderId: clientOrderId })).value;
    } catch (err) {
      if (err instanceof BinanceRequestError && err.info.code === -2013) return undefined;
      throw err;
    }
  }

  /**
   * GET /fapi/v1/userTrades for one order (`orderId` needs `symbol`): its executions in trade-id
   * order, paged by `fromId` when an order has more than one page of fills.
   */
  async orderTrades(symbol: string, orderId: string): Promise<BinanceUserTrade[]> {
    const out: BinanceUserTrade[] = [];
    let fromId: number | undefined;
    for (;;) {
      const params = {
        symbol,
        orderId,
        limit: USER_TRADES_PAGE,
        ...(fromId !== undefined ? { fromId } : {}),
      };
      const r = await this.call(USER_TRADES, params);
      const page = parseWith(userTradeSchema.array(), r.value, 'GET /fapi/v1/userTrades');
      for (const t of page)
        if (t.orderId === Number(orderId) && (fromId === undefined || t.id >= fromId)) out.push(t);
      if (page.length < USER_TRADES_PAGE) break;
      fromId = page[page.length - 1]!.id + 1;
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * GET /fapi/v1/allOrders from `startTimeMs` on (any state; Binance keeps canceled or expired
   * orders without fills for 3 days, and a window is at most 7 days), oldest first, paged by
   * `orderId`.
   */
  async ordersSince(symbol: string, startTimeMs: number): Promise<BinanceOpenOrder[]> {
    const out: BinanceOpenOrder[] = [];
    let params: BinanceParams = { symbol, startTime: startTimeMs, limit: ALL_ORDERS_PAGE };
    for (;;) {
      const r = await this.call(ALL_ORDERS, params);
      const page = parseWith(orderBodySchema.array(), r.value, 'GET /fapi/v1/allOrders');
      out.push(...page.map(openOrderOf));
      if (page.length < ALL_ORDERS_PAGE) break;
      params = { symbol, orderId: page[page.length - 1]!.orderId + 1, limit: ALL_ORDERS_PAGE };
    }
    return out;
  }

  /** GET /fapi/v3/positionRisk (only symbols with a position or open orders), flat rows dropped. */
  async positions(symbol?: string): Promise<BinancePosition[]> {
    const r = await this.call(POSITION_RISK, symbol ? { symbol } : {});
    return parseWith(positionRiskSchema, r.value, 'GET /fapi/v3/positionRisk')
      .map(positionOf)
      .filter((p) => p.qty !== 0);
  }

  /** POST /fapi/v1/listenKey: a new key, or the active one with its validity extended to 60 min. */
  async createListenKey(): Promise<string> {
    const r = await this.call(ep('POST', LISTEN_KEY, 1, 0, 'USER_STREAM'), {});
    const { listenKey } = parseWith(listenKeySchema, r.value, `POST ${LISTEN_KEY}`);
    this.redactor.add(listenKey);
    return listenKey;
  }

  /** PUT /fapi/v1/listenKey: extends the key by 60 min; -1125 means it no longer exists. */
  async keepAliveListenKey(): Promise<void> {
    await this.call(ep('PUT', LISTEN_KEY, 1, 0, 'USER_STREAM'), {});
  }

  /** DELETE /fapi/v1/listenKey: closes the user data stream. */
  async closeListenKey(): Promise<void> {
    await this.call(ep('DELETE', LISTEN_KEY, 1, 0, 'USER_STREAM'), {});
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async order(endpoint: Endpoint, params: BinanceParams): Promise<Timed<BinanceOrderBody>> {
    const r = await this.call(endpoint, params);
    return { ...r, value: parseWith(orderBodySchema, r.value, `${endpoint.method} ${endpoint.path}`) };
  }

  /** Sends one request (re-signed and resent once after a -1021 clock resync). */
  private async call(
    endpoint: Endpoint,
    params: Readonly<Record<string, QueryValue>>,
  ): Promise<Timed<unknown>> {
    const label = `${endpoint.method} ${endpoint.path}`;
    const { apiKey, apiSecret } = this.#options;
    if (endpoint.security !== 'NONE' && !apiKey)
      throw new Error(`Binance ${label} needs an API key: set BINANCE_API_KEY`);
    if (endpoint.security === 'SIGNED' && !apiSecret)
      throw new Error(`Binance ${label} needs an API secret: set BINANCE_API_SECRET`);
    if (endpoint.security === 'SIGNED' && !this.clock.isMeasured) await this.syncClock();

    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire(endpoint.weight, endpoint.orders, label);
      const query =
        endpoint.security === 'SIGNED'
          ? signedQuery(params, apiSecret!, {
              timestampMs: this.clock.timestampMs(),
              recvWindowMs: this.recvWindowMs,
            })
          : encodeQuery(params);
      const headers: Record<string, string> = {};
      if (endpoint.security !== 'NONE') headers[BINANCE_API_KEY_HEADER] = apiKey!;

      const reqTs = this.scheduler.now();
      let status: number;
      let text: string;
      let resHeaders: Record<string, string | string[] | undefined>;
      try {
        const res = await this.pool.request({
          path: `${this.prefix}${endpoint.path}${query ? `?${query}` : ''}`,
          method: endpoint.method,
          headers,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        status = res.statusCode;
        resHeaders = res.headers;
        text = await res.body.text();
      } catch (err) {
        throw new BinanceTransportError(label, this.redactor.redactError(err), !neverSent(err));
      }
      const respTs = this.scheduler.now();
      this.limiter.observe(resHeaders, status);

      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (status >= 400) {
        const body = parseBinanceErrorBody(json);
        const info = this.redactInfo(
          classifyBinanceError({
            httpStatus: status,
            ...(body ? { code: body.code, msg: body.msg } : { msg: text.slice(0, 200) }),
          }),
        );
        if (info.bannedUntilMs !== undefined) this.limiter.banUntilMs(info.bannedUntilMs);
        if (info.action === 'resync-clock' && endpoint.security === 'SIGNED' && attempt === 0) {
          this.#options.logger?.warn(
            { endpoint: label, offsetMs: this.clock.offsetMs },
            'Binance -1021: timestamp outside recvWindow; resyncing the clock and retrying once',
          );
          await this.syncClock();
          continue;
        }
        if (status === 429 || status === 418)
          this.#options.logger?.warn(
            { endpoint: label, status, error: info.reject.message },
            'Binance rate limit',
          );
        throw new BinanceRequestError(info, label);
      }
      if (json === undefined) throw new BinanceParseError(label, `not JSON (HTTP ${status})`);
      return { value: json, reqTs, respTs };
    }
  }

  private redactInfo(info: BinanceErrorInfo): BinanceErrorInfo {
    const message = this.redactor.redact(info.reject.message);
    return message === info.reject.message ? info : { ...info, reject: { ...info.reject, message } };
  }
}

/** Connection-setup failures: the request never left, so nothing can have happened at Binance. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function neverSent(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    if (e instanceof AggregateError && e.errors.some(neverSent)) return true;
  }
  return false;
}
