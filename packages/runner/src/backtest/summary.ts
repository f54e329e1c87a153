import type { Instrument, Micros } from '@botplatform/sdk';
import type { Kernel } from '../kernel/kernel.js';
import type { RunMetrics } from '../run-store/run-metrics.js';

/** The run's headline figures; `summary.json` holds exactly this object. */
export interface BacktestSummary {
  readonly strategy: string;
  /** The params the strategy ran with (after its schema's defaults). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly symbols: readonly string[];
  readonly from_ts: Micros;
  readonly to_ts: Micros;
  readonly events: number;
  readonly orders: number;
  readonly orders_rejected: number;
  readonly fills: number;
  /** Traded notional in quote currency. */
  readonly volume: number;
  readonly maker_share: number;
  readonly fees: number;
  readonly funding: number;
  readonly realized_pnl: number;
  readonly unrealized_pnl: number;
  /** realized + unrealized − fees − funding. */
  readonly net_pnl: number;
  /** Largest peak-to-trough fall of equity (quote currency), marked at every book update while in a position. */
  readonly max_drawdown: number;
  readonly final_position: Readonly<Record<string, number>>;
  /** Times a local book lost sync (a depth diff off the prevSeq chain, or before any snapshot). */
  readonly depth_gaps: number;
  readonly signals: number;
  readonly latency: string;
  readonly queue: string;
  readonly fills_mode: string;
  readonly elapsed_s: number;
  readonly events_per_s: number;
  readonly metrics: RunMetrics;
}

export function buildSummary(args: {
  metrics: RunMetrics;
  params: Readonly<Record<string, unknown>>;
  kernel: Kernel;
  strategy: string;
  instruments: readonly Instrument[];
  fromTs: Micros;
  toTs: Micros;
  events: number;
  latency: string;
  queue: string;
  fills: string;
  elapsedS: number;
}): BacktestSummary {
  const { kernel } = args;
  const p = kernel.portfolio;
  p.updateDrawdown(kernel.clock.now());
  const t = p.totals();
  const finalPosition: Record<string, number> = {};
  args.instruments.forEach((inst, i) => {
    finalPosition[inst.symbol] = p.qty(i);
  });
  return {
    strategy: args.strategy,
    params: args.params,
    symbols: args.instruments.map((i) => i.symbol),
    from_ts: args.fromTs,
    to_ts: args.toTs,
    events: args.events,
    orders: kernel.execution.ordersPlaced,
    orders_rejected: kernel.execution.ordersRejected,
    fills: kernel.execution.fillCount,
    volume: round(p.volume, 8),
    maker_share: p.volume > 0 ? round(p.makerVolume / p.volume, 6) : 0,
    fees: round(t.fees, 8),
    funding: round(t.funding, 8),
    realized_pnl: round(t.realizedPnl, 8),
    unrealized_pnl: round(t.unrealizedPnl, 8),
    net_pnl: round(t.equity, 8),
    max_drawdown: round(p.maxDrawdown, 8),
    final_position: finalPosition,
    depth_gaps: kernel.marketData.gapCount,
    signals: kernel.emitted,
    latency: args.latency,
    queue: args.queue,
    fills_mode: args.fills,
    elapsed_s: round(args.elapsedS, 3),
    events_per_s: args.elapsedS > 0 ? Math.round(args.events / args.elapsedS) : 0,
    metrics: args.metrics,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
