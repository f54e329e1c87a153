import type { ExecutionReport, Instrument, OrderCommand } from '@botplatform/sdk';
import type { QueueModel } from '../queue/queue-model.js';
import { RiskAverseQueue } from '../queue/risk-averse-queue.js';
import type { FillMode } from './fill-mode.js';
import { SimulatedExchange } from './sim-exchange.js';

/** Test-only helpers for the SimulatedExchange tests (excluded from the build). */

/** BTCUSDT-like: tick 0.1, step 0.001, min notional 100, maker 2 bp, taker 5 bp. */
export const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

export type FillReport = Extract<ExecutionReport, { kind: 'fill' }>;

/** The report's clientOrderId (undefined for funding, which is about a position). */
export const orderIdOf = (r: ExecutionReport): string | undefined =>
  r.kind === 'funding' ? undefined : r.clientOrderId;

export interface Harness {
  readonly ex: SimulatedExchange;
  readonly reports: ExecutionReport[];
  /** Fill reports so far. */
  fills(): FillReport[];
  /** Reports so far, then forgets them. */
  drain(): ExecutionReport[];
  /** Replaces the book with a snapshot: bids and asks as [price, qty], best first. */
  snapshot(
    bids: ReadonlyArray<readonly [number, number]>,
    asks: ReadonlyArray<readonly [number, number]>,
    ts: number,
  ): void;
}

export function harness(
  opts: { fills?: FillMode; instruments?: readonly Instrument[]; queue?: QueueModel } = {},
): Harness {
  const reports: ExecutionReport[] = [];
  const ex = new SimulatedExchange(opts.instruments ?? [BTC], {
    queue: opts.queue ?? new RiskAverseQueue(),
    sink: (r) => reports.push(r),
    ...(opts.fills ? { fills: opts.fills } : {}),
  });
  return {
    ex,
    reports,
    fills: () => reports.filter((r): r is FillReport => r.kind === 'fill'),
    drain: () => reports.splice(0, reports.length),
    snapshot(bids, asks, ts) {
      let first = true;
      for (const [p, q] of bids) {
        ex.onDepthLevel(0, 1, p, q, first, ts);
        first = false;
      }
      for (const [p, q] of asks) {
        ex.onDepthLevel(0, -1, p, q, first, ts);
        first = false;
      }
    },
  };
}

let seq = 0;

/** A resolved order command with defaults: BTCUSDT GTC limit, not reduce-only, a fresh id. */
export function cmd(over: Partial<OrderCommand> & Pick<OrderCommand, 'side' | 'qty'>): OrderCommand {
  return {
    clientOrderId: `c${++seq}`,
    symbol: 'BTCUSDT',
    type: 'limit',
    price: Number.NaN,
    timeInForce: 'GTC',
    reduceOnly: false,
    ...over,
  };
}
