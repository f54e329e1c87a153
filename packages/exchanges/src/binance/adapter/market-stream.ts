import type { DepthUpdate, FeedGap, Logger, MarketEvent, MarketEventType, Micros } from '@botplatform/sdk';
import {
  ReconnectingWebSocket,
  type ReconnectingWsOptions,
  type WsCloseEvent,
} from '../../connection/reconnecting-ws.js';
import { type Scheduler, systemScheduler } from '../../connection/scheduler.js';
import { BinanceDepthSync } from '../depth-sync.js';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import type { BinanceDepthDiff } from '../messages/depth-update.js';
import { parseBinanceMessage } from '../parse-message.js';
import type { DepthLimit } from './rest-client.js';
import {
  aggTradeStream,
  bookTickerStream,
  combinedStreamUrl,
  type DepthSpeed,
  depthStream,
  MAX_STREAMS_PER_CONNECTION,
  type MarkPriceSpeed,
  markPriceStream,
  type StreamRoute,
} from './stream-names.js';

/** Where normalized market data and gap notices go. */
export interface MarketStreamSink {
  onMarket(event: MarketEvent): void;
  /** Lost data (for the recorder's `gaps` table): depth chain breaks, disconnects. */
  onGap(gap: FeedGap): void;
  /** A frame that could not be parsed, a refused subscription, a failed snapshot: logged, not fatal. */
  onError?(err: Error): void;
}

/** The REST calls the stream needs (BinanceRestClient has them). */
export interface MarketStreamRest {
  depthSnapshot(symbol: string, limit?: DepthLimit): Promise<DepthUpdate>;
  openInterest?(symbol: string): Promise<MarketEvent>;
}

export interface MarketStreamOptions {
  readonly symbols: readonly string[];
  /** Routed bases, e.g. `wss://fstream.binance.com/public` and `…/market`; `/stream` is appended. */
  readonly publicUrl: string;
  readonly marketUrl: string;
  readonly rest: MarketStreamRest;
  /** Which streams to carry. Default: all four. */
  readonly streams?: Partial<Record<'depth' | 'bookTicker' | 'trade' | 'markPrice', boolean>>;
  readonly depthSpeed?: DepthSpeed;
  readonly markPriceSpeed?: MarkPriceSpeed;
  /** Snapshot depth. Default 1000 (the deepest; weight 20). */
  readonly snapshotLimit?: DepthLimit;
  /** Poll GET /fapi/v1/openInterest this often (µs); off when absent. */
  readonly openInterestEveryUs?: number;
  /** A SUBSCRIBE unanswered for this long reconnects the socket. Default 10 s. */
  readonly ackTimeoutUs?: number;
  readonly scheduler?: Scheduler;
  /** Passed to both sockets (backoff, ping, limits; tests shorten them). */
  readonly socket?: Partial<Omit<ReconnectingWsOptions, 'url' | 'name' | 'scheduler'>>;
  readonly logger?: Logger;
}

interface Route {
  readonly name: StreamRoute;
  readonly ws: ReconnectingWebSocket;
  readonly streams: readonly string[];
  /** Event types the route carries, for disconnect gaps. */
  readonly types: readonly MarketEventType[];
  /** Local time the socket last dropped (0 = never or not since the last open). */
  downSince: Micros;
  acked: boolean;
}

const S = 1_000_000;

/**
 * Binance USD-M market data over the routed combined-stream endpoints: one socket on
 * `/public` (diff depth, book ticker) and one on `/market` (aggTrade, mark price), each
 * subscribing with SUBSCRIBE frames whose acks are tracked (an unanswered one reconnects).
 * Frames are parsed by parse-message.ts (unknown fields and event types are ignored); depth
 * goes through BinanceDepthSync with REST snapshots — buffer, snapshot, bridge, `pu` chain;
 * a break emits a gap and resyncs from a new snapshot. A dropped socket emits one gap per
 * symbol and stream it carried, from the last event before the drop to the reconnect.
 */
export class BinanceMarketStream {
  private readonly scheduler: Scheduler;
  private readonly routes: Route[] = [];
  private readonly syncs = new Map<string, BinanceDepthSync>();
  private readonly snapshotInFlight = new Set<string>();
  private readonly snapshotFailures = new Map<string, number>();
  private readonly lastTs = new Map<string, Micros>();
  private readonly pending = new Map<number, { route: Route; cancel: () => void }>();
  private readonly cancelTimers: (() => void)[] = [];
  private nextId = 1;
  private stopped = false;
  private readyResolve: (() => void) | undefined;
  private readonly readyPromise: Promise<void>;

  constructor(
    private readonly options: MarketStreamOptions,
    private readonly sink: MarketStreamSink,
  ) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.readyPromise = new Promise((r) => {
      this.readyResolve = r;
    });
    const want = { depth: true, bookTicker: true, trade: true, markPrice: true, ...options.streams };
    const depthSpeed = options.depthSpeed ?? '100ms';
    const markSpeed = options.markPriceSpeed ?? '1s';
    const pub: string[] = [];
    const mkt: string[] = [];
    for (const s of options.symbols) {
      if (want.depth) {
        pub.push(depthStream(s, depthSpeed));
        this.syncs.set(s, new BinanceDepthSync(BINANCE_FUTURES_ID, s));
      }
      if (want.bookTicker) pub.push(bookTickerStream(s));
      if (want.trade) mkt.push(aggTradeStream(s));
      if (want.markPrice) mkt.push(markPriceStream(s, markSpeed));
    }
    const pubTypes: MarketEventType[] = [];
    if (want.depth) pubTypes.push('depth');
    if (want.bookTicker) pubTypes.push('bookTicker');
    const mktTypes: MarketEventType[] = [];
    if (want.trade) mktTypes.push('trade');
    if (want.markPrice) mktTypes.push('markPrice');
    if (pub.length > 0) this.addRoute('public', options.publicUrl, pub, pubTypes);
    if (mkt.length > 0) this.addRoute('market', options.marketUrl, mkt, mktTypes);
  }

  /** Connects both sockets; resolves once every initial subscription is acknowledged. */
  start(): Promise<void> {
    for (const r of this.routes) r.ws.start();
    if (this.routes.length === 0) this.readyResolve?.();
    const every = this.options.openInterestEveryUs;
    const oi = this.options.rest.openInterest;
    if (every !== undefined && every > 0 && oi) this.pollOpenInterest(every, oi.bind(this.options.rest));
    return this.readyPromise;
  }

  /** The depth sync of a symbol (state, buffered diffs), for monitoring and tests. */
  depthSync(symbol: string): BinanceDepthSync | undefined {
    return this.syncs.get(symbol);
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const c of this.cancelTimers) c();
    for (const p of this.pending.values()) p.cancel();
    this.pending.clear();
    await Promise.all(this.routes.map((r) => r.ws.close()));
  }

  private addRoute(name: StreamRoute, base: string, streams: string[], types: MarketEventType[]): void {
    if (streams.length > MAX_STREAMS_PER_CONNECTION)
      throw new RangeError(
        `Binance ${name} stream: ${streams.length} streams exceed ${MAX_STREAMS_PER_CONNECTION} per connection`,
      );
    const ws = new ReconnectingWebSocket({
      ...this.options.socket,
      url: combinedStreamUrl(base),
      name: `binance-${name}`,
      scheduler: this.scheduler,
    });
    const route: Route = { name, ws, streams, types, downSince: 0, acked: false };
    ws.on('open', () => this.onOpen(route));
    ws.on('message', (text, localTs) => this.onFrame(route, text, localTs));
    ws.on('close', (e) => this.onClose(route, e));
    ws.on('error', (err) => this.options.logger?.debug({ stream: name, error: err.message }, 'socket error'));
    this.routes.push(route);
  }

  private onOpen(route: Route): void {
    const now = this.scheduler.now();
    if (route.downSince > 0) {
      // What the route carried between its last event and now is lost.
      for (const symbol of this.options.symbols)
        for (const type of route.types) {
          const from = this.lastTs.get(`${type}:${symbol}`) ?? route.downSince;
          this.emitGap({
            exchange: BINANCE_FUTURES_ID,
            symbol,
            stream: type,
            fromTs: from,
            toTs: now,
            reason: 'disconnect',
          });
        }
      route.downSince = 0;
    }
    const id = this.nextId++;
    route.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: route.streams, id }));
    const cancel = this.scheduler.after(this.options.ackTimeoutUs ?? 10 * S, () => {
      this.pending.delete(id);
      this.fail(new Error(`Binance ${route.name} stream: SUBSCRIBE ${id} not acknowledged; reconnecting`));
      route.ws.reconnect();
    });
    this.pending.set(id, { route, cancel });
  }

  private onClose(route: Route, e: WsCloseEvent): void {
    for (const [id, p] of this.pending)
      if (p.route === route) {
        p.cancel();
        this.pending.delete(id);
      }
    if (!e.willReconnect) return;
    if (route.downSince === 0) route.downSince = this.scheduler.now();
    if (route.types.includes('depth')) for (const sync of this.syncs.values()) sync.reset();
    this.options.logger?.warn(
      { stream: route.name, code: e.code, reconnectInUs: e.delayUs },
      'Binance market stream disconnected',
    );
  }

  private onFrame(route: Route, text: string, localTs: Micros): void {
    let msg: ReturnType<typeof parseBinanceMessage>;
    try {
      msg = parseBinanceMessage(text, localTs);
    } catch (err) {
      this.fail(err);
      return;
    }
    switch (msg.kind) {
      case 'ack': {
        const id = typeof msg.id === 'number' ? msg.id : Number(msg.id);
        const p = this.pending.get(id);
        if (!p) return;
        p.cancel();
        this.pending.delete(id);
        route.acked = true;
        if (this.routes.every((r) => r.acked)) this.readyResolve?.();
        return;
      }
      case 'error': {
        const id = typeof msg.id === 'number' ? msg.id : Number(msg.id);
        const p = this.pending.get(id);
        if (p) {
          p.cancel();
          this.pending.delete(id);
        }
        this.fail(
          new Error(`Binance ${route.name} stream refused request ${msg.id}: ${msg.code} ${msg.msg}`),
        );
        return;
      }
      case 'unknown':
        return;
      case 'market': {
        const ev = msg.event;
        if (ev.type === 'depth') this.onDepthDiff(ev);
        else this.emit(ev);
      }
    }
  }

  private onDepthDiff(diff: BinanceDepthDiff): void {
    const sync = this.syncs.get(diff.symbol);
    if (!sync) return;
    const step = sync.onDiff(diff);
    this.applyStep(diff.symbol, step);
    if (sync.needsSnapshot) this.fetchSnapshot(diff.symbol, 0);
  }

  private applyStep(symbol: string, step: ReturnType<BinanceDepthSync['onDiff']>): void {
    for (const e of step.events) this.emit(e);
    if (step.gap) this.emitGap(step.gap);
    if (step.requestSnapshot) this.fetchSnapshot(symbol, 0);
  }

  /** One snapshot request per symbol at a time; failures and stale snapshots retry after a pause. */
  private fetchSnapshot(symbol: string, delayUs: number): void {
    if (this.stopped || this.snapshotInFlight.has(symbol)) return;
    this.snapshotInFlight.add(symbol);
    const run = async () => {
      try {
        const snap = await this.options.rest.depthSnapshot(symbol, this.options.snapshotLimit ?? 1000);
        this.snapshotInFlight.delete(symbol);
        if (this.stopped) return;
        const sync = this.syncs.get(symbol)!;
        if (!sync.needsSnapshot) return;
        const step = sync.onSnapshot(snap);
        for (const e of step.events) this.emit(e);
        if (step.gap) this.emitGap(step.gap);
        if (step.requestSnapshot) this.fetchSnapshot(symbol, this.retryDelay(symbol));
        else this.snapshotFailures.delete(symbol);
      } catch (err) {
        this.snapshotInFlight.delete(symbol);
        this.fail(err);
        if (!this.stopped) this.fetchSnapshot(symbol, this.retryDelay(symbol));
      }
    };
    if (delayUs <= 0) void run();
    else {
      const cancel = this.scheduler.after(delayUs, () => void run());
      this.cancelTimers.push(cancel);
    }
  }

  /** 250 ms, 500 ms, 1 s … up to 30 s between snapshot attempts for one symbol. */
  private retryDelay(symbol: string): number {
    const n = this.snapshotFailures.get(symbol) ?? 0;
    this.snapshotFailures.set(symbol, n + 1);
    return Math.min(30 * S, 250_000 * 2 ** n);
  }

  private pollOpenInterest(everyUs: number, fetch: (symbol: string) => Promise<MarketEvent>): void {
    const tick = () => {
      if (this.stopped) return;
      for (const s of this.options.symbols)
        fetch(s).then(
          (e) => {
            if (!this.stopped) this.emit(e);
          },
          (err: unknown) => this.fail(err),
        );
      this.cancelTimers.push(this.scheduler.after(everyUs, tick));
    };
    tick();
  }

  private emit(e: MarketEvent): void {
    this.lastTs.set(`${e.type}:${e.symbol}`, e.localTs);
    this.sink.onMarket(e);
  }

  private emitGap(g: FeedGap): void {
    this.options.logger?.warn(
      { symbol: g.symbol, stream: g.stream, reason: g.reason, fromTs: g.fromTs, toTs: g.toTs },
      'Binance market data gap',
    );
    this.sink.onGap(g);
  }

  private fail(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.options.logger?.warn({ error: e.message }, 'Binance market stream');
    this.sink.onError?.(e);
  }
}
