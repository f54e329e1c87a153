import WebSocket from 'ws';
import { backoffDelayUs } from './backoff.js';
import { type Scheduler, systemScheduler } from './scheduler.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

export interface ReconnectingWsOptions {
  /** Where to connect; a function is called before every attempt (a user stream's URL changes with its listenKey). */
  readonly url: string | (() => string | Promise<string>);
  /** Name for events and logs; the URL is never logged (it can carry a listenKey). */
  readonly name?: string;
  readonly scheduler?: Scheduler;
  /** Jitter source for the backoff, injectable for deterministic tests. */
  readonly random?: () => number;
  /** Backoff base and ceiling (full jitter, see backoff.ts). Defaults 500 ms and 30 s. */
  readonly backoffBaseUs?: number;
  readonly backoffMaxUs?: number;
  /** A connection that lived this long resets the backoff to its first step. Default 30 s. */
  readonly stableAfterUs?: number;
  /** Give up on a handshake after this long. Default 10 s. */
  readonly openTimeoutUs?: number;
  /** Ping the server after this long without receiving anything. Default 30 s. */
  readonly idlePingUs?: number;
  /** After our ping, declare the connection dead if nothing arrives within this. Default 10 s. */
  readonly pongTimeoutUs?: number;
  /**
   * Reconnect on our own before this age. Binance drops every connection at 24 h; leaving
   * earlier, at a time we choose, beats being cut mid-burst. Default 23 h 30 min.
   */
  readonly maxLifetimeUs?: number;
  /**
   * What reaching maxLifetimeUs does. 'reconnect': close and reopen at once; whatever the
   * server sends in between is lost. 'expire': emit `expiring` and stay open, for an owner
   * that opens a replacement first and closes this one once the replacement has proven it
   * continues the stream (make-before-break, see rotation.ts). If the owner does nothing,
   * the exchange's own cut at 24 h reconnects as any drop does. Default 'reconnect'.
   */
  readonly atMaxLifetime?: 'reconnect' | 'expire';
  /**
   * Outbound cap: at most this many frames (text, ping, pong) in any 1 s window. Binance
   * USD-M allows 10 incoming messages per second per connection and disconnects above it;
   * the default 8 leaves room for frames bunching up on the network.
   */
  readonly maxMessagesPerSecond?: number;
  /** Extra headers for the handshake. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface WsOpenEvent {
  /** 0 for the first connection, then 1, 2, … for each reconnect. */
  readonly connection: number;
}

export interface WsExpiringEvent {
  /** The connection (as numbered in WsOpenEvent) that reached its lifetime. */
  readonly connection: number;
  readonly ageUs: number;
}

export interface WsCloseEvent {
  readonly code: number;
  readonly reason: string;
  /** False after close(); otherwise a reconnect is scheduled after `delayUs`. */
  readonly willReconnect: boolean;
  readonly delayUs: number;
}

interface WsEvents {
  open: (e: WsOpenEvent) => void;
  message: (text: string, localTs: number) => void;
  close: (e: WsCloseEvent) => void;
  /** maxLifetimeUs reached with `atMaxLifetime: 'expire'`: the owner should replace this socket. */
  expiring: (e: WsExpiringEvent) => void;
  error: (err: Error) => void;
}

type Listeners = { [K in keyof WsEvents]: WsEvents[K][] };

const S = 1_000_000;

/**
 * A text WebSocket that stays connected: reconnects with jittered exponential backoff,
 * answers server pings with their payload (Binance: "send a pong with a copy of ping's
 * payload"), pings an idle server and drops a connection that stops answering, leaves before
 * the exchange's 24 h limit, and paces outbound frames under the per-connection message
 * limit. Subscriptions are the owner's business: it resends them on every `open`.
 */
export class ReconnectingWebSocket {
  readonly name: string;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private readonly opts: Required<
    Pick<
      ReconnectingWsOptions,
      | 'backoffBaseUs'
      | 'backoffMaxUs'
      | 'stableAfterUs'
      | 'openTimeoutUs'
      | 'idlePingUs'
      | 'pongTimeoutUs'
      | 'maxLifetimeUs'
    >
  >;
  private readonly limiter: SlidingWindowLimiter;
  private readonly listeners: Listeners = { open: [], message: [], close: [], expiring: [], error: [] };

  // ES private: the socket's URL may carry a listenKey, which util.inspect must not print.
  #ws: WebSocket | undefined;
  private stopped = true;
  private attempt = 0;
  private connections = 0;
  private openedAt = 0;
  private lastRx = 0;
  private pingSentAt = 0;
  private immediateReconnect = false;
  private queue: string[] = [];
  private cancelTimers: (() => void)[] = [];
  private cancelDrain: (() => void) | undefined;
  private cancelRetry: (() => void) | undefined;
  private closed: Promise<void> | undefined;

  constructor(private readonly options: ReconnectingWsOptions) {
    this.name = options.name ?? 'ws';
    this.scheduler = options.scheduler ?? systemScheduler;
    this.random = options.random ?? Math.random;
    this.opts = {
      backoffBaseUs: options.backoffBaseUs ?? 500_000,
      backoffMaxUs: options.backoffMaxUs ?? 30 * S,
      stableAfterUs: options.stableAfterUs ?? 30 * S,
      openTimeoutUs: options.openTimeoutUs ?? 10 * S,
      idlePingUs: options.idlePingUs ?? 30 * S,
      pongTimeoutUs: options.pongTimeoutUs ?? 10 * S,
      maxLifetimeUs: options.maxLifetimeUs ?? (23 * 3600 + 1800) * S,
    };
    this.limiter = new SlidingWindowLimiter(options.maxMessagesPerSecond ?? 8, S);
  }

  on<K extends keyof WsEvents>(event: K, fn: WsEvents[K]): this {
    this.listeners[event].push(fn);
    return this;
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Frames waiting for the outbound limiter. */
  get queued(): number {
    return this.queue.length;
  }

  /** Starts connecting (and reconnecting until close()). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closed = undefined;
    void this.connect();
  }

  /** Resolves at the next `open` (at once if open now). */
  waitOpen(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      const fn = () => {
        this.listeners.open = this.listeners.open.filter((f) => f !== fn);
        resolve();
      };
      this.on('open', fn);
    });
  }

  /**
   * Queues a text frame; frames go out in order as the limiter allows. Returns false (and
   * sends nothing) when not connected: what was meant for this connection is stale on the next.
   */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.queue.push(text);
    this.drain();
    return true;
  }

  /** Drops the current connection and connects again at once (not a failure: no backoff). */
  reconnect(): void {
    if (this.stopped) return;
    this.immediateReconnect = true;
    if (this.#ws) this.#ws.terminate();
    else {
      this.cancelRetry?.();
      void this.connect();
    }
  }

  /** Closes for good; resolves when the socket is gone. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    this.stopped = true;
    this.cancelRetry?.();
    this.clearConnectionTimers();
    const ws = this.#ws;
    this.closed = new Promise((resolve) => {
      if (!ws || ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'client closing');
      // A peer that never answers the close handshake must not hold us.
      const cancel = this.scheduler.after(2 * S, () => ws.terminate());
      ws.once('close', cancel);
    });
    return this.closed;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let url: string;
    try {
      url = typeof this.options.url === 'string' ? this.options.url : await this.options.url();
    } catch (err) {
      this.emit('error', asError(err));
      this.scheduleRetry(1006, 'url unavailable');
      return;
    }
    if (this.stopped) return;
    const ws = new WebSocket(url, {
      autoPong: false,
      perMessageDeflate: false,
      ...(this.options.headers ? { headers: { ...this.options.headers } } : {}),
    });
    this.#ws = ws;
    this.cancelTimers.push(this.scheduler.after(this.opts.openTimeoutUs, () => ws.terminate()));

    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => {
      const now = this.scheduler.now();
      this.lastRx = now;
      this.pingSentAt = 0;
      if (isBinary) return;
      this.emit('message', rawToString(data), now);
    });
    ws.on('ping', (payload) => {
      this.lastRx = this.scheduler.now();
      this.limiter.record(this.lastRx);
      // Pongs skip the queue: a late pong is what gets a connection dropped.
      ws.pong(payload);
    });
    ws.on('pong', () => {
      this.lastRx = this.scheduler.now();
      this.pingSentAt = 0;
    });
    ws.on('error', (err) => this.emit('error', err));
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.#ws) return;
    this.clearConnectionTimers();
    const now = this.scheduler.now();
    this.openedAt = now;
    this.lastRx = now;
    this.pingSentAt = 0;
    this.limiter.reset();
    const connection = this.connections++;
    this.cancelTimers.push(
      this.scheduler.after(this.opts.maxLifetimeUs, () => {
        if (this.options.atMaxLifetime !== 'expire') this.reconnect();
        else if (ws === this.#ws) this.emit('expiring', { connection, ageUs: this.scheduler.now() - now });
      }),
    );
    this.scheduleHeartbeat();
    this.emit('open', { connection });
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#ws = undefined;
    this.clearConnectionTimers();
    this.queue = [];
    if (this.stopped) {
      this.emit('close', { code, reason, willReconnect: false, delayUs: 0 });
      return;
    }
    const lived = this.openedAt > 0 ? this.scheduler.now() - this.openedAt : 0;
    if (lived >= this.opts.stableAfterUs) this.attempt = 0;
    this.openedAt = 0;
    this.scheduleRetry(code, reason);
  }

  private scheduleRetry(code: number, reason: string): void {
    const immediate = this.immediateReconnect;
    this.immediateReconnect = false;
    const delayUs = immediate
      ? 0
      : backoffDelayUs(this.attempt++, this.opts.backoffBaseUs, this.opts.backoffMaxUs, this.random);
    this.emit('close', { code, reason, willReconnect: true, delayUs });
    this.cancelRetry = this.scheduler.after(delayUs, () => {
      this.cancelRetry = undefined;
      void this.connect();
    });
  }

  /** Checks liveness: ping after `idlePingUs` of silence, drop after `pongTimeoutUs` more. */
  private scheduleHeartbeat(): void {
    const step = Math.max(1, Math.floor(Math.min(this.opts.idlePingUs, this.opts.pongTimeoutUs) / 2));
    const cancel = this.scheduler.after(step, () => {
      this.cancelTimers = this.cancelTimers.filter((c) => c !== cancel);
      const ws = this.#ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      const now = this.scheduler.now();
      if (this.pingSentAt > 0 && now - this.pingSentAt >= this.opts.pongTimeoutUs) {
        // No frame of any kind since our ping: a half-open TCP connection. terminate() skips
        // the close handshake, which would never complete either.
        ws.terminate();
        return;
      }
      if (this.pingSentAt === 0 && now - this.lastRx >= this.opts.idlePingUs) {
        this.pingSentAt = now;
        this.limiter.record(now);
        ws.ping();
      }
      this.scheduleHeartbeat();
    });
    this.cancelTimers.push(cancel);
  }

  private drain(): void {
    if (this.cancelDrain) return;
    const ws = this.#ws;
    while (this.queue.length > 0 && ws && ws.readyState === WebSocket.OPEN) {
      const now = this.scheduler.now();
      const wait = this.limiter.waitUs(now);
      if (wait > 0) {
        this.cancelDrain = this.scheduler.after(wait, () => {
          this.cancelDrain = undefined;
          this.drain();
        });
        return;
      }
      this.limiter.record(now);
      ws.send(this.queue.shift()!);
    }
  }

  private clearConnectionTimers(): void {
    for (const c of this.cancelTimers) c();
    this.cancelTimers = [];
    this.cancelDrain?.();
    this.cancelDrain = undefined;
  }

  private emit<K extends keyof WsEvents>(event: K, ...args: Parameters<WsEvents[K]>): void {
    for (const fn of [...this.listeners[event]]) {
      // A throwing listener must not take the connection down with it.
      try {
        (fn as (...a: Parameters<WsEvents[K]>) => void)(...args);
      } catch (err) {
        if (event !== 'error') this.emit('error', asError(err));
      }
    }
  }
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
