import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Exchange, Micros, RiskConfig, StrategyDefinition } from '@botplatform/sdk';
import type { Logger } from 'pino';
import { DEFAULT_EQUITY_SAMPLE_US, DEFAULT_PRICE_SAMPLE_US } from '../backtest/run-backtest.js';
import { type BacktestSummary, buildSummary } from '../backtest/summary.js';
import { UserError } from '../cli/user-error.js';
import { type Clock, WallClock } from '../kernel/clock.js';
import { Kernel } from '../kernel/kernel.js';
import { StrategyError } from '../kernel/strategy-error.js';
import { codeVersion } from '../run-store/code-version.js';
import { computeMetrics } from '../run-store/compute-metrics.js';
import { RunRecorder } from '../run-store/run-recorder.js';
import { writeRunStore } from '../run-store/write-run-store.js';
import { LiveSession, type StopResult } from './live-session.js';
import { PaperVenue } from './paper-venue.js';
import { type Reconciliation, reconcile } from './reconcile.js';
import { attachStateRecorder, recordSent } from './state-recorder.js';
import { LiveStateStore } from './state-store.js';
import { TimedVenue } from './timed-venue.js';

export interface LiveRunOptions {
  readonly strategy: StrategyDefinition;
  /** Params already validated against the strategy's schema. */
  readonly params: Record<string, unknown>;
  /** The exchange adapter, or a PaperVenue around one. */
  readonly venue: Exchange;
  /** The instruments' exchange id (`binance-futures`): the state file's and order_latency's. */
  readonly exchange: string;
  readonly symbols: readonly string[];
  readonly statePath: string;
  /** The run folder written when the run ends. */
  readonly outDir: string;
  readonly logger: Logger;
  readonly risk?: RiskConfig;
  readonly keepOrdersOnExit?: boolean;
  readonly stopTimeoutMs?: number;
  /** State file flush period (default 1000 ms: a kill loses at most the last second). */
  readonly flushEveryMs?: number;
  readonly priceSampleUs?: Micros;
  readonly equitySampleUs?: Micros;
  readonly capital?: number;
  /** The paper venue's models, recorded in the summary (`live` for a real run). */
  readonly models?: { readonly latency: string; readonly queue: string; readonly fills: string };
  /** Extra run_meta rows (strategy path, argv, config…). */
  readonly meta?: Readonly<Record<string, string>>;
  /** Stop on SIGINT / SIGTERM (default true); a second signal stops waiting for the exchange. */
  readonly handleSignals?: boolean;
  /** Stops the run when aborted (programmatic use, tests). */
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /** Called once the strategy has started (after reconciliation). */
  readonly onStarted?: (info: {
    session: LiveSession;
    kernel: Kernel;
    reconciliation: Reconciliation;
  }) => void;
}

export interface LiveRunResult {
  readonly summary: BacktestSummary;
  readonly stop: StopResult;
  readonly reconciliation: Reconciliation;
  readonly epoch: number;
  readonly outDir: string;
}

/**
 * One `botp live` run: opens the state file, builds the Kernel on the wall clock with the
 * strategy restored from the state's snapshot, connects, reconciles with the exchange, runs the
 * strategy until stopped (a signal, `signal`, or a failure), then writes the run folder like a
 * backtest's (summary.json, CSVs, run.duckdb) and closes the state file. A strategy or venue
 * failure is rethrown after everything was saved.
 */
export async function runLive(opts: LiveRunOptions): Promise<LiveRunResult> {
  const clock = opts.clock ?? new WallClock();
  const log = opts.logger;
  const instruments = await opts.venue.instruments(opts.symbols).catch((err: unknown) => {
    throw venueError(opts.exchange, 'could not list its instruments', err);
  });
  const missing = opts.symbols.filter((s) => !instruments.some((i) => i.symbol === s));
  if (missing.length > 0)
    throw new UserError(
      `${opts.exchange} does not list ${missing.join(', ')}; check --symbol (e.g. BTCUSDT for the USD-M perpetual)`,
    );
  const ordered = opts.symbols.map((s) => instruments.find((i) => i.symbol === s)!);
  const paper = opts.venue instanceof PaperVenue;
  const startedAt = clock.now();
  const store = await LiveStateStore.open(
    opts.statePath,
    { strategy: opts.strategy.name, exchange: opts.exchange, symbols: opts.symbols, paper },
    startedAt,
  );
  let session: LiveSession | undefined;
  try {
    if (opts.venue instanceof PaperVenue) opts.venue.resume(store.saved?.positions ?? []);
    let kernelRef: Kernel | undefined;
    const timed = new TimedVenue(
      opts.venue,
      clock,
      paper ? `paper:${opts.exchange}` : opts.exchange,
      (s) => store.recordLatency(s),
      recordSent(() => kernelRef!, store),
    );
    const kernel = new Kernel({
      mode: paper ? 'paper' : 'live',
      clock,
      instruments: ordered,
      venue: timed,
      strategy: opts.strategy,
      params: opts.params,
      logger: log,
      ...(opts.risk ? { risk: opts.risk } : {}),
      ...(store.saved?.snapshot ? { restore: store.saved.snapshot } : {}),
      orderIds: { prefix: store.runIdPrefix, next: store.lastIdNumber() + 1 },
    });
    kernelRef = kernel;
    attachStateRecorder(kernel, store);
    const recorder = new RunRecorder(
      kernel,
      opts.priceSampleUs ?? DEFAULT_PRICE_SAMPLE_US,
      opts.equitySampleUs ?? DEFAULT_EQUITY_SAMPLE_US,
    );
    const live = new LiveSession({
      kernel,
      venue: opts.venue,
      timed,
      symbols: opts.symbols,
      logger: log,
      store,
      ...(opts.keepOrdersOnExit !== undefined ? { keepOrdersOnExit: opts.keepOrdersOnExit } : {}),
      ...(opts.stopTimeoutMs !== undefined ? { stopTimeoutMs: opts.stopTimeoutMs } : {}),
    });
    session = live;
    store.startAutoFlush(opts.flushEveryMs ?? 1000, (err) => log.error({ err }, 'state file flush failed'));
    const unhook = hookStops(live, opts);
    let reconciliation: Reconciliation | undefined;
    try {
      await live
        .start(async () => {
          reconciliation = await reconcile({
            kernel,
            venue: opts.venue,
            store,
            symbols: opts.symbols,
            logger: log,
          }).catch((err: unknown) => {
            throw venueError(opts.exchange, 'could not list open orders and positions', err);
          });
          reconciliation.positions.forEach((p) => {
            recorder.openPosition(kernel.sym(p.symbol), p.startQty, p.startEntryPrice, clock.now());
          });
          return reconciliation;
        })
        .catch((err: unknown) => {
          throw venueError(opts.exchange, 'could not connect', err);
        });
      if (reconciliation !== undefined && live.state === 'running')
        opts.onStarted?.({ session: live, kernel, reconciliation });
      const stop = await live.done;
      const summary = await writeRunFolder(opts, kernel, recorder, live, startedAt, stop, store.epoch, paper);
      await store.close(stop.stoppedAt, resolve(opts.outDir));
      if (stop.error !== undefined) throw stop.error;
      return { summary, stop, reconciliation: reconciliation!, epoch: store.epoch, outDir: opts.outDir };
    } finally {
      unhook();
    }
  } catch (err) {
    // A failure before the run could end normally: stop what was started, keep what was recorded.
    if (session !== undefined && session.state !== 'stopped') await session.stop('startup failed');
    else if (session === undefined) await opts.venue.close().catch(() => {});
    await store.close(clock.now()).catch(() => {});
    throw err;
  }
}

/** A venue failure the user can act on (endpoints, network, keys), in one line; our own errors pass. */
function venueError(exchange: string, what: string, err: unknown): Error {
  if (err instanceof UserError || err instanceof StrategyError) return err;
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  return new UserError(
    `${exchange}: ${what}: ${msg}; check --rest-url / --ws-url / --testnet, the network and the API keys`,
  );
}

/** SIGINT / SIGTERM and the abort signal stop the session; a second signal stops waiting. */
function hookStops(session: LiveSession, opts: LiveRunOptions): () => void {
  const onSignal = (sig: NodeJS.Signals) => {
    opts.logger.warn(
      { signal: sig },
      'stopping: canceling open orders and saving state (again to stop waiting)',
    );
    void session.stop(sig);
  };
  const onAbort = () => void session.stop('aborted');
  if (opts.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    opts.signal?.removeEventListener('abort', onAbort);
  };
}

async function writeRunFolder(
  opts: LiveRunOptions,
  kernel: Kernel,
  recorder: RunRecorder,
  session: LiveSession,
  startedAt: Micros,
  stop: StopResult,
  epoch: number,
  paper: boolean,
): Promise<BacktestSummary> {
  const record = recorder.finish(stop.stoppedAt);
  const metrics = computeMetrics({
    record,
    portfolio: kernel.portfolio,
    fromTs: startedAt,
    toTs: stop.stoppedAt,
    ...(opts.capital !== undefined ? { capital: opts.capital } : {}),
  });
  const models = opts.models ?? { latency: 'live', queue: 'live', fills: 'live' };
  const summary = buildSummary({
    metrics,
    params: opts.params,
    kernel,
    strategy: opts.strategy.name,
    instruments: kernel.instruments,
    fromTs: startedAt,
    toTs: stop.stoppedAt,
    events: session.marketEvents,
    latency: models.latency,
    queue: models.queue,
    fills: models.fills,
    elapsedS: (stop.stoppedAt - startedAt) / 1e6,
  });
  mkdirSync(opts.outDir, { recursive: true });
  await writeRunStore(opts.outDir, summary, record, {
    strategy: opts.strategy.name,
    mode: paper ? 'paper' : 'live',
    exchange: opts.exchange,
    started_at: new Date(startedAt / 1000).toISOString(),
    ended_at: new Date(stop.stoppedAt / 1000).toISOString(),
    stop_reason: stop.reason,
    state_path: resolve(opts.statePath),
    state_epoch: String(epoch),
    code_version: codeVersion(),
    params: JSON.stringify(opts.params),
    models: JSON.stringify(models),
    summary: JSON.stringify(summary),
    ...opts.meta,
  });
  return summary;
}
