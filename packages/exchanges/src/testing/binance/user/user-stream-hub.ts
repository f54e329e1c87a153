import type { WebSocket } from 'ws';
import type { Heartbeat } from '../ws-heartbeat.js';
import { listenKeyExpired } from './user-events.js';

interface UserConn {
  readonly ws: WebSocket;
  readonly listenKey: string;
  /** The `events=` allow list, or undefined for everything. */
  readonly events: ReadonlySet<string> | undefined;
}

/**
 * User data stream sockets (`/private/ws?listenKey=…&events=A/B`, `/private/ws/<listenKey>`,
 * and the older `/ws/<listenKey>`). A socket with an unknown key is accepted and told nothing,
 * as Binance's is; `events` is an allow list (an event it does not name is not sent, and that
 * includes `listenKeyExpired`).
 */
export class UserStreamHub {
  private readonly conns = new Set<UserConn>();

  constructor(
    private readonly heartbeat: Heartbeat,
    private readonly isValid: (key: string) => boolean,
    private readonly nowMs: () => number,
  ) {}

  accept(ws: WebSocket, listenKey: string, events: readonly string[] | undefined): void {
    const conn: UserConn = { ws, listenKey, events: events === undefined ? undefined : new Set(events) };
    this.conns.add(conn);
    this.heartbeat.add(ws);
    ws.on('close', () => this.conns.delete(conn));
  }

  /** An account event (`ORDER_TRADE_UPDATE`, `ACCOUNT_UPDATE`) to every socket on a valid key. */
  emit(payload: { readonly e: string }): void {
    let text: string | undefined;
    for (const c of this.conns) {
      if (!this.isValid(c.listenKey) || !allows(c, payload.e)) continue;
      text ??= JSON.stringify(payload);
      if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
    }
  }

  /** `key` lapsed: its sockets hear `listenKeyExpired` once, then nothing more. */
  expired(key: string): void {
    const text = JSON.stringify(listenKeyExpired(key, this.nowMs()));
    for (const c of this.conns) {
      if (c.listenKey === key && allows(c, 'listenKeyExpired') && c.ws.readyState === c.ws.OPEN)
        c.ws.send(text);
    }
  }
}

const allows = (c: UserConn, e: string): boolean => c.events === undefined || c.events.has(e);
