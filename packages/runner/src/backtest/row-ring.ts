/**
 * The replay window: rows read from the tick store (in local-time order) that the local side
 * has not consumed yet, stored column-wise in preallocated typed arrays, plus a min-heap over
 * the same rows keyed by exchange time.
 *
 * Why: the simulated exchange must see each row at `exch_ts`, the strategy at `local_ts`, and
 * the file is sorted by `local_ts` only. A row not yet read has local_ts ≥ L (the next unread
 * local time), hence exch_ts ≥ L − maxFeedLatency; so once the window reaches past
 * t + maxFeedLatency, every row with exch_ts ≤ t is in the heap. Rows are addressed by their
 * global sequence number g (slot = g & mask), which also breaks exch_ts ties in file order.
 * No per-row allocation: the arrays grow by doubling only when the window outgrows them.
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
  /** Next g to write; rows [tail, head) are in the window. */
  head = 0;
  tail = 0;
  private heap: Float64Array;
  private heapSize = 0;

  constructor(capacityPow2 = 1 << 12) {
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
    this.heap = new Float64Array(capacityPow2);
  }

  slot(g: number): number {
    return g & this.mask;
  }

  /** Reserves the next slot (growing if full) and enqueues it for the exchange side; the caller fills the columns. */
  pushSlot(): number {
    if (this.head - this.tail > this.mask) this.grow();
    const g = this.head++;
    return g & this.mask;
  }

  /** After the caller has written a slot's columns: make it visible to the exchange side. */
  commitExchange(g: number): void {
    const heap = this.heap;
    let i = this.heapSize++;
    const ts = this.exchTs[g & this.mask]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pg = heap[p]!;
      const pts = this.exchTs[pg & this.mask]!;
      if (pts < ts || (pts === ts && pg < g)) break;
      heap[i] = pg;
      i = p;
    }
    heap[i] = g;
  }

  get exchangeSize(): number {
    return this.heapSize;
  }

  /** exch_ts of the earliest row the exchange side has not processed; +Infinity if none. */
  peekExchangeTs(): number {
    return this.heapSize > 0 ? this.exchTs[this.heap[0]! & this.mask]! : Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the slot of the earliest exchange-side row. */
  popExchange(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.heapSize]!;
    const n = this.heapSize;
    if (n > 0) {
      const lts = this.exchTs[last & this.mask]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        let c = l;
        let cg = heap[l]!;
        let cts = this.exchTs[cg & this.mask]!;
        const r = l + 1;
        if (r < n) {
          const rg = heap[r]!;
          const rts = this.exchTs[rg & this.mask]!;
          if (rts < cts || (rts === cts && rg < cg)) {
            c = r;
            cg = rg;
            cts = rts;
          }
        }
        if (lts < cts || (lts === cts && last < cg)) break;
        heap[i] = cg;
        i = c;
      }
      heap[i] = last;
    }
    return top & this.mask;
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
    this.kind = move(this.kind, (n) => new Uint8Array(n));
    this.sym = move(this.sym, (n) => new Uint16Array(n));
    this.side = move(this.side, (n) => new Int8Array(n));
    this.flags = move(this.flags, (n) => new Uint8Array(n));
    this.exchTs = move(this.exchTs, (n) => new Float64Array(n));
    this.localTs = move(this.localTs, (n) => new Float64Array(n));
    this.seq = move(this.seq, (n) => new Float64Array(n));
    this.prevSeq = move(this.prevSeq, (n) => new Float64Array(n));
    this.price = move(this.price, (n) => new Float64Array(n));
    this.qty = move(this.qty, (n) => new Float64Array(n));
    this.price2 = move(this.price2, (n) => new Float64Array(n));
    this.qty2 = move(this.qty2, (n) => new Float64Array(n));
    const heap = new Float64Array(cap);
    heap.set(this.heap.subarray(0, this.heapSize));
    this.heap = heap;
    this.mask = newMask;
  }
}
