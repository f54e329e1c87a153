import {
  BacktestVenue,
  type BookGap,
  type EventBatch,
  encodeEvent,
  Kernel,
  ReplayClock,
  ReplayDriver,
} from '@botplatform/runner';
import type {
  ExecutionReport,
  Fill,
  Instrument,
  MarketEvent,
  Micros,
  Order,
  StrategyDefinition,
} from '@botplatform/sdk';
import {
  type LatencyModel,
  parseLatencySpec,
  parseQueueSpec,
  type QueueModel,
  SimulatedExchange,
} from '@botplatform/sim';
import type { Logger } from 'pino';
// Not re-exported by the runner's index; the encoder is typed against this class (nominally: it
// has a private member), so the in-memory batches are built with the tick store's own buffer.
import { EventRowBuffer } from '../../packages/runner/src/data/event-row-buffer.js';
import { silentLogger } from './silent-logger.js';

export interface InMemoryBacktestOptions {
  readonly strategy: StrategyDefinition;
  readonly params?: Record<string, unknown>;
  /** The run's instruments; an event's symbol picks its `sym` index in this array. */
  readonly instruments: readonly Instrument[];
  /**
   * Market events in any order: they are stably sorted by `localTs` (ties keep the given
   * order), exactly as `TickStoreWriter.close` sorts `events` (ORDER BY local_ts, rowid).
   */
  readonly events: readonly MarketEvent[];
  /** A spec string as on the CLI (`constant:1000:2000`) or a model. */
  readonly latency: string | LatencyModel;
  /** A spec string as on the CLI (`risk-averse`) or a model. */
  readonly queue: string | QueueModel;
  /** Rows per EventBatch (the reader yields 2048-row DuckDB chunks); default 2048. */
  readonly batchRows?: number;
  readonly logger?: Logger;
  /**
   * Replaces the look-ahead bound the driver gets (default: max(local_ts − exch_ts) of the
   * rows, as ReplayReader reports it). Only for meta-tests that check a property notices a
   * driver that does not read far enough ahead.
   */
  readonly maxFeedLatencyUsOverride?: number;
}

/** A report the simulated exchange produced, with the local time the venue scheduled it for. */
export interface TimedReport {
  readonly report: ExecutionReport;
  readonly localTs: Micros;
}

export interface InMemoryBacktestResult {
  /** Fills as published on the kernel bus (what runBacktest returns). */
  readonly fills: readonly Fill[];
  /** Every order update published on the bus, in delivery order. */
  readonly orderUpdates: readonly Order[];
  /** Every report the venue scheduled, in the order the exchange produced them (nondecreasing exchTs). */
  readonly reports: readonly TimedReport[];
  readonly gaps: readonly BookGap[];
  /** Rows replayed. */
  readonly rows: number;
  readonly maxFeedLatencyUs: number;
  readonly kernel: Kernel;
  readonly sim: SimulatedExchange;
}

/** The batches a DuckDB replay of `events` would yield, plus the reader's statistics. */
export interface EncodedEvents {
  readonly batches: readonly EventBatch[];
  readonly rowCount: number;
  readonly firstTs: Micros;
  readonly lastTs: Micros;
  /** max(local_ts − exch_ts) over all rows, as ReplayReader computes it. */
  readonly maxFeedLatencyUs: number;
}

/**
 * Encodes market events into the tick store's row layout with the runner's own encoder
 * (kind 1 trade, 2 depth with flags bit0 snapshot / bit1 first row / bit2 last row, 3 book
 * ticker, 4 mark price, 5 open interest) and cuts the rows into batches of `batchRows`.
 */
export function encodeEvents(
  instruments: readonly Instrument[],
  events: readonly MarketEvent[],
  batchRows = 2048,
): EncodedEvents {
  if (!(Number.isInteger(batchRows) && batchRows >= 1)) throw new RangeError(`batchRows ${batchRows}`);
  const symOf = new Map<string, number>();
  instruments.forEach((inst, i) => {
    symOf.set(`${inst.exchange}\u0000${inst.symbol}`, i);
  });
  // Stable: Array.prototype.sort is stable, so ties keep insertion order like `rowid`.
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.localTs - b.e.localTs || a.i - b.i)
    .map((x) => x.e);
  const rows = new EventRowBuffer(Math.max(16, events.length * 2));
  for (const e of sorted) {
    const sym = symOf.get(`${e.exchange}\u0000${e.symbol}`);
    if (sym === undefined) throw new Error(`no instrument ${e.exchange} ${e.symbol} for an event`);
    encodeEvent(rows, e, sym);
  }
  const n = rows.length;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const lat = rows.localTs[i]! - rows.exchTs[i]!;
    if (lat > maxLat) maxLat = lat;
  }
  const batches: EventBatch[] = [];
  for (let from = 0; from < n; from += batchRows) {
    const to = Math.min(n, from + batchRows);
    batches.push({
      length: to - from,
      kind: rows.kind.slice(from, to),
      sym: rows.sym.slice(from, to),
      exchTs: rows.exchTs.slice(from, to),
      localTs: rows.localTs.slice(from, to),
      seq: rows.seq.slice(from, to),
      prevSeq: rows.prevSeq.slice(from, to),
      flags: rows.flags.slice(from, to),
      side: rows.side.slice(from, to),
      price: rows.price.slice(from, to),
      qty: rows.qty.slice(from, to),
      price2: rows.price2.slice(from, to),
      qty2: rows.qty2.slice(from, to),
    });
  }
  return {
    batches,
    rowCount: n,
    firstTs: n > 0 ? rows.localTs[0]! : 0,
    lastTs: n > 0 ? rows.localTs[n - 1]! : 0,
    maxFeedLatencyUs: n > 0 ? maxLat : 0,
  };
}

async function* yieldAll(batches: readonly EventBatch[]): AsyncGenerator<EventBatch> {
  for (const b of batches) yield b;
}

/**
 * Runs the real backtest pipeline (ReplayDriver + Kernel + SimulatedExchange + BacktestVenue,
 * wired as runBacktest wires them) over events held in memory: no DuckDB, so a run over a few
 * hundred events takes well under a millisecond or two, which property tests need.
 *
 * The only additions to runBacktest's wiring are observers: the venue's report scheduler is
 * wrapped to record each report and its local due time, and the bus's `orderUpdate` topic is
 * subscribed. None of them changes what is delivered or when.
 */
export async function runInMemoryBacktest(opts: InMemoryBacktestOptions): Promise<InMemoryBacktestResult> {
  const latency = typeof opts.latency === 'string' ? parseLatencySpec(opts.latency) : opts.latency;
  const queue = typeof opts.queue === 'string' ? parseQueueSpec(opts.queue) : opts.queue;
  const instruments = opts.instruments;
  const enc = encodeEvents(instruments, opts.events, opts.batchRows);

  const clock = new ReplayClock(enc.firstTs);
  const venue = new BacktestVenue(instruments, latency, clock);
  const kernel = new Kernel({
    mode: 'backtest',
    clock,
    instruments,
    venue,
    strategy: opts.strategy,
    params: opts.params ?? {},
    logger: opts.logger ?? silentLogger,
  });
  const reports: TimedReport[] = [];
  const sim = new SimulatedExchange(instruments, { queue, sink: (r) => venue.onSimReport(r) });
  venue.bind(sim, {
    scheduleReport: (report, localTs) => {
      reports.push({ report, localTs });
      kernel.scheduleReport(report, localTs);
    },
  });
  const fills: Fill[] = [];
  const orderUpdates: Order[] = [];
  kernel.bus.subscribe('fill', (f) => fills.push(f));
  kernel.bus.subscribe('orderUpdate', (o) => orderUpdates.push(o));

  const maxFeedLatencyUs = opts.maxFeedLatencyUsOverride ?? enc.maxFeedLatencyUs;
  const driver = new ReplayDriver(yieldAll(enc.batches), maxFeedLatencyUs, kernel, sim, venue);
  kernel.start();
  await driver.run();
  kernel.stop();
  return {
    fills,
    orderUpdates,
    reports,
    gaps: kernel.marketData.gaps,
    rows: driver.rows,
    maxFeedLatencyUs,
    kernel,
    sim,
  };
}
