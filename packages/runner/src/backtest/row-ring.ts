/**
 * The replay window: rows read from the tick store (in local-time order) that the local side
 * has not consumed yet, stored column-wise in preallocated typed arrays, plus their order in
 * exchange time.
 *
 * Why: the simulated exchange must see each row at `exch_ts`, the strategy at `local_ts`, and
 * the file is sorted by `local_ts` only. A row not yet read has local_ts ≥ L (the next unread
 * local time), hence exch_ts ≥ L − maxFeedLatency; so once the window reaches past
 * t + maxFeedLatency, every row with exch_ts ≤ t is in it.
 *
 * Exchange order is a k-way merge. Each stream (symbol × event kind: one WebSocket stream) is
 * delivered in order, so its rows are already sorted by exch_ts: they are linked into a FIFO
 * per stream (O(1) per row), and a tiny heap over the streams' heads (k ≈ 3 per symbol) picks
 * the earliest. Across streams 18–33% of rows are out of exch_ts order in typical data, but
 * within a stream none are; a row that does go back in time within its stream (e.g. data
 * merged from two connections) falls back to a general heap. Ties break by file order (the
 * global row number g, slot = g & mask). No per-row allocation: arrays grow by doubling only
 * when the window outgrows them.
 */
export class RowRing {
  private mask: number;
  kind: Uint8Array;
  sym: Uint16Array;
  side: Int8Array;
  flags: Uint8Array;
  exchTs: Float64Array;
  localTs: Float64Array;
  seq: Float64Array;
  prevSeq: Float64Array;
  price: Float64Array;
  qty: Float64Array;
  price2: Float64Array;
  qty2: Float64Array;
  /** Per row: g of the next row of the same stream, or −1. */
  private next: Float64Array;
  /** Next g to write; rows [tail, head) are in the window. */
  head = 0;
  tail = 0;

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
    this.kind = new Uint8Array(capacityPow2);
    this.sym = new Uint16Array(capacityPow2);
    this.side = new Int8Array(capacityPow2);
    this.flags = new Uint8Array(capacityPow2);
    this.exchTs = new Float64Array(capacityPow2);
    this.localTs = new Float64Array(capacityPow2);
    this.seq = new Float64Array(capacityPow2);
    this.prevSeq = new Float64Array(capacityPow2);
    this.price = new Float64Array(capacityPow2);
    this.qty = new Float64Array(capacityPow2);
    this.price2 = new Float64Array(capacityPow2);
    this.qty2 = new Float64Array(capacityPow2);
    this.next = new Float64Array(capacityPow2);
    this.late = new Float64Array(capacityPow2);
    const streamSlots = Math.max(1, symbolCount) * 8;
    this.streamHead = new Float64Array(streamSlots).fill(-1);
    this.streamTail = new Float64Array(streamSlots).fill(-1);
    this.streams = new Int32Array(streamSlots);
  }

  slot(g: number): number {
    return g & this.mask;
  }

  /** Reserves the next slot (growing if full); the caller fills its columns, then calls commitExchange(g). */
  pushSlot(): number {
    if (this.head - this.tail > this.mask) this.grow();
    const g = this.head++;
    return g & this.mask;
  }

  /** Queues row g (its columns written) for the exchange side. */
  commitExchange(g: number): void {
    const mask = this.mask;
    const s = g & mask;
    this.next[s] = -1;
    this.queued++;
    const stream = this.sym[s]! * 8 + this.kind[s]!;
    const last = this.streamTail[stream]!;
    if (last < 0) {
      this.streamHead[stream] = g;
      this.streamTail[stream] = g;
      this.streamsPush(stream);
    } else if (this.exchTs[last & mask]! <= this.exchTs[s]!) {
      this.next[last & mask] = g;
      this.streamTail[stream] = g;
    } else {
      this.latePush(g);
    }
  }

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

  /** Removes and returns the slot of the earliest exchange-side row (ties: file order). */
  popExchange(): number {
    this.queued--;
    if (this.lateCount > 0) {
      const lg = this.late[0]!;
      if (this.streamCount === 0 || this.before(lg, this.streamHead[this.streams[0]!]!))
        return this.latePop() & this.mask;
    }
    const stream = this.streams[0]!;
    const g = this.streamHead[stream]!;
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
    return g & this.mask;
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
    const move = <T extends Uint8Array | Uint16Array | Int8Array | Float64Array>(
      src: T,
      make: (n: number) => T,
    ): T => {
      const dst = make(cap);
      for (let g = this.tail; g < this.head; g++) dst[g & newMask] = src[g & oldMask]!;
      return dst;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.kind = move(this.kind, (n) => new Uint8Array(n));
    this.sym = move(this.sym, (n) => new Uint16Array(n));
    this.side = move(this.side, (n) => new Int8Array(n));
    this.flags = move(this.flags, (n) => new Uint8Array(n));
    this.exchTs = move(this.exchTs, f64);
    this.localTs = move(this.localTs, f64);
    this.seq = move(this.seq, f64);
    this.prevSeq = move(this.prevSeq, f64);
    this.price = move(this.price, f64);
    this.qty = move(this.qty, f64);
    this.price2 = move(this.price2, f64);
    this.qty2 = move(this.qty2, f64);
    this.next = move(this.next, f64);
    const late = new Float64Array(cap);
    late.set(this.late.subarray(0, this.lateCount));
    this.late = late;
    this.mask = newMask;
  }
}
