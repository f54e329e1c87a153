import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Instrument, MarketEvent } from '@botplatform/sdk';
import type { FillMode, QueueModel } from '@botplatform/sim';
import { type WebSocket, WebSocketServer } from 'ws';
import { LoopbackClock } from './loopback-clock.js';
import { LoopbackCore } from './loopback-core.js';
import type { BinanceLoopbackFaults } from './loopback-faults.js';
import {
  type GeneratedMarketOptions,
  generatedInstrument,
  generateMarket,
} from './market/generated-market.js';
import { playMarket } from './market/market-player.js';
import { StreamHub } from './market/stream-hub.js';
import { BINANCE_RATE_LIMITS, type RateLimitOptions } from './rest/rate-limiter.js';
import { restHandler } from './rest/rest-handler.js';
import { restRoutes } from './rest/rest-routes.js';
import { LISTEN_KEY_VALIDITY_MS } from './user/listen-keys.js';
import { UserStreamHub } from './user/user-stream-hub.js';
import { WsApiServer } from './ws-api/ws-api-server.js';
import { Heartbeat } from './ws-heartbeat.js';

export interface BinanceLoopbackOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /**
   * The market to play, as normalized SDK events in exchange-time order (a tick-store replay,
   * recorded lines…); `instruments` must list its symbols. Default: a generated market.
   */
  readonly market?: AsyncIterable<MarketEvent> | Iterable<MarketEvent>;
  readonly instruments?: readonly Instrument[];
  /** Options of the built-in generated market (when `market` is not given). */
  readonly generated?: GeneratedMarketOptions;
  /** Replay speed: 1 = real time, 10 = ten times faster, Infinity = as fast as possible. Default 1. */
  readonly speed?: number;
  /** The one account's credentials; defaults are fixed test values. */
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Binance USD-M's by default: 2400 weight / min, 300 orders / 10 s, 1200 / min. */
  readonly limits?: Partial<RateLimitOptions>;
  /** Server ping period (Binance: 3 min) and the pong deadline (10 min). */
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly listenKeyValidityMs?: number;
  /** Matching: the backtester's queue model and fill mode (default risk-averse, partial). */
  readonly queue?: QueueModel;
  readonly fills?: FillMode;
  /** Initial USDT wallet. */
  readonly balance?: number;
  readonly seed?: number;
}

export interface BinanceLoopback {
  readonly port: number;
  /** `http://127.0.0.1:<port>`: the REST base (`/fapi/v1/...`). */
  readonly restUrl: string;
  /** `ws://127.0.0.1:<port>`: the stream base (`/public/...`, `/market/...`, `/private/...`, legacy `/ws`, `/stream`). */
  readonly wsUrl: string;
  /** `ws://127.0.0.1:<port>/ws-fapi/v1`: the WebSocket API. */
  readonly wsApiUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly instruments: readonly Instrument[];
  readonly faults: BinanceLoopbackFaults;
  /** The loopback's exchange time, ms (what `/fapi/v1/time` answers). */
  nowMs(): number;
  /**
   * Plays one extra market event now, stamped with the loopback's clock, through the matching
   * engine and the streams like any other: a trade through a resting order, a sudden quote…
   */
  inject(ev: MarketEvent): void;
  /** Settles when the market source is exhausted (rejects if it failed). */
  readonly marketDone: Promise<void>;
  close(): Promise<void>;
}

export const LOOPBACK_API_KEY = 'loopbackApiKey0000000000000000000000000000000000000000000000000';
export const LOOPBACK_API_SECRET = 'loopbackApiSecret000000000000000000000000000000000000000000000';

/** Wall-clock period of the diff-depth window flush. */
const TICK_MS = 20;

/**
 * Starts a Binance USD-M futures look-alike on 127.0.0.1: REST (`/fapi/...`), market streams,
 * the user data stream and the WebSocket API, on one port, in Binance's wire formats, with
 * orders matched by the SimulatedExchange the backtester uses against the market it plays.
 * For testing clients and strategies offline; see BinanceLoopbackFaults for fault injection.
 */
export async function startBinanceLoopback(opts: BinanceLoopbackOptions = {}): Promise<BinanceLoopback> {
  if (opts.market !== undefined && (opts.instruments === undefined || opts.instruments.length === 0))
    throw new Error('startBinanceLoopback: a custom market needs `instruments` listing its symbols');
  const instruments = opts.instruments ?? [generatedInstrument(opts.generated)];
  const market = opts.market ?? generateMarket(opts.generated);
  const limits: RateLimitOptions = { ...BINANCE_RATE_LIMITS, ...opts.limits };
  const credentials = {
    apiKey: opts.apiKey ?? LOOPBACK_API_KEY,
    apiSecret: opts.apiSecret ?? LOOPBACK_API_SECRET,
  };
  const clock = new LoopbackClock(opts.speed ?? 1);
  const heartbeat = new Heartbeat({
    pingIntervalMs: opts.pingIntervalMs ?? 180_000,
    pongTimeoutMs: opts.pongTimeoutMs ?? 600_000,
  });
  const streams = new StreamHub(heartbeat);
  let core: LoopbackCore | undefined;
  const users = new UserStreamHub(
    heartbeat,
    (k) => core?.listenKeys.isValid(k) ?? false,
    () => clock.nowMs(),
  );
  core = new LoopbackCore(clock, streams, users, {
    instruments,
    credentials,
    limits,
    listenKeyValidityMs: opts.listenKeyValidityMs ?? LISTEN_KEY_VALIDITY_MS,
    ...(opts.queue ? { queue: opts.queue } : {}),
    ...(opts.fills ? { fills: opts.fills } : {}),
    ...(opts.balance !== undefined ? { balance: opts.balance } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  const c = core;
  const wsApi = new WsApiServer(c, heartbeat);
  const held = new Set<ServerResponse>();
  const server = createServer(restHandler(c, restRoutes(c, limits), held));
  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'ws://loopback');
    const route = wsRoute(url, (k) => c.listenKeys.isValid(k));
    if (route === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (route.kind === 'api') wsApi.accept(ws);
      else if (route.kind === 'user') users.accept(ws, route.listenKey, route.events);
      else streams.accept(ws, route);
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const abort = new AbortController();
  const ticker = setInterval(() => c.feed.tick(clock.nowUs()), TICK_MS);
  ticker.unref();
  const marketDone = playMarket(
    market,
    clock,
    (ev) => {
      c.feed.tick(ev.exchTs);
      c.onMarket(ev);
    },
    abort.signal,
  );
  // A failed source surfaces through marketDone; it must not crash the process meanwhile.
  marketDone.catch(() => {});

  const faults: BinanceLoopbackFaults = {
    dropConnections: () => {
      for (const ws of heartbeat.all()) ws.terminate();
    },
    depthGap: (symbol) => c.feed.depthGap(symbol),
    staleSnapshot: (symbol) => c.feed.staleSnapshot(symbol),
    rateLimit: (status, retryAfterS) => {
      c.restLimiter.force(status, retryAfterS);
      c.wsApiLimiter.force(status, retryAfterS);
    },
    slowAck: (ms) => c.ackFaults.slow(ms),
    loseAck: () => c.ackFaults.lose(),
    expireListenKey: () => c.listenKeys.expire(),
  };

  let closing: Promise<void> | undefined;
  return {
    port,
    restUrl: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    wsApiUrl: `ws://${host}:${port}/ws-fapi/v1`,
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    instruments,
    faults,
    nowMs: () => clock.nowMs(),
    inject: (ev) => {
      const t = clock.nowUs();
      c.feed.tick(t);
      c.onMarket({ ...ev, exchTs: t, localTs: t });
    },
    marketDone,
    close: () => {
      closing ??= (async () => {
        abort.abort();
        clearInterval(ticker);
        heartbeat.stop();
        c.stop();
        for (const ws of heartbeat.all()) ws.terminate();
        for (const res of held) res.destroy();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await marketDone.catch(() => {});
      })();
      return closing;
    },
  };
}

type WsRoute =
  | { readonly kind: 'api' }
  | { readonly kind: 'user'; readonly listenKey: string; readonly events: readonly string[] | undefined }
  | {
      readonly kind: 'stream';
      readonly category: 'public' | 'market';
      readonly combined: boolean;
      readonly streams: readonly string[];
    };

/**
 * Which socket a path opens: `/ws-fapi/v1`; `/private/ws?listenKey=&events=` or
 * `/private/ws/<key>`; `/public|/market` + `/ws/<a>/<b>` (raw) or `/stream?streams=a/b`
 * (combined); the legacy unrouted `/ws/...` and `/stream?...` (public data only, as on
 * Binance since the split), where `/ws/<listenKey>` is the old user-stream form.
 */
function wsRoute(url: URL, isListenKey: (k: string) => boolean): WsRoute | undefined {
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (parts[0] === 'ws-fapi' && parts[1] === 'v1' && parts.length === 2) return { kind: 'api' };
  const split = (s: string | null) => (s === null || s === '' ? [] : s.split('/').filter((x) => x !== ''));
  if (parts[0] === 'private') {
    if (parts[1] !== 'ws') return undefined;
    const key = parts[2] ?? url.searchParams.get('listenKey');
    if (key === undefined || key === null || key === '') return undefined;
    const events = url.searchParams.get('events');
    return { kind: 'user', listenKey: key, events: events === null ? undefined : split(events) };
  }
  let category: 'public' | 'market' = 'public';
  let rest = parts;
  if (parts[0] === 'public' || parts[0] === 'market') {
    category = parts[0];
    rest = parts.slice(1);
  }
  if (rest[0] === 'ws') {
    const names = rest.slice(1);
    if (rest === parts && names.length === 1 && isListenKey(names[0]!))
      return { kind: 'user', listenKey: names[0]!, events: undefined };
    return { kind: 'stream', category, combined: false, streams: names };
  }
  if (rest[0] === 'stream' && rest.length === 1)
    return { kind: 'stream', category, combined: true, streams: split(url.searchParams.get('streams')) };
  return undefined;
}
