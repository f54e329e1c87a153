import { BinanceError, badSymbol } from '../binance-error.js';
import type { LoopbackCore } from '../loopback-core.js';
import { readAllOrdersQuery } from '../venue/all-orders-query.js';
import {
  type RawParams,
  readModifyParams,
  readOptionalSymbol,
  readOrderRef,
  readPlaceParams,
  readSymbol,
} from '../venue/order-params.js';
import { readUserTradesQuery } from '../venue/user-trades.js';
import { exchangeInfoBody } from './exchange-info-body.js';

/** NONE, USER_STREAM (API key only) or TRADE / USER_DATA (signed). */
export type Security = 'none' | 'key' | 'signed';

export interface Route {
  readonly security: Security;
  /** IP weight (`X-MBX-USED-WEIGHT-1M`). */
  readonly weight: (p: RawParams) => number;
  /** Orders counted (`X-MBX-ORDER-COUNT-10S` / `-1M`). */
  readonly orders: number;
  /** An order request: its response is subject to the slowAck / loseAck faults. */
  readonly ack: boolean;
  readonly handle: (p: RawParams) => unknown;
}

/** `/fapi/v1/depth` weights by limit (Order Book): 5–50 → 2, 100 → 5, 500 → 10, 1000 → 20. */
const DEPTH_WEIGHT: Readonly<Record<number, number>> = {
  5: 2,
  10: 2,
  20: 2,
  50: 2,
  100: 5,
  500: 10,
  1000: 20,
};

const w = (n: number) => () => n;

/** The REST endpoints, keyed `METHOD /path`. */
export function restRoutes(
  core: LoopbackCore,
  limits: Parameters<typeof exchangeInfoBody>[1],
): Map<string, Route> {
  const venue = core.venue;
  const routes = new Map<string, Route>();
  const add = (key: string, r: Partial<Route> & Pick<Route, 'handle'>) =>
    routes.set(key, { security: 'none', weight: w(1), orders: 0, ack: false, ...r });

  add('GET /fapi/v1/ping', { handle: () => ({}) });
  add('GET /fapi/v1/time', { handle: () => ({ serverTime: core.clock.nowMs() }) });
  add('GET /fapi/v1/exchangeInfo', {
    handle: () => exchangeInfoBody(core.instruments, limits, core.clock.nowMs()),
  });
  add('GET /fapi/v1/depth', {
    weight: (p) => DEPTH_WEIGHT[depthLimit(p)] ?? 10,
    handle: (p) => {
      const symbol = knownSymbol(core, p);
      const limit = depthLimit(p);
      if (DEPTH_WEIGHT[limit] === undefined) throw new BinanceError(400, -4021, 'Invalid depth limit.');
      const s = core.feed.snapshot(symbol, limit);
      const now = core.clock.nowMs();
      return {
        lastUpdateId: s.lastUpdateId,
        E: now,
        T: now,
        bids: s.bids.map(([px, q]) => [s.d.price(px), s.d.qty(q)]),
        asks: s.asks.map(([px, q]) => [s.d.price(px), s.d.qty(q)]),
      };
    },
  });
  add('GET /fapi/v1/openInterest', {
    handle: (p) => {
      const symbol = knownSymbol(core, p);
      const oi = core.feed.openInterest(symbol);
      const d = core.feed.decimals(symbol)!;
      return { openInterest: d.qty(oi?.value ?? 0), symbol, time: oi?.timeMs ?? core.clock.nowMs() };
    },
  });

  // TRADE / USER_DATA
  add('POST /fapi/v1/order', {
    security: 'signed',
    weight: w(0),
    orders: 1,
    ack: true,
    handle: (p) => {
      const params = readPlaceParams(p);
      const r = venue.place(params);
      return params.respType === 'RESULT' ? r.result : r.ack;
    },
  });
  add('DELETE /fapi/v1/order', {
    security: 'signed',
    ack: true,
    handle: (p) => venue.cancel(readOrderRef(p)),
  });
  add('PUT /fapi/v1/order', {
    security: 'signed',
    weight: w(0),
    orders: 1,
    ack: true,
    handle: (p) => venue.modify(readModifyParams(p)),
  });
  add('GET /fapi/v1/order', { security: 'signed', handle: (p) => venue.query(readOrderRef(p)) });
  add('GET /fapi/v1/allOrders', {
    security: 'signed',
    weight: w(5),
    handle: (p) => venue.allOrders(readAllOrdersQuery(p)),
  });
  add('GET /fapi/v1/userTrades', {
    security: 'signed',
    weight: w(5),
    handle: (p) => venue.userTrades(readUserTradesQuery(p)),
  });
  add('GET /fapi/v1/openOrders', {
    security: 'signed',
    weight: (p) => (p.symbol ? 1 : 40),
    handle: (p) => venue.openOrders(readOptionalSymbol(p)),
  });
  add('DELETE /fapi/v1/allOpenOrders', {
    security: 'signed',
    handle: (p) => {
      venue.cancelAll(readSymbol(p));
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    },
  });
  add('GET /fapi/v3/positionRisk', {
    security: 'signed',
    weight: w(5),
    handle: (p) => venue.positionRisk(readOptionalSymbol(p)),
  });

  // USER_STREAM
  add('POST /fapi/v1/listenKey', { security: 'key', handle: () => ({ listenKey: core.listenKeys.start() }) });
  add('PUT /fapi/v1/listenKey', {
    security: 'key',
    handle: () => ({ listenKey: core.listenKeys.keepalive() }),
  });
  add('DELETE /fapi/v1/listenKey', {
    security: 'key',
    handle: () => {
      core.listenKeys.close();
      return {};
    },
  });
  return routes;
}

function depthLimit(p: RawParams): number {
  return p.limit === undefined || p.limit === '' ? 500 : Number(p.limit);
}

function knownSymbol(core: LoopbackCore, p: RawParams): string {
  const symbol = readSymbol(p);
  if (core.instrument(symbol) === undefined) throw badSymbol();
  return symbol;
}
