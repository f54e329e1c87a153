import type { WebSocket } from 'ws';

export interface HeartbeatOptions {
  /** Binance pings every 3 minutes. */
  readonly pingIntervalMs: number;
  /** …and drops a connection that has not answered a ping for 10 minutes. */
  readonly pongTimeoutMs: number;
}

/**
 * Server pings for every socket the loopback holds, as Binance sends them: a ping frame every
 * `pingIntervalMs`; a socket whose last ping went unanswered for `pongTimeoutMs` is dropped.
 * (The `ws` library answers the client's own pings with pongs automatically.)
 */
export class Heartbeat {
  private readonly sockets = new Map<WebSocket, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: HeartbeatOptions) {
    this.timer = setInterval(() => this.beat(), opts.pingIntervalMs);
    this.timer.unref();
  }

  add(ws: WebSocket): void {
    // NaN: no ping outstanding.
    this.sockets.set(ws, Number.NaN);
    ws.on('pong', () => this.sockets.set(ws, Number.NaN));
    ws.on('close', () => this.sockets.delete(ws));
  }

  /** Every socket held (for faults.dropConnections and close). */
  all(): WebSocket[] {
    return [...this.sockets.keys()];
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    const now = Date.now();
    for (const [ws, since] of this.sockets) {
      if (!Number.isNaN(since) && now - since >= this.opts.pongTimeoutMs) {
        ws.terminate();
        continue;
      }
      if (Number.isNaN(since)) this.sockets.set(ws, now);
      ws.ping();
    }
  }
}
