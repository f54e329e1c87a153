import type { WebSocket } from 'ws';
import type { Heartbeat } from '../ws-heartbeat.js';
import { CONTROL_METHODS, controlFrameSchema } from './control-frame.js';
import type { MarketPublisher } from './market-feed.js';
import { type StreamCategory, streamCategory } from './stream-name.js';

export interface StreamSocketSpec {
  /** The routed endpoint; the legacy unrouted `/ws` and `/stream` carry `/public` data only. */
  readonly category: StreamCategory;
  /** `/stream` (combined: `{"stream", "data"}` envelopes) or `/ws` (raw payloads). */
  readonly combined: boolean;
  /** Streams named in the URL. */
  readonly streams: readonly string[];
}

interface Conn {
  readonly ws: WebSocket;
  readonly category: StreamCategory;
  combined: boolean;
  readonly streams: Set<string>;
  readonly recent: number[];
}

/** "WebSocket connections have a limit of 10 incoming messages per second." */
const MAX_INCOMING_PER_SECOND = 10;

/**
 * The market-stream sockets: subscriptions by stream name, raw or combined framing, live
 * SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY with
 * `{"result": …, "id": N}` replies and Binance's `{"code", "msg", "id"}` errors. A subscription
 * to a stream of the other endpoint is acknowledged and never delivers, as on Binance.
 */
export class StreamHub implements MarketPublisher {
  private readonly byStream = new Map<string, Set<Conn>>();

  constructor(private readonly heartbeat: Heartbeat) {}

  accept(ws: WebSocket, spec: StreamSocketSpec): void {
    const conn: Conn = {
      ws,
      category: spec.category,
      combined: spec.combined,
      streams: new Set(),
      recent: [],
    };
    this.heartbeat.add(ws);
    for (const s of spec.streams) this.subscribe(conn, s);
    ws.on('message', (data, isBinary) => this.onMessage(conn, isBinary ? '' : data.toString()));
    ws.on('close', () => {
      for (const s of conn.streams) this.byStream.get(s)?.delete(conn);
    });
  }

  wants(stream: string): boolean {
    const subs = this.byStream.get(stream);
    if (subs === undefined || subs.size === 0) return false;
    const cat = streamCategory(stream);
    for (const c of subs) if (c.category === cat) return true;
    return false;
  }

  publish(stream: string, payload: unknown): void {
    const subs = this.byStream.get(stream);
    if (subs === undefined) return;
    const cat = streamCategory(stream);
    const raw = JSON.stringify(payload);
    let wrapped: string | undefined;
    for (const c of subs) {
      if (c.category !== cat || c.ws.readyState !== c.ws.OPEN) continue;
      if (c.combined) {
        wrapped ??= `{"stream":${JSON.stringify(stream)},"data":${raw}}`;
        c.ws.send(wrapped);
      } else c.ws.send(raw);
    }
  }

  private subscribe(c: Conn, stream: string): void {
    c.streams.add(stream);
    let subs = this.byStream.get(stream);
    if (subs === undefined) {
      subs = new Set();
      this.byStream.set(stream, subs);
    }
    subs.add(c);
  }

  private unsubscribe(c: Conn, stream: string): void {
    c.streams.delete(stream);
    this.byStream.get(stream)?.delete(c);
  }

  private onMessage(c: Conn, text: string): void {
    const now = Date.now();
    c.recent.push(now);
    while (c.recent.length > 0 && now - c.recent[0]! >= 1000) c.recent.shift();
    if (c.recent.length > MAX_INCOMING_PER_SECOND) {
      c.ws.close(1008, 'Too many messages');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.reply(c, { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' });
      return;
    }
    const parsed = controlFrameSchema.safeParse(json);
    if (!parsed.success) {
      const id = typeof json === 'object' && json !== null && 'id' in json ? json.id : null;
      const issue = parsed.error.issues[0];
      const what = issue?.path[0] === 'id' ? 'request ID must be an unsigned integer' : 'invalid request';
      this.reply(c, { code: 2, msg: `Invalid request: ${what}`, id });
      return;
    }
    const { method, id } = parsed.data;
    const params = parsed.data.params ?? [];
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        for (const p of params) {
          if (typeof p !== 'string') continue;
          if (method === 'SUBSCRIBE') this.subscribe(c, p);
          else this.unsubscribe(c, p);
        }
        this.reply(c, { result: null, id });
        return;
      case 'LIST_SUBSCRIPTIONS':
        this.reply(c, { result: [...c.streams], id });
        return;
      case 'SET_PROPERTY':
        if (params[0] === 'combined' && typeof params[1] === 'boolean') {
          c.combined = params[1];
          this.reply(c, { result: null, id });
        } else this.reply(c, { code: 2, msg: 'Invalid request: unknown property', id });
        return;
      case 'GET_PROPERTY':
        if (params[0] === 'combined') this.reply(c, { result: c.combined, id });
        else this.reply(c, { code: 2, msg: 'Invalid request: unknown property', id });
        return;
      default:
        this.reply(c, {
          code: 2,
          msg: `Invalid request: unknown variant ${method}, expected one of ${CONTROL_METHODS.map((m) => `\`${m}\``).join(', ')}`,
          id,
        });
    }
  }

  private reply(c: Conn, body: unknown): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(body));
  }
}
