import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../data/event-batch.js';
import { RowWindow } from './row-window.js';

/** A batch of rows given as [kind, exchTs, localTs]; the other columns are irrelevant here. */
function batch(rows: ReadonlyArray<readonly [kind: number, exchTs: number, localTs: number]>): EventBatch {
  const n = rows.length;
  const f64 = () => new Float64Array(n);
  const b: EventBatch = {
    length: n,
    kind: Uint8Array.from(rows.map((r) => r[0])),
    sym: new Uint16Array(n),
    exchTs: Float64Array.from(rows.map((r) => r[1])),
    localTs: Float64Array.from(rows.map((r) => r[2])),
    seq: Float64Array.from(rows.map((_, i) => i)), // file position, to identify rows
    prevSeq: f64(),
    flags: new Uint8Array(n),
    side: new Int8Array(n),
    price: f64(),
    qty: f64(),
    price2: f64(),
    qty2: f64(),
  };
  return b;
}

/** Adds every row of the batches, then pops the exchange side dry: returns (exchTs, file index). */
function exchangeOrder(batches: EventBatch[]): Array<[number, number]> {
  const w = new RowWindow(1, 4); // tiny capacity: exercises growth
  let base = 0;
  const bases = new Map<EventBatch, number>();
  for (const b of batches) {
    w.addBatch(b);
    bases.set(b, base);
    for (let i = 0; i < b.length; i++) w.add(b, i);
    base += b.length;
  }
  const out: Array<[number, number]> = [];
  while (w.exchangeSize > 0) {
    w.popExchange();
    out.push([w.foundBatch.exchTs[w.foundIndex]!, bases.get(w.foundBatch)! + w.foundIndex]);
  }
  return out;
}

describe('RowWindow exchange order', () => {
  it('merges streams by exch_ts, ties in file order, an in-stream inversion included', () => {
    // trade stream (kind 1): 10, 30, 20 (the 20 goes back in time within its stream)
    // depth stream (kind 2): 15, 30
    const order = exchangeOrder([
      batch([
        [1, 10, 11],
        [2, 15, 16],
        [1, 30, 31],
      ]),
      batch([
        [1, 20, 32],
        [2, 30, 33],
      ]),
    ]);
    expect(order).toEqual([
      [10, 0],
      [15, 1],
      [20, 3],
      [30, 2],
      [30, 4],
    ]);
  });

  it('always pops a stable sort of the rows by exch_ts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 50 })), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 40 }),
        (rows, size) => {
          const all = rows.map(([kind, ex]) => [kind, ex, ex] as const);
          const batches: EventBatch[] = [];
          for (let i = 0; i < all.length; i += size) batches.push(batch(all.slice(i, i + size)));
          const expected = all
            .map((r, i) => [r[1], i] as [number, number])
            .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(exchangeOrder(batches)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('RowWindow local side', () => {
  it('walks rows across batches and keeps a batch whose row the exchange side still needs', () => {
    const w = new RowWindow(1, 4);
    // Row 1 is clock-skewed: local 5 < exch 50, so the local side passes it first.
    const a = batch([
      [1, 1, 2],
      [1, 50, 5],
    ]);
    const b = batch([[1, 6, 7]]);
    w.addBatch(a);
    w.add(a, 0);
    w.add(a, 1);
    w.addBatch(b);
    w.add(b, 0);
    const seen: number[] = [];
    w.popExchange(); // exch 1
    for (let k = 0; k < 2; k++) {
      seen.push(w.peekLocalTs());
      w.advanceLocal(); // local 2, then local 5 (moves into batch b)
    }
    w.popExchange(); // exch 6 (batch b)
    w.popExchange(); // exch 50: still found, in batch a
    expect(w.foundBatch).toBe(a);
    expect(w.foundIndex).toBe(1);
    expect(seen).toEqual([2, 5]);
    expect(w.peekLocalTs()).toBe(7);
  });
});
