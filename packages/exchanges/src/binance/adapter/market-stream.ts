import type { DepthUpdate, FeedGap, Logger, MarketEvent, MarketEventType, Micros } from '@botplatform/sdk';
import {
  ReconnectingWebSocket,
  type ReconnectingWsOptions,
  type WsCloseEvent,
} from '../../connection/reconnecting-ws.js';
import { SocketRotation } from '../../connection/rotation.js';
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
import { StreamHandover } from './stream-rotation.js';

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
  /**
   * A socket at its planned lifetime (`socket.maxLifetimeUs`) is replaced make-before-break:
   * the replacement must prove it continues every stream within this long, or the old one
   * reconnects the plain way (a gap and a depth resync). Default 10 s.
   */
  readonly rotationTimeoutUs?: number;
  readonly scheduler?: Scheduler;
  /**
   * Passed to every socket (backoff, ping, limits, lifetime; tests shorten them).
   * `atMaxLifetime` is always 'expire' here: the stream rotates its sockets itself.
   */
  readonly socket?: Partial<Omit<ReconnectingWsOptions, 'url' | 'name' | 'scheduler' | 'atMaxLifetime'>>;
  readonly logger?: Logger;
}

/** One connection of a route: the one in use, or its replacement during a rotation. */
interface Lane {
  readonly ws: ReconnectingWebSocket;
  role: 'current' | 'next' | 'retired';
  /** Its SUBSCRIBE is acknowledged (on this connection; reset when it drops). */
  acked: boolean;
  /** Set on a fallback: what it still sends before its reconnect is covered by the gap. */
  muted: boolean;
  /** Its lifetime ran out while it was still the replacement: rotate again once it is in use. */
  expired: boolean;
}

interface Route {
  readonly name: StreamRoute;
  readonly url: string;
  readonly streams: readonly string[];
  /** Event types the route carries, for disconnect gaps. */
  readonly types: readonly MarketEventType[];
  /**
   * Merges the two connections of a rotation into one stream; otherwise it only drops
   * repeats, which one connection never sends.
   */
  readonly handover: StreamHandover;
  current: Lane;
  next: Lane | undefined;
  rotation: SocketRotation | undefined;
  /** Local time the socket last dropped (0 = never or not since the last open). */
  downSince: Micros;
}

/** Local time of the last event of each type of one symbol (0 = none), for disconnect gaps. */
type LastTimes = Record<MarketEventType, Micros>;

const S = 1_000_000;

/**
 * Binance USD-M market data over the routed combined-stream endpoints: one socket on
 * `/public` (diff depth, book ticker) and one on `/market` (aggTrade, mark price), each
 * subscribing with SUBSCRIBE frames whose acks are tracked (an unanswered one reconnects).
 * Frames are parsed by parse-message.ts (unknown fields and event types are ignored); depth
 * goes through BinanceDepthSync with REST snapshots — buffer, snapshot, bridge, `pu` chain;
 * a break emits a gap and resyncs from a new snapshot. A dropped socket emits one gap per
 * symbol and stream it carried, from the last event before the drop to the reconnect.
 *
 * Before Binance's 24 h cut (`socket.maxLifetimeUs`) a socket is rotated without loss: a
 * second connection subscribes to the same streams while the first keeps delivering, and the
 * first closes once StreamHandover has seen the second continue every stream (stream-rotation.ts);
 * the book stays synced and no gap is written. A replacement that cannot prove that within
 * `rotationTimeoutUs` falls back to a plain reconnect, with its gap and resync.
 */
export class BinanceMarketStream {
  private readonly scheduler: Scheduler;
  private readonly routes: Route[] = [];
  private readonly syncs = new Map<string, BinanceDepthSync>();
  private readonly snapshotInFlight = new Set<string>();
  private readonly snapshotFailures = new Map<string, number>();
  private readonly lastTs = new Map<string, LastTimes>();
  private readonly pending = new Map<number, { route: Route; lane: Lane; cancel: () => void }>();
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
      this.lastTs.set(s, { depth: 0, bookTicker: 0, trade: 0, markPrice: 0, openInterest: 0 });
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
    for (const r of this.routes) r.current.ws.start();
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
    await Promise.all(this.routes.map((r) => (r.rotation ? r.rotation.stop() : r.current.ws.close())));
  }

  private addRoute(name: StreamRoute, base: string, streams: string[], types: MarketEventType[]): void {
    if (streams.length > MAX_STREAMS_PER_CONNECTION)
      throw new RangeError(
        `Binance ${name} stream: ${streams.length} streams exceed ${MAX_STREAMS_PER_CONNECTION} per connection`,
      );
    const url = combinedStreamUrl(base);
    const handover = new StreamHandover(this.options.symbols, types.includes('depth'), {
      depth: (diff) => this.onDepthDiff(diff),
      event: (e) => this.emit(e),
    });
    const route: Route = {
      name,
      url,
      streams,
      types,
      handover,
      current: this.lane(name, url, 'current'),
      next: undefined,
      rotation: undefined,
      downSince: 0,
    };
    this.listen(route, route.current);
    this.routes.push(route);
  }

  private lane(name: StreamRoute, url: string, role: Lane['role']): Lane {
    const ws = new ReconnectingWebSocket({
      ...this.options.socket,
      atMaxLifetime: 'expire',
      url,
      name: `binance-${name}`,
      scheduler: this.scheduler,
    });
    return { ws, role, acked: false, muted: false, expired: false };
  }

  private listen(route: Route, lane: Lane): void {
    const ws = lane.ws;
    ws.on('open', () => this.onOpen(route, lane));
    ws.on('message', (text, localTs) => this.onFrame(route, lane, text, localTs));
    ws.on('close', (e) => this.onClose(route, lane, e));
    ws.on('expiring', () => this.onExpiring(route, lane));
    ws.on('error', (err) =>
      this.options.logger?.debug({ stream: route.name, error: err.message }, 'socket error'),
    );
  }

  private onOpen(route: Route, lane: Lane): void {
    if (lane.role === 'retired') return;
    lane.muted = false;
    if (lane.role === 'current' && route.downSince > 0) {
      const now = this.scheduler.now();
      // What the route carried between its last event and now is lost.
      for (const symbol of this.options.symbols) {
        const last = this.lastTs.get(symbol)!;
        for (const type of route.types) {
          const from = last[type] > 0 ? last[type] : route.downSince;
          this.emitGap({
            exchange: BINANCE_FUTURES_ID,
            symbol,
            stream: type,
            fromTs: from,
            toTs: now,
            reason: 'disconnect',
          });
        }
      }
      route.downSince = 0;
    }
    this.subscribe(route, lane);
  }

  private subscribe(route: Route, lane: Lane): void {
    const id = this.nextId++;
    // Each connection paces its own frames: the 10 messages/s limit is per connection.
    lane.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: route.streams, id }));
    const cancel = this.scheduler.after(this.options.ackTimeoutUs ?? 10 * S, () => {
      this.pending.delete(id);
      if (lane.role === 'next') {
        route.rotation?.fallBack(`SUBSCRIBE ${id} not acknowledged on the new connection`);
        return;
      }
      if (lane.role !== 'current') return;
      this.fail(new Error(`Binance ${route.name} stream: SUBSCRIBE ${id} not acknowledged; reconnecting`));
      lane.ws.reconnect();
    });
    this.pending.set(id, { route, lane, cancel });
  }

  private onClose(route: Route, lane: Lane, e: WsCloseEvent): void {
    this.cancelPending(lane);
    lane.acked = false;
    // A replacement's drop is its rotation's business (rotation.ts falls back).
    if (!e.willReconnect || lane.role !== 'current') return;
    if (route.downSince === 0) route.downSince = this.scheduler.now();
    if (route.types.includes('depth')) for (const sync of this.syncs.values()) sync.reset();
    route.handover.reset();
    this.options.logger?.warn(
      { stream: route.name, code: e.code, reconnectInUs: e.delayUs },
      'Binance market stream disconnected',
    );
  }

  private cancelPending(lane: Lane): void {
    for (const [id, p] of this.pending)
      if (p.lane === lane) {
        p.cancel();
        this.pending.delete(id);
      }
  }

  private onExpiring(route: Route, lane: Lane): void {
    if (this.stopped) return;
    if (lane.role === 'next') lane.expired = true;
    else if (lane.role === 'current' && route.rotation === undefined) this.rotate(route);
  }

  /** Opens the current socket's replacement; StreamHandover decides when it takes over. */
  private rotate(route: Route): void {
    const current = route.current;
    if (!current.acked) {
      // Not subscribed yet: there is no stream to continue, so nothing to lose by reconnecting.
      current.ws.reconnect();
      return;
    }
    const next = this.lane(route.name, route.url, 'next');
    this.listen(route, next);
    route.next = next;
    route.handover.begin();
    const rotation = new SocketRotation(current.ws, next.ws, {
      scheduler: this.scheduler,
      timeoutUs: this.options.rotationTimeoutUs ?? 10 * S,
      onEnd: (reason) => this.onRotationFailed(route, next, reason),
    });
    route.rotation = rotation;
    this.options.logger?.info({ stream: route.name }, 'Binance market stream: rotating the connection');
    rotation.start();
  }

  /** The replacement has continued every stream: it becomes the route's socket, the old one closes. */
  private handOver(route: Route): void {
    const rotation = route.rotation!;
    const old = route.current;
    const next = route.next!;
    route.handover.finish();
    old.role = 'retired';
    this.cancelPending(old);
    next.role = 'current';
    route.current = next;
    route.next = undefined;
    route.rotation = undefined;
    this.options.logger?.info(
      { stream: route.name, overlapUs: rotation.ageUs },
      'Binance market stream rotated without a gap',
    );
    void rotation.handOver();
    if (next.expired && next.acked) {
      next.expired = false;
      this.rotate(route);
    }
  }

  /** The rotation ended without a handover: the old socket stays (reconnecting, with its gap). */
  private onRotationFailed(route: Route, next: Lane, reason: string): void {
    next.role = 'retired';
    this.cancelPending(next);
    route.next = undefined;
    route.rotation = undefined;
    route.handover.finish();
    // On a fallback the old socket reconnects now; what it still sends before that is in the gap.
    route.current.muted = true;
    if (this.stopped) return;
    this.options.logger?.warn(
      { stream: route.name, reason },
      'Binance market stream rotation failed; reconnecting the plain way (data gap, depth resync)',
    );
  }

  private onFrame(route: Route, lane: Lane, text: string, localTs: Micros): void {
    if (lane.role === 'retired' || lane.muted) return;
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
        p.lane.acked = true;
        if (p.lane.role !== 'current') return;
        if (this.routes.every((r) => r.current.acked)) this.readyResolve?.();
        if (p.lane.expired && route.rotation === undefined) {
          p.lane.expired = false;
          this.rotate(route);
        }
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
        if (p?.lane.role === 'next') route.rotation?.fallBack(`the new connection's SUBSCRIBE was refused`);
        return;
      }
      case 'unknown':
        return;
      case 'market': {
        route.handover.onEvent(msg.event, lane.role === 'next');
        const rotation = route.rotation;
        if (rotation === undefined) return;
        const failure = route.handover.failure;
        if (failure !== undefined) rotation.fallBack(failure);
        else if (route.handover.ready) this.handOver(route);
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
    const last = this.lastTs.get(e.symbol);
    if (last !== undefined) last[e.type] = e.localTs;
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
