import type { EventBatch } from './event-batch.js';

/**
 * The writer's growable columnar buffer of `events` rows. Rows are pushed as plain numbers
 * into typed arrays (no per-row objects), and the whole buffer is an `EventBatch`, so the
 * chunk appender and the decoder read it like a replay batch.
 */
export class EventRowBuffer implements EventBatch {
  length = 0;
  kind: Uint8Array;
  sym: Uint16Array;
  exchTs: Float64Array;
  localTs: Float64Array;
  seq: Float64Array;
  prevSeq: Float64Array;
  flags: Uint8Array;
  side: Int8Array;
  price: Float64Array;
  qty: Float64Array;
  price2: Float64Array;
  qty2: Float64Array;

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.sym = new Uint16Array(capacity);
    this.exchTs = new Float64Array(capacity);
    this.localTs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.prevSeq = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.side = new Int8Array(capacity);
    this.price = new Float64Array(capacity);
    this.qty = new Float64Array(capacity);
    this.price2 = new Float64Array(capacity);
    this.qty2 = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.kind.length;
  }

  push(
    kind: number,
    sym: number,
    exchTs: number,
    localTs: number,
    seq: number,
    prevSeq: number,
    flags: number,
    side: number,
    price: number,
    qty: number,
    price2: number,
    qty2: number,
  ): void {
    if (this.length === this.kind.length) this.grow();
    const i = this.length++;
    this.kind[i] = kind;
    this.sym[i] = sym;
    this.exchTs[i] = exchTs;
    this.localTs[i] = localTs;
    this.seq[i] = seq;
    this.prevSeq[i] = prevSeq;
    this.flags[i] = flags;
    this.side[i] = side;
    this.price[i] = price;
    this.qty[i] = qty;
    this.price2[i] = price2;
    this.qty2[i] = qty2;
  }

  clear(): void {
    this.length = 0;
  }

  /** Only a single message larger than the flush threshold (a deep snapshot) gets here. */
  private grow(): void {
    const n = Math.max(16, this.kind.length * 2);
    const widen = <T extends Uint8Array | Uint16Array | Int8Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
    this.sym = widen(this.sym, (n) => new Uint16Array(n));
    this.exchTs = widen(this.exchTs, (n) => new Float64Array(n));
    this.localTs = widen(this.localTs, (n) => new Float64Array(n));
    this.seq = widen(this.seq, (n) => new Float64Array(n));
    this.prevSeq = widen(this.prevSeq, (n) => new Float64Array(n));
    this.flags = widen(this.flags, (n) => new Uint8Array(n));
    this.side = widen(this.side, (n) => new Int8Array(n));
    this.price = widen(this.price, (n) => new Float64Array(n));
    this.qty = widen(this.qty, (n) => new Float64Array(n));
    this.price2 = widen(this.price2, (n) => new Float64Array(n));
    this.qty2 = widen(this.qty2, (n) => new Float64Array(n));
  }
}
