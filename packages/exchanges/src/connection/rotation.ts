import type { ReconnectingWebSocket } from './reconnecting-ws.js';
import type { Scheduler } from './scheduler.js';

export interface SocketRotationOptions {
  readonly scheduler: Scheduler;
  /** How long the new connection has to prove it continues the stream. */
  readonly timeoutUs: number;
  /**
   * The rotation ended without a handover; `reason` is for the log. Called once, whoever
   * ended it (the owner's fallBack(), the timeout, either socket dropping), before any close
   * event of the sockets it closes or reconnects, so the owner can drop its overlap state first.
   */
  readonly onEnd: (reason: string) => void;
}

/**
 * Make-before-break replacement of a socket that reached its planned lifetime: `next` connects
 * to the same place while `current` keeps delivering; the owner, which alone knows what proves
 * that `next` continues the stream (sequence ids, a repeated message), calls handOver() and
 * `current` is closed for good. If that takes longer than `timeoutUs`, if `next` drops first,
 * or if the owner calls fallBack(), `next` is closed and `current` does what a plain
 * lifetime expiry does: close and reconnect at once (the loss a rotation tried to avoid, which
 * the owner records as it records any reconnect). If `current` drops on its own meanwhile, the
 * rotation is abandoned and `current` reconnects with its usual backoff: an unplanned drop
 * stays an unplanned drop.
 *
 * Each side is its own ReconnectingWebSocket, so each keeps its own ping/pong handling and its
 * own outbound limiter: Binance's limit on frames we send is per connection, and the overlap
 * doubles the connections, not the frames on one.
 */
export class SocketRotation {
  private cancelTimeout: (() => void) | undefined;
  private settled = false;
  private startedAt = 0;

  constructor(
    readonly current: ReconnectingWebSocket,
    readonly next: ReconnectingWebSocket,
    private readonly options: SocketRotationOptions,
  ) {
    // Listeners stay registered after the rotation (ReconnectingWebSocket has no `off`); the
    // settled flag makes them inert.
    next.on('close', (e) => {
      if (e.willReconnect) this.fallBack('the new connection dropped before the handover');
    });
    current.on('close', (e) => {
      if (e.willReconnect) this.end('the old connection dropped before the handover', false);
    });
  }

  /** True from start() until the handover or the fallback. */
  get active(): boolean {
    return this.startedAt > 0 && !this.settled;
  }

  /** µs since start(), for logs. */
  get ageUs(): number {
    return this.options.scheduler.now() - this.startedAt;
  }

  /** Connects `next` and starts the clock. */
  start(): void {
    if (this.startedAt > 0) return;
    this.startedAt = this.options.scheduler.now();
    const s = this.options.timeoutUs / 1_000_000;
    this.cancelTimeout = this.options.scheduler.after(this.options.timeoutUs, () => {
      this.cancelTimeout = undefined;
      this.fallBack(`the new connection did not prove continuity within ${s} s`);
    });
    this.next.start();
  }

  /** `next` has proven itself: `current` closes for good. Resolves when it is gone. */
  handOver(): Promise<void> {
    if (this.settled) return Promise.resolve();
    this.settled = true;
    this.cancelTimeout?.();
    return this.current.close();
  }

  /** The owner is shutting down: both close for good, nothing reconnects. */
  stop(): Promise<void> {
    this.settled = true;
    this.cancelTimeout?.();
    return Promise.all([this.current.close(), this.next.close()]).then(() => undefined);
  }

  /** Gives up on `next`: it closes, and `current` closes and reconnects at once. */
  fallBack(reason: string): void {
    this.end(reason, true);
  }

  private end(reason: string, reconnectCurrent: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.cancelTimeout?.();
    this.options.onEnd(reason);
    void this.next.close();
    if (reconnectCurrent) this.current.reconnect();
  }
}
