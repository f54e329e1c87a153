import type {
  DepthUpdate,
  ExchangeSink,
  FeedGap,
  Logger,
  MarketEvent,
  MarketEventType,
  Micros,
} from '@botplatform/sdk';
import { UserError } from '../cli/user-error.js';
import { encodedRowCount } from '../data/encode-event.js';
import type { TickStoreWriter } from '../data/tick-store-writer.js';
import { type RecordClock, systemRecordClock } from './record-clock.js';
import type { RecordSource } from './record-source.js';
import { queryStreamEnds, streamKey } from './stream-ends.js';

/** Why a recording ended. */
export type StopReason = 'duration' | 'signal' | 'requested' | 'error';

export interface RecorderOptions {
  readonly source: RecordSource;
  /** The store to write; the recorder owns it from `start` on and closes it when it stops. */
  readonly writer: TickStoreWriter;
  readonly symbols: readonly string[];
  readonly clock?: RecordClock;
  /** Buffered rows are written at least this often (µs), so a crash loses at most this much. Default 1 s. */
  readonly flushEveryUs?: number;
  /** Stop by itself this long (µs) after the start (instruments in the store). */
  readonly durationUs?: number;
  readonly logger?: Logger;
}

/** Counters of a recording so far. */
export interface RecorderStats {
  readonly startedAt: Micros;
  readonly now: Micros;
  /** Messages received per stream (`depth`, `trade`, `bookTicker`, `markPrice`, `openInterest`). */
  readonly messages: Readonly<Partial<Record<MarketEventType, number>>>;
  readonly totalMessages: number;
  /** `events` rows written or buffered (a depth message is one row per level). */
  readonly rows: number;
  readonly gaps: number;
  /** Depth snapshots received: one per symbol at the start and one after every resync. */
  readonly snapshots: number;
  /** Symbols whose book lost data and awaits its resync snapshot. */
  readonly resyncing: readonly string[];
  readonly flushes: number;
  /** Local time of the last completed flush (0 before the first). */
  readonly lastFlushAt: Micros;
  /** Events delivered after one stamped later, written at that one's local_ts (see onMarket). */
  readonly retimed: number;
}

export interface RecordSummary extends RecorderStats {
  readonly reason: StopReason;
  readonly path: string;
}

interface DepthChain {
  seq: number;
  localTs: Micros;
  /** A gap was reported since the last message: the next break is already accounted for. */
  lost: boolean;
  /**
   * Seq of the last stored message while diffs without levels follow it: such a diff writes no
   * row, so the next one is stored chained to this seq instead of the empty one's (the book is
   * the same either way, and the stored chain stays unbroken).
   */
  spliceFrom: number | undefined;
}

const S = 1_000_000;

/**
 * Writes what a venue's market feed delivers into a tick store: every event as it arrives
 * (both timestamps as the source stamped them), the instruments first, and a `gaps` row for
 * every stretch of lost data. The source reports the gaps it sees (sequence breaks,
 * disconnects); the recorder adds the ones only it can see: a depth diff that does not chain
 * onto the message before it with no gap reported, and the time between an earlier recording
 * in the same store and this one. Rows are flushed at least every `flushEveryUs`, so a killed
 * process loses at most that much; `stop` closes the feed, flushes everything and closes the
 * store. Events are written in the order they were delivered, `local_ts` never going back
 * within a session; the store sorts `events` once on close only if it already held later rows.
 */
export class Recorder {
  /** Settles when the recording has stopped and the store is closed; rejects if it failed. */
  readonly done: Promise<RecordSummary>;
  private readonly clock: RecordClock;
  private readonly flushEveryUs: number;
  private readonly counts: Partial<Record<MarketEventType, number>> = {};
  private total = 0;
  private rows = 0;
  private gaps = 0;
  private snapshots = 0;
  private flushes = 0;
  private lastFlushAt: Micros = 0;
  private startedAt: Micros = 0;
  /** Newest local_ts written this session. */
  private lastLocalTs: Micros = Number.NEGATIVE_INFINITY;
  private retimed = 0;
  private readonly depth = new Map<string, DepthChain>();
  private readonly resyncing = new Set<string>();
  /** Where each stream of an earlier recording ended; an entry goes at this session's first event. */
  private streamEnds = new Map<string, Micros>();
  private state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private failure: unknown;
  private flushing: Promise<void> | undefined;
  private preparing: Promise<void> | undefined;
  private cancelFlush: (() => void) | undefined;
  private cancelDuration: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  private settle!: { resolve(s: RecordSummary): void; reject(e: unknown): void };
  private onStopRequested!: () => void;
  private readonly stopRequested = new Promise<void>((resolve) => {
    this.onStopRequested = resolve;
  });

  private readonly sink: ExchangeSink = {
    onMarket: (ev) => this.onMarket(ev),
    onReport: () => {}, // the recorder places no orders
    onGap: (gap) => this.onGap(gap),
  };

  constructor(private readonly options: RecorderOptions) {
    this.clock = options.clock ?? systemRecordClock;
    this.flushEveryUs = options.flushEveryUs ?? S;
    if (!(this.flushEveryUs > 0)) throw new RangeError('Recorder: flushEveryUs must be > 0');
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Callers await `done` or `stop()`; an unobserved failure must not crash the process.
    this.done.catch(() => {});
  }

  /**
   * Adds the instruments, starts the flush and duration timers and connects the feed. A failure closes the source and the store and rethrows. A stop
   * while it runs (Ctrl-C during the connection) ends it quietly: start resolves, `done` says
   * how the recording ended.
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error('Recorder.start: already started');
    this.state = 'running';
    this.startedAt = this.clock.now();
    const { source, symbols } = this.options;
    this.preparing = this.prepare();
    try {
      await this.preparing;
      if (this.state !== 'running') return;
      this.scheduleFlush();
      // Counted from here, not from the connection: a feed that never comes up still ends.
      if (this.options.durationUs !== undefined) {
        this.cancelDuration = this.clock.after(this.options.durationUs, () => void this.stop('duration'));
      }
      const connecting = source.connect(this.sink, symbols);
      // A stop does not wait for a connection still in progress (the source may only give up
      // on it much later); its late failure then means nothing.
      connecting.catch(() => {});
      await Promise.race([connecting, this.stopRequested]);
    } catch (err) {
      if (this.state !== 'running' && this.failure === undefined) return; // closed under it
      this.fail(err, false); // the caller gets it from start()
      await this.done.catch(() => {});
      throw err;
    }
  }

  /** Instruments into the store (all known before any event), and where earlier data ended. */
  private async prepare(): Promise<void> {
    const { source, writer, symbols } = this.options;
    const instruments = await source.instruments(symbols);
    if (this.state !== 'running') return;
    const missing = symbols.filter((s) => !instruments.some((i) => i.symbol === s));
    if (missing.length > 0) {
      throw new UserError(
        `${source.id} has no instrument ${missing.join(', ')}; check --symbol (exchange symbols such as BTCUSDT)`,
      );
    }
    for (const inst of instruments) await writer.addInstrument(inst);
    this.streamEnds = await queryStreamEnds(writer, source.id);
  }

  /** Stops the feed, writes everything and closes the store (idempotent; same promise as `done`). */
  stop(reason: StopReason = 'requested'): Promise<RecordSummary> {
    this.onStopRequested();
    this.stopping ??= this.shutdown(reason).then(
      (summary) => this.settle.resolve(summary),
      (err: unknown) => this.settle.reject(err),
    );
    return this.done;
  }

  stats(): RecorderStats {
    return {
      startedAt: this.startedAt,
      now: this.clock.now(),
      messages: { ...this.counts },
      totalMessages: this.total,
      rows: this.rows,
      gaps: this.gaps,
      snapshots: this.snapshots,
      resyncing: [...this.resyncing],
      flushes: this.flushes,
      lastFlushAt: this.lastFlushAt,
      retimed: this.retimed,
    };
  }

  private onMarket(ev: MarketEvent): void {
    if (this.state === 'stopped' || this.state === 'idle' || this.failure !== undefined) return;
    if (ev.localTs < this.lastLocalTs) {
      // Stamped before an event already written (a REST snapshot is stamped when its response
      // arrived but delivered after socket frames stamped later): write it when it was
      // delivered, so replay order is the order this process saw, and `events` stays in
      // local_ts order without the close-time sort (a rewrite of the whole table).
      ev = { ...ev, localTs: this.lastLocalTs };
      this.retimed++;
    } else this.lastLocalTs = ev.localTs;
    if (this.streamEnds.size > 0) this.closeSessionGap(ev);
    if (ev.type === 'depth') ev = this.trackDepth(ev);
    try {
      this.options.writer.append(ev);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.counts[ev.type] = (this.counts[ev.type] ?? 0) + 1;
    this.total++;
    this.rows += encodedRowCount(ev);
  }

  private onGap(gap: FeedGap): void {
    if (this.state === 'stopped' || this.state === 'idle' || this.failure !== undefined) return;
    if (gap.stream === 'depth') {
      const chain = this.depth.get(gap.symbol);
      if (chain) chain.lost = true;
      this.resyncing.add(gap.symbol);
    }
    this.addGap(gap);
  }

  private addGap(gap: FeedGap): void {
    try {
      // Copy the FeedGap's fields only: adapters attach extra ones (update ids).
      const { exchange, symbol, stream, fromTs, toTs, reason } = gap;
      this.options.writer.appendGap({ exchange, symbol, stream, fromTs, toTs, reason });
      this.gaps++;
    } catch (err) {
      this.fail(err);
    }
  }

  /** The first event of a stream this session closes the hole since the store's earlier data. */
  private closeSessionGap(ev: MarketEvent): void {
    const key = streamKey(ev.type, ev.symbol);
    const end = this.streamEnds.get(key);
    if (end === undefined) return;
    this.streamEnds.delete(key);
    if (ev.localTs > end) {
      this.addGap({
        exchange: ev.exchange,
        symbol: ev.symbol,
        stream: ev.type,
        fromTs: end,
        toTs: ev.localTs,
        reason: 'not-recording',
      });
    }
  }

  /**
   * Snapshots re-anchor the chain; a diff that does not continue it, with no gap reported, is a
   * gap. Returns the event to store (a diff after empty diffs, chained past them).
   */
  private trackDepth(ev: DepthUpdate): DepthUpdate {
    const chain = this.depth.get(ev.symbol);
    if (ev.isSnapshot) {
      this.snapshots++;
      this.resyncing.delete(ev.symbol);
      this.depth.set(ev.symbol, { seq: ev.seq, localTs: ev.localTs, lost: false, spliceFrom: undefined });
      return ev;
    }
    if (!chain) return ev; // a diff before any snapshot: there is no chain to check yet
    const empty = ev.bids.length === 0 && ev.asks.length === 0;
    let out = ev;
    if (ev.prevSeq === chain.seq) {
      if (empty) chain.spliceFrom ??= chain.seq;
      else if (chain.spliceFrom !== undefined) {
        out = { ...ev, prevSeq: chain.spliceFrom };
        chain.spliceFrom = undefined;
      }
    } else {
      chain.spliceFrom = undefined;
      if (!chain.lost) {
        this.addGap({
          exchange: ev.exchange,
          symbol: ev.symbol,
          stream: 'depth',
          fromTs: chain.localTs,
          toTs: ev.localTs,
          reason: 'seq-break',
        });
      }
    }
    chain.seq = ev.seq;
    chain.localTs = ev.localTs;
    chain.lost = false;
    return out;
  }

  /** Flushes every `flushEveryUs` from one start to the next (the flush's own time included). */
  private scheduleFlush(delayUs = this.flushEveryUs): void {
    this.cancelFlush = this.clock.after(delayUs, () => {
      this.cancelFlush = undefined;
      const firedAt = this.clock.now();
      void this.flushNow().then(() => {
        const took = this.clock.now() - firedAt;
        if (this.state === 'running') this.scheduleFlush(Math.max(0, this.flushEveryUs - took));
      });
    });
  }

  /** One flush at a time; a failed flush fails the recording. */
  private flushNow(): Promise<void> {
    this.flushing ??= this.options.writer
      .flush()
      .then(
        () => {
          this.flushes++;
          this.lastFlushAt = this.clock.now();
        },
        (err: unknown) => this.fail(err),
      )
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private fail(err: unknown, log = true): void {
    if (this.failure !== undefined) return;
    this.failure = err ?? new Error('Recorder failed');
    if (log) {
      this.options.logger?.error(
        { error: err instanceof Error ? err.message : String(err) },
        'recording failed; stopping',
      );
    }
    void this.stop('error');
  }

  private async shutdown(reason: StopReason): Promise<RecordSummary> {
    this.state = 'stopping';
    this.cancelFlush?.();
    this.cancelDuration?.();
    try {
      await this.options.source.close();
    } catch (err) {
      // The data already received is still written; only the feed's own teardown failed.
      this.options.logger?.warn(
        { error: err instanceof Error ? err.message : String(err) },
        'closing the feed failed',
      );
    }
    this.state = 'stopped';
    await this.flushing;
    // A stop during start: let its writes to the store finish before closing it.
    await this.preparing?.catch(() => {});
    try {
      await this.options.writer.close();
    } catch (err) {
      this.failure ??= err;
    }
    if (this.failure !== undefined) throw this.failure;
    return { ...this.stats(), reason, path: this.options.writer.path };
  }
}
