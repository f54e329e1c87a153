import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BinanceError } from '../binance-error.js';
import type { LoopbackCore } from '../loopback-core.js';
import { checkApiKey, checkSigned } from '../request-auth.js';
import { readRestRequest } from './http-request.js';
import type { Route } from './rest-routes.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

/**
 * Serves one REST request as Binance does: weight (and order count) charged first, 429 / 418
 * with Retry-After when over the limits, then the API key and, for SIGNED endpoints, the
 * timestamp and signature; every answer carries `X-MBX-USED-WEIGHT-1M`, successful order
 * requests `X-MBX-ORDER-COUNT-10S` / `-1M`; errors are `{"code", "msg"}` with Binance's status.
 * `held` collects responses a loseAck fault never sends, so close() can drop their sockets.
 */
export function restHandler(
  core: LoopbackCore,
  routes: ReadonlyMap<string, Route>,
  held: Set<ServerResponse>,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let headers: Record<string, string> = {};
    try {
      const r = await readRestRequest(req);
      const route = routes.get(`${r.method} ${r.path}`);
      if (route === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
        return;
      }
      const used = core.restLimiter.admit(route.weight(r.params), route.orders);
      headers = { 'X-MBX-USED-WEIGHT-1M': String(used.weight1m) };
      if (route.security !== 'none') checkApiKey(r.apiKey, core.credentials);
      if (route.security === 'signed')
        checkSigned(r.params, r.signedPayload, core.credentials, core.clock.nowMs());
      const body = route.handle(r.params);
      if (route.orders > 0) {
        headers['X-MBX-ORDER-COUNT-10S'] = String(used.orders10s);
        headers['X-MBX-ORDER-COUNT-1M'] = String(used.orders1m);
      }
      if (route.ack) {
        const fault = core.ackFaults.take();
        if (fault.lose) {
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        }
        if (fault.delayMs > 0) await sleep(fault.delayMs);
      }
      send(res, 200, headers, body);
    } catch (err) {
      if (err instanceof BinanceError) {
        const used = core.restLimiter.used();
        send(
          res,
          err.httpStatus,
          { 'X-MBX-USED-WEIGHT-1M': String(used.weight1m), ...err.headers },
          err.body(),
        );
      } else {
        send(res, 500, headers, {
          code: -1000,
          msg: 'An unknown error occured while processing the request.',
        });
      }
    }
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': JSON_TYPE, ...headers }).end(JSON.stringify(body));
}
