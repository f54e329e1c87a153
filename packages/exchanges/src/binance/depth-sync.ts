import type { DepthUpdate, FeedGap, Micros } from '@botplatform/sdk';
import type { BinanceDepthDiff } from './messages/depth-update.js';

/**
 * Where a local book stands against the exchange:
 * - `awaiting-snapshot`: diffs are buffered until a REST snapshot arrives;
 * - `bridging`: the snapshot is out, the first diff with U ≤ lastUpdateId ≤ u is awaited;
 * - `synced`: every diff continues the previous one (`pu` = previous `u`);
 * - `gap`: the chain broke; diffs are buffered again and a new snapshot is needed.
 */
export type DepthSyncState = 'awaiting-snapshot' | 'bridging' | 'synced' | 'gap';

/** Why the chain of a book broke. */
export type DepthGapReason =
  /** A diff's `pu` is not the `u` of the diff before it: updates in between were lost. */
  | 'pu-mismatch'
  /** After the snapshot, the next diff starts past it (U > lastUpdateId): the bridging diff was lost. */
  | 'missed-bridge'
  /** The snapshot is older than the oldest buffered diff (first U > lastUpdateId). */
  | 'stale-snapshot';

/**
 * Lost depth data, as the SDK's FeedGap (`stream` 'depth'; fromTs/toTs are the local times of
 * the messages on either side of the hole) plus the update ids that bound it: the book holds
 * everything up to `fromUpdateId`; what arrived needs everything up to `toUpdateId`.
 */
export interface DepthGap extends FeedGap {
  readonly reason: DepthGapReason;
  readonly fromUpdateId: number;
  readonly toUpdateId: number;
}

/** What one input produced: events to apply in order, a gap if one was found, and whether to fetch a snapshot now. */
export interface DepthSyncStep {
  readonly events: readonly DepthUpdate[];
  readonly gap: DepthGap | undefined;
  /** True on the step that found the book needs a new REST snapshot (a gap, a stale snapshot). */
  readonly requestSnapshot: boolean;
}

const NOTHING: DepthSyncStep = Object.freeze({
  events: Object.freeze([]),
  gap: undefined,
  requestSnapshot: false,
});

/** Diffs kept while no usable snapshot is there (10 s of 100 ms diffs is 100). */
const DEFAULT_MAX_BUFFER = 10_000;

/**
 * Keeps one symbol's book in step with Binance USD-M, following "How to manage a local order
 * book correctly" (USD-M futures): buffer the diffs, take a REST snapshot, drop diffs with
 * u < lastUpdateId, apply first the diff with U ≤ lastUpdateId ≤ u, then require each diff's
 * `pu` to equal the previous `u` — futures update ids are not consecutive, only `pu` proves
 * continuity. On a break, resync from a new snapshot. Pure: no I/O and no clock; the caller
 * feeds parsed diffs and snapshots and fetches a snapshot when told.
 *
 * The events it emits form one chain in the SDK's terms, for the tick store and the kernel:
 * a snapshot (seq = lastUpdateId), then diffs whose `prevSeq` is the `seq` of the message
 * before. The bridging diff's Binance `pu` names a diff the snapshot already holds, so it is
 * emitted with `prevSeq` = lastUpdateId. Diffs buffered while the snapshot was in flight are
 * emitted with `localTs` raised to the snapshot's: the book could not be built before the
 * snapshot arrived, and the stream must not go back in local time.
 */
export class BinanceDepthSync {
  private phase: DepthSyncState = 'awaiting-snapshot';
  private buffer: BinanceDepthDiff[] = [];
  /** Update id the book holds up to (the snapshot's lastUpdateId, then each applied `u`). */
  private lastUpdateId = Number.NaN;
  private lastLocalTs: Micros = Number.NaN;

  constructor(
    readonly exchange: string,
    readonly symbol: string,
    private readonly maxBuffer = DEFAULT_MAX_BUFFER,
  ) {
    if (!(maxBuffer >= 1)) throw new RangeError(`BinanceDepthSync(${symbol}): maxBuffer must be ≥ 1`);
  }

  get state(): DepthSyncState {
    return this.phase;
  }

  /** True while only a new snapshot can make the book usable. */
  get needsSnapshot(): boolean {
    return this.phase === 'awaiting-snapshot' || this.phase === 'gap';
  }

  /** Diffs held for the next snapshot. */
  get buffered(): number {
    return this.buffer.length;
  }

  /**
   * Continues a chain already applied elsewhere, whose last message had final update id
   * `updateId` and arrived at `localTs` (e.g. the end of an earlier capture file already in
   * a tick store): the next diff must have `pu` = `updateId`. Only before any input.
   */
  resume(updateId: number, localTs: Micros): void {
    if (this.phase !== 'awaiting-snapshot' || this.buffer.length > 0) {
      throw new RangeError(`BinanceDepthSync(${this.symbol}): resume only before any diff or snapshot`);
    }
    this.phase = 'synced';
    this.lastUpdateId = updateId;
    this.lastLocalTs = localTs;
  }

  /** Forgets everything (a reconnect): back to buffering for a snapshot. */
  reset(): void {
    this.phase = 'awaiting-snapshot';
    this.buffer = [];
    this.lastUpdateId = Number.NaN;
    this.lastLocalTs = Number.NaN;
  }

  onDiff(diff: BinanceDepthDiff): DepthSyncStep {
    this.checkSymbol(diff);
    switch (this.phase) {
      case 'awaiting-snapshot':
      case 'gap':
        this.hold(diff);
        return NOTHING;
      case 'bridging':
        // Everything up to lastUpdateId is in the snapshot already.
        if (diff.seq < this.lastUpdateId) return NOTHING;
        if (diff.firstUpdateId > this.lastUpdateId)
          return this.broken('missed-bridge', diff, diff.firstUpdateId);
        return this.emit([this.continued(diff, this.lastLocalTs)]);
      case 'synced':
        if (diff.prevSeq !== this.lastUpdateId) return this.broken('pu-mismatch', diff, diff.prevSeq);
        return this.emit([this.continued(diff, this.lastLocalTs)]);
    }
  }

  /**
   * A REST snapshot (parseDepthSnapshot) received at its `localTs`. Emits it with the
   * buffered diffs that follow it; a snapshot older than the buffer is refused (stale) and a
   * newer one is requested. A snapshot while synced replaces the book and restarts the chain.
   */
  onSnapshot(snapshot: DepthUpdate): DepthSyncStep {
    this.checkSymbol(snapshot);
    if (!snapshot.isSnapshot)
      throw new RangeError(`BinanceDepthSync(${this.symbol}): onSnapshot needs isSnapshot`);
    const last = snapshot.seq;
    const held = this.buffer.filter((d) => d.seq >= last);
    const first = held[0];
    if (first !== undefined && first.firstUpdateId > last) {
      // Only awaiting-snapshot and gap hold diffs, so the state stays as it is.
      this.buffer = held;
      const gap = this.gap('stale-snapshot', last, first.firstUpdateId, snapshot.localTs, first.localTs);
      return { events: [], gap, requestSnapshot: true };
    }

    this.buffer = [];
    this.phase = 'bridging';
    this.lastUpdateId = last;
    this.lastLocalTs = snapshot.localTs;
    const events: DepthUpdate[] = [snapshot];
    for (let i = 0; i < held.length; i++) {
      const d = held[i]!;
      // held[0] is the bridge (U ≤ lastUpdateId ≤ u, checked above); the rest must chain.
      if (i > 0 && d.prevSeq !== this.lastUpdateId) {
        const gap = this.gap('pu-mismatch', this.lastUpdateId, d.prevSeq, this.lastLocalTs, d.localTs);
        // The snapshot still goes out (the book is right up to the break); this diff and the
        // rest wait for the next snapshot.
        this.phase = 'gap';
        this.buffer = held.slice(i);
        return { events, gap, requestSnapshot: true };
      }
      events.push(this.continued(d, snapshot.localTs));
    }
    return { events, gap: undefined, requestSnapshot: false };
  }

  /** `diff` as the next link of the chain (bridged to the snapshot if it is the first), now applied. */
  private continued(diff: BinanceDepthDiff, notBefore: Micros): BinanceDepthDiff {
    const bridging = this.phase === 'bridging';
    const prevSeq = bridging ? this.lastUpdateId : diff.prevSeq;
    const localTs = diff.localTs < notBefore ? notBefore : diff.localTs;
    this.phase = 'synced';
    this.lastUpdateId = diff.seq;
    this.lastLocalTs = localTs;
    return prevSeq === diff.prevSeq && localTs === diff.localTs ? diff : { ...diff, prevSeq, localTs };
  }

  private broken(reason: DepthGapReason, diff: BinanceDepthDiff, toUpdateId: number): DepthSyncStep {
    const gap = this.gap(reason, this.lastUpdateId, toUpdateId, this.lastLocalTs, diff.localTs);
    this.phase = 'gap';
    this.buffer = [];
    this.hold(diff);
    return { events: [], gap, requestSnapshot: true };
  }

  private gap(
    reason: DepthGapReason,
    fromUpdateId: number,
    toUpdateId: number,
    a: Micros,
    b: Micros,
  ): DepthGap {
    return {
      exchange: this.exchange,
      symbol: this.symbol,
      stream: 'depth',
      reason,
      fromUpdateId,
      toUpdateId,
      fromTs: Math.min(a, b),
      toTs: Math.max(a, b),
    };
  }

  private emit(events: DepthUpdate[]): DepthSyncStep {
    return { events, gap: undefined, requestSnapshot: false };
  }

  /** Buffers a diff; past the limit the oldest goes (a snapshot newer than it does not need it). */
  private hold(diff: BinanceDepthDiff): void {
    this.buffer.push(diff);
    if (this.buffer.length > this.maxBuffer) this.buffer.shift();
  }

  private checkSymbol(msg: DepthUpdate): void {
    if (msg.symbol !== this.symbol) {
      throw new RangeError(`BinanceDepthSync(${this.symbol}): got a ${msg.symbol} depth message`);
    }
  }
}
