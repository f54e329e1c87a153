import type { Fill, Leg, Micros, Order, RiskConfig, StrategyDefinition } from '@botplatform/sdk';
import {
  type FillMode,
  latencySpecNeedsSamples,
  parseFillMode,
  parseLatencySpec,
  parseQueueSpec,
  SimulatedExchange,
} from '@botplatform/sim';
import type { Logger } from 'pino';
import { UserError } from '../cli/user-error.js';
import { ReplayReader } from '../data/replay-reader.js';
import { ReplayClock } from '../kernel/clock.js';
import { Kernel } from '../kernel/kernel.js';
import type { BookGap } from '../kernel/market-data-engine.js';
import { computeMetrics } from '../run-store/compute-metrics.js';
import { type RunRecord, RunRecorder } from '../run-store/run-recorder.js';
import { BacktestVenue } from './backtest-venue.js';
import { ReplayDriver } from './replay-driver.js';
import { type BacktestSummary, buildSummary } from './summary.js';

export interface BacktestOptions {
  readonly strategy: StrategyDefinition;
  /** Params already validated against the strategy's schema. */
  readonly params: Record<string, unknown>;
  readonly dataPath: string;
  readonly symbols?: readonly string[];
  readonly fromTs?: Micros;
  readonly toTs?: Micros;
  /** e.g. `constant:5000:5000` (µs). */
  readonly latency: string;
  /** e.g. `risk-averse`, `prob-power:3`. */
  readonly queue: string;
  /** `partial` (default) or `full`. */
  readonly fills?: string;
  /** Pre-trade risk limits (the run config's `risk` section); absent = exchange filters only. */
  readonly risk?: RiskConfig;
  readonly logger: Logger;
  /** Called with every fill as it reaches the strategy (e.g. to stream fills.csv). */
  readonly onFill?: (fill: Fill) => void;
  /** Keep every fill in the result (default true); a long run streams them via onFill instead. */
  readonly keepFills?: boolean;
  /** Called with every order update as it reaches the strategy (orders.csv, run store). */
  readonly onOrderUpdate?: (order: Order) => void;
  readonly onStart?: (totalRows: number) => void;
  /** Best bid/ask sampled into the run record this often, µs (default 100 ms). */
  readonly priceSampleUs?: Micros;
  /** Equity sampled into the run record this often, µs (default 1 s); also at every fill. */
  readonly equitySampleUs?: Micros;
  /** Capital that returns and drawdown % are measured on (default: the largest exposure held). */
  readonly capital?: number;
  /**
   * Restart the strategy mid-run, as a live process restart would (ctx.state and signals
   * through JSON, a new instance), at the first book update at or after this local time when
   * it has no open orders. For checking that a strategy resumes to the same decisions.
   */
  readonly restartAt?: Micros;
  readonly onProgress?: (rowsDone: number) => void;
}

export interface BacktestResult {
  readonly summary: BacktestSummary;
  readonly fills: readonly Fill[];
  /** Where local books lost sync with the data's depth chain (the first 100). */
  readonly gaps: readonly BookGap[];
  /** The strategy's legs (ctx.legs) as the run left them. */
  readonly legs: readonly Leg[];
  /** Per symbol, the price PnL was finally marked at (mark price, else mid). */
  readonly marks: Readonly<Record<string, number>>;
  /** Local time the strategy was restarted (restartAt); NaN if it was not. */
  readonly restartedAt: Micros;
  /** Everything the run store writes: orders with histories, trips, equity, prices, signals. */
  readonly record: RunRecord;
}

export const DEFAULT_PRICE_SAMPLE_US = 100_000;
export const DEFAULT_EQUITY_SAMPLE_US = 1_000_000;

/**
 * One backtest: tick store → replay driver → simulated exchange + kernel → summary.
 * Deterministic: the same inputs give the same fills, byte for byte.
 */
export async function runBacktest(opts: BacktestOptions): Promise<BacktestResult> {
  const queue = parseSpec('--queue', opts.queue, parseQueueSpec);
  const fillMode: FillMode = parseSpec('--fills', opts.fills ?? 'partial', parseFillMode);
  if (!latencySpecNeedsSamples(opts.latency)) parseSpec('--latency', opts.latency, parseLatencySpec); // fail before opening data
  const reader = await ReplayReader.open(opts.dataPath, {
    ...(opts.symbols ? { symbols: [...opts.symbols] } : {}),
    ...(opts.fromTs !== undefined ? { fromTs: opts.fromTs } : {}),
    ...(opts.toTs !== undefined ? { toTs: opts.toTs } : {}),
  });
  try {
    const recordedSamples = latencySpecNeedsSamples(opts.latency)
      ? await reader.orderLatencySamples()
      : undefined;
    const latency = parseSpec('--latency', opts.latency, (s) =>
      parseLatencySpec(s, recordedSamples ? { recordedSamples } : {}),
    );
    const instruments = reader.instruments;
    const clock = new ReplayClock(reader.firstTs);
    const venue = new BacktestVenue(instruments, latency, clock);
    const kernel = new Kernel({
      mode: 'backtest',
      clock,
      instruments,
      venue,
      strategy: opts.strategy,
      params: opts.params,
      logger: opts.logger,
      ...(opts.risk ? { risk: opts.risk } : {}),
    });
    const sim = new SimulatedExchange(instruments, {
      queue,
      fills: fillMode,
      sink: (r) => venue.onSimReport(r),
    });
    venue.bind(sim, kernel);
    if (opts.restartAt !== undefined) kernel.restartWhenQuietAfter(opts.restartAt);
    const fills: Fill[] = [];
    if (opts.keepFills !== false) kernel.bus.subscribe('fill', (f) => fills.push(f));
    if (opts.onFill) kernel.bus.subscribe('fill', opts.onFill);
    if (opts.onOrderUpdate) kernel.bus.subscribe('orderUpdate', opts.onOrderUpdate);
    const recorder = new RunRecorder(
      kernel,
      opts.priceSampleUs ?? DEFAULT_PRICE_SAMPLE_US,
      opts.equitySampleUs ?? DEFAULT_EQUITY_SAMPLE_US,
    );

    const driver = new ReplayDriver(
      reader.batches(),
      reader.maxFeedLatencyUs,
      kernel,
      sim,
      venue,
      opts.onProgress,
    );
    opts.onStart?.(reader.rowCount);
    const started = performance.now();
    kernel.start();
    await driver.run();
    kernel.stop();
    const elapsedS = (performance.now() - started) / 1000;
    const record = recorder.finish(Math.max(kernel.clock.now(), reader.lastTs));
    const metrics = computeMetrics({
      record,
      portfolio: kernel.portfolio,
      fromTs: reader.firstTs,
      toTs: reader.lastTs,
      ...(opts.capital !== undefined ? { capital: opts.capital } : {}),
    });
    const summary = buildSummary({
      metrics,
      params: opts.params,
      kernel,
      strategy: opts.strategy.name,
      instruments,
      fromTs: reader.firstTs,
      toTs: reader.lastTs,
      events: driver.rows,
      latency: opts.latency,
      queue: opts.queue,
      fills: fillMode,
      elapsedS,
    });
    const marks: Record<string, number> = {};
    instruments.forEach((inst, i) => {
      marks[inst.symbol] = kernel.portfolio.markOf(i);
    });
    return {
      summary,
      fills,
      gaps: kernel.marketData.gaps,
      legs: kernel.legs.all(),
      marks,
      restartedAt: kernel.restartedAt,
      record,
    };
  } finally {
    await reader.close();
  }
}

function parseSpec<T>(flag: string, spec: string, parse: (s: string) => T): T {
  try {
    return parse(spec);
  } catch (err) {
    throw new UserError(`${flag}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
