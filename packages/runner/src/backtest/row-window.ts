import type { EventBatch } from '../data/event-batch.js';

/**
 * The replay window: rows read from the tick store (in local-time order) that the local side
 * has not consumed yet, and their order in exchange time.
 *
 * Why: the simulated exchange must see each row at `exch_ts`, the strategy at `local_ts`, and
 * the file is sorted by `local_ts` only. A row not yet read has local_ts ≥ L (the next unread
 * local time), hence exch_ts ≥ L − maxFeedLatency; so once the window reaches past
 * t + maxFeedLatency, every row with exch_ts ≤ t is in it.
 *
 * Rows stay in the reader's columnar batches (immutable, so no copy): a row is named by its
 * global number g and found in the batch whose range holds it. Only what the exchange-time
 * merge compares is kept per row here, in rings indexed by g & mask: exch_ts and a link.
 *
 * Exchange order is a k-way merge. Each stream (symbol × event kind: one WebSocket stream) is
 * delivered in order, so its rows are already sorted by exch_ts: they are linked into a FIFO
 * per stream (O(1) per row), and a tiny heap over the streams' heads (k ≈ 3 per symbol) picks
 * the earliest. Across streams 18–33% of rows are out of exch_ts order in typical data, but
 * within a stream none are; a row that does go back in time within its stream (e.g. data
 * merged from two connections) falls back to a general heap. Ties break by file order (g).
 */
export class RowWindow {
  private mask: number;
  private exchTs: Float64Array;
  /** Per row: g of the next row of the same stream, or −1. */
  private next: Float64Array;
  /** Next g to add; rows [tail, head) are in the window. */
  head = 0;
  tail = 0;

  // Batches holding the window's rows, oldest at `first`; `bases[k]` is batch k's first g.
  private readonly batches: EventBatch[] = [];
  private readonly bases: number[] = [];
  private first = 0;
  /** The local cursor: batch index and row index of g = tail. */
  private localK = 0;
  /** Row index of the local cursor within its batch. */
  localIndex = 0;

  /** Where `locate` found a row: its batch and index. */
  foundBatch!: EventBatch;
  foundIndex = 0;

  // Per stream (sym × 8 + kind): first and last queued g, −1 when empty.
  private readonly streamHead: Float64Array;
  private readonly streamTail: Float64Array;
  /** Min-heap of non-empty stream ids, keyed by their head row. */
  private readonly streams: Int32Array;
  private streamCount = 0;

  /** Fallback min-heap of g for rows that went back in time within their stream. */
  private late: Float64Array;
  private lateCount = 0;
  private queued = 0;

  constructor(symbolCount: number, capacityPow2 = 1 << 12) {
    this.mask = capacityPow2 - 1;
    this.exchTs = new Float64Array(capacityPow2);
    this.next = new Float64Array(capacityPow2);
    this.late = new Float64Array(capacityPow2);
    const streamSlots = Math.max(1, symbolCount) * 8;
    this.streamHead = new Float64Array(streamSlots).fill(-1);
    this.streamTail = new Float64Array(streamSlots).fill(-1);
    this.streams = new Int32Array(streamSlots);
  }

  /** A new batch whose rows will be added in order with `add`. */
  addBatch(b: EventBatch): void {
    this.batches.push(b);
    this.bases.push(this.head);
  }

  /** Adds row i of the newest batch to the window and queues it for the exchange side. */
  add(b: EventBatch, i: number): void {
    if (this.head - this.tail > this.mask) this.grow();
    const g = this.head++;
    const mask = this.mask;
    const s = g & mask;
    const ts = b.exchTs[i]!;
    this.exchTs[s] = ts;
    this.next[s] = -1;
    this.queued++;
    const stream = b.sym[i]! * 8 + b.kind[i]!;
    const last = this.streamTail[stream]!;
    if (last < 0) {
      this.streamHead[stream] = g;
      this.streamTail[stream] = g;
      this.streamsPush(stream);
    } else if (this.exchTs[last & mask]! <= ts) {
      this.next[last & mask] = g;
      this.streamTail[stream] = g;
    } else {
      this.latePush(g);
    }
  }

  // ── local side ──────────────────────────────────────────────────────────────────────────

  /** The batch of the local cursor (valid while tail < head). */
  localBatch(): EventBatch {
    return this.batches[this.localK]!;
  }

  /** local_ts of the next row for the local side; +Infinity when none is in the window. */
  peekLocalTs(): number {
    return this.tail < this.head
      ? this.batches[this.localK]!.localTs[this.localIndex]!
      : Number.POSITIVE_INFINITY;
  }

  /** Moves the local cursor past the row it was on; drops batches both sides are done with. */
  advanceLocal(): void {
    this.tail++;
    if (++this.localIndex < this.batches[this.localK]!.length) return;
    this.localK++;
    this.localIndex = 0;
    // Drop the batches both sides are done with. Normally the exchange side has handled every
    // row behind the local cursor (exch_ts ≤ local_ts, ties to the exchange), but a row with
    // clock skew (local_ts < exch_ts) may still be queued: keep its batch.
    const keepFrom = Math.min(this.tail, this.oldestQueued());
    while (
      this.first < this.localK &&
      this.bases[this.first]! + this.batches[this.first]!.length <= keepFrom
    ) {
      this.first++;
    }
    if (this.first > 64) {
      this.batches.splice(0, this.first);
      this.bases.splice(0, this.first);
      this.localK -= this.first;
      this.first = 0;
    }
  }

  /** Smallest g still queued for the exchange side (+Infinity if none); once per batch. */
  private oldestQueued(): number {
    let g = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.streamCount; i++) g = Math.min(g, this.streamHead[this.streams[i]!]!);
    for (let i = 0; i < this.lateCount; i++) g = Math.min(g, this.late[i]!);
    return g;
  }

  // ── exchange side ───────────────────────────────────────────────────────────────────────

  get exchangeSize(): number {
    return this.queued;
  }

  /** exch_ts of the earliest row the exchange side has not processed; +Infinity if none. */
  peekExchangeTs(): number {
    const a =
      this.streamCount > 0
        ? this.exchTs[this.streamHead[this.streams[0]!]! & this.mask]!
        : Number.POSITIVE_INFINITY;
    const b = this.lateCount > 0 ? this.exchTs[this.late[0]! & this.mask]! : Number.POSITIVE_INFINITY;
    return Math.min(a, b);
  }

  /** Removes the earliest exchange-side row (ties: file order) and locates it (foundBatch/foundIndex). */
  popExchange(): void {
    this.queued--;
    let g: number;
    if (
      this.lateCount > 0 &&
      (this.streamCount === 0 || this.before(this.late[0]!, this.streamHead[this.streams[0]!]!))
    ) {
      g = this.latePop();
    } else {
      const stream = this.streams[0]!;
      g = this.streamHead[stream]!;
      const nextG = this.next[g & this.mask]!;
      if (nextG < 0) {
        this.streamHead[stream] = -1;
        this.streamTail[stream] = -1;
        const lastStream = this.streams[--this.streamCount]!;
        if (this.streamCount > 0) this.streamsSiftDown(0, lastStream);
      } else {
        this.streamHead[stream] = nextG;
        this.streamsSiftDown(0, stream);
      }
    }
    // The window spans a few batches: walk from the oldest.
    let k = this.first;
    while (g >= this.bases[k]! + this.batches[k]!.length) k++;
    this.foundBatch = this.batches[k]!;
    this.foundIndex = g - this.bases[k]!;
  }

  /** Row order on the exchange side: exch_ts, then file order. */
  private before(ga: number, gb: number): boolean {
    const ta = this.exchTs[ga & this.mask]!;
    const tb = this.exchTs[gb & this.mask]!;
    return ta < tb || (ta === tb && ga < gb);
  }

  private streamsPush(stream: number): void {
    const heap = this.streams;
    let i = this.streamCount++;
    const g = this.streamHead[stream]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(g, this.streamHead[heap[p]!]!)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = stream;
  }

  private streamsSiftDown(i: number, stream: number): void {
    const heap = this.streams;
    const n = this.streamCount;
    const g = this.streamHead[stream]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      const r = l + 1;
      if (r < n && this.before(this.streamHead[heap[r]!]!, this.streamHead[heap[l]!]!)) c = r;
      if (!this.before(this.streamHead[heap[c]!]!, g)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = stream;
  }

  private latePush(g: number): void {
    const heap = this.late;
    let i = this.lateCount++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(g, heap[p]!)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = g;
  }

  private latePop(): number {
    const heap = this.late;
    const top = heap[0]!;
    const last = heap[--this.lateCount]!;
    const n = this.lateCount;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        let c = l;
        if (l + 1 < n && this.before(heap[l + 1]!, heap[l]!)) c = l + 1;
        if (!this.before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  private grow(): void {
    const oldMask = this.mask;
    const cap = (oldMask + 1) * 2;
    const newMask = cap - 1;
    const exchTs = new Float64Array(cap);
    const next = new Float64Array(cap);
    for (let g = this.tail; g < this.head; g++) {
      exchTs[g & newMask] = this.exchTs[g & oldMask]!;
      next[g & newMask] = this.next[g & oldMask]!;
    }
    this.exchTs = exchTs;
    this.next = next;
    const late = new Float64Array(cap);
    late.set(this.late.subarray(0, this.lateCount));
    this.late = late;
    this.mask = newMask;
  }
}
