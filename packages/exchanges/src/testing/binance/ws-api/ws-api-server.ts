import { setTimeout as sleep } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import { BinanceError, unsupported } from '../binance-error.js';
import type { LoopbackCore } from '../loopback-core.js';
import { checkApiKey, checkSigned } from '../request-auth.js';
import type { UsedLimits } from '../rest/rate-limiter.js';
import type { Security } from '../rest/rest-routes.js';
import { type RawParams, readModifyParams, readOrderRef, readPlaceParams } from '../venue/order-params.js';
import type { Heartbeat } from '../ws-heartbeat.js';
import { malformedRequest, signaturePayload, stringParams, wsApiRequestSchema } from './ws-api-request.js';

interface Method {
  readonly security: Security;
  readonly weight: number;
  readonly orders: number;
  readonly ack: boolean;
  readonly handle: (p: RawParams) => unknown;
}

/**
 * The WebSocket API (`/ws-fapi/v1`): JSON requests `{id, method, params}` answered with
 * `{id, status, result | error, rateLimits}`. HMAC keys sign every request (params sorted by
 * name); `session.logon` is documented for Ed25519 keys only, so it is refused here
 * (-1020). Methods: order.place, order.cancel, order.modify, order.status,
 * userDataStream.start / .ping / .stop.
 */
export class WsApiServer {
  private readonly methods = new Map<string, Method>();

  constructor(
    private readonly core: LoopbackCore,
    private readonly heartbeat: Heartbeat,
  ) {
    const v = core.venue;
    const add = (name: string, m: Partial<Method> & Pick<Method, 'handle'>) =>
      this.methods.set(name, { security: 'signed', weight: 1, orders: 0, ack: false, ...m });
    add('order.place', {
      weight: 0,
      orders: 1,
      ack: true,
      handle: (p) => {
        const params = readPlaceParams(p);
        const r = v.place(params);
        return params.respType === 'RESULT' ? r.result : r.ack;
      },
    });
    add('order.cancel', { ack: true, handle: (p) => v.cancel(readOrderRef(p)) });
    add('order.modify', { weight: 0, orders: 1, ack: true, handle: (p) => v.modify(readModifyParams(p)) });
    add('order.status', { handle: (p) => v.query(readOrderRef(p)) });
    add('userDataStream.start', { security: 'key', handle: () => ({ listenKey: core.listenKeys.start() }) });
    add('userDataStream.ping', {
      security: 'key',
      handle: () => ({ listenKey: core.listenKeys.keepalive() }),
    });
    add('userDataStream.stop', {
      security: 'key',
      handle: () => {
        core.listenKeys.close();
        return {};
      },
    });
  }

  accept(ws: WebSocket): void {
    this.heartbeat.add(ws);
    ws.on('message', (data, isBinary) => {
      void this.onRequest(ws, isBinary ? '' : data.toString());
    });
  }

  private async onRequest(ws: WebSocket, text: string): Promise<void> {
    let id: string | number | null = null;
    let m: Method | undefined;
    try {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw malformedRequest();
      }
      const parsed = wsApiRequestSchema.safeParse(json);
      if (!parsed.success) {
        const maybeId = (json as { id?: unknown } | null)?.id;
        if (typeof maybeId === 'string' || typeof maybeId === 'number') id = maybeId;
        throw malformedRequest();
      }
      id = parsed.data.id;
      m = this.methods.get(parsed.data.method);
      if (m === undefined) throw unsupported();
      const params = stringParams(parsed.data.params);
      const used = this.core.wsApiLimiter.admit(m.weight, m.orders);
      if (m.security !== 'none') checkApiKey(params.apiKey, this.core.credentials);
      if (m.security === 'signed')
        checkSigned(params, signaturePayload(params), this.core.credentials, this.core.clock.nowMs());
      const result = m.handle(params);
      if (m.ack) {
        const fault = this.core.ackFaults.take();
        if (fault.lose) return;
        if (fault.delayMs > 0) await sleep(fault.delayMs);
      }
      this.send(ws, { id, status: 200, result, rateLimits: rateLimits(used, m.orders > 0, this.core) });
    } catch (err) {
      const e =
        err instanceof BinanceError
          ? err
          : new BinanceError(500, -1000, 'An unknown error occured while processing the request.');
      const used = this.core.wsApiLimiter.used();
      this.send(ws, {
        id,
        status: e.httpStatus,
        error: e.body(),
        rateLimits: rateLimits(used, (m?.orders ?? 0) > 0, this.core),
      });
    }
  }

  private send(ws: WebSocket, body: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(body));
  }
}

/** The `rateLimits` array of a response (as in the docs' order.place example). */
function rateLimits(used: UsedLimits, orders: boolean, core: LoopbackCore) {
  const o = core.wsApiLimiter.opts;
  const weight = {
    rateLimitType: 'REQUEST_WEIGHT',
    interval: 'MINUTE',
    intervalNum: 1,
    limit: o.weightPerMinute,
    count: used.weight1m,
  };
  if (!orders) return [weight];
  return [
    {
      rateLimitType: 'ORDERS',
      interval: 'SECOND',
      intervalNum: 10,
      limit: o.ordersPer10s,
      count: used.orders10s,
    },
    {
      rateLimitType: 'ORDERS',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: o.ordersPerMinute,
      count: used.orders1m,
    },
    weight,
  ];
}
