import { describe, expect, it } from 'vitest';
import { encodeEvent } from '../encode-event.js';
import type { EventBatch } from '../event-batch.js';
import { EventRowBuffer } from '../event-row-buffer.js';
import { BTC, ETH, FAULTS } from './inspect.test-support.js';
import { createRowChecks } from './row-checks.js';

// The checks are pure over rows: no store needed, and batch boundaries must not matter.
const INSTRUMENTS = [
  { sym: 0, instrument: BTC },
  { sym: 1, instrument: ETH },
];

function encode(): EventRowBuffer {
  const rows = new EventRowBuffer(64);
  for (const e of FAULTS) encodeEvent(rows, e, e.symbol === BTC.symbol ? 0 : 1);
  return rows;
}

function slice(b: EventBatch, from: number, to: number): EventBatch {
  return {
    length: to - from,
    kind: b.kind.subarray(from, to),
    sym: b.sym.subarray(from, to),
    exchTs: b.exchTs.subarray(from, to),
    localTs: b.localTs.subarray(from, to),
    seq: b.seq.subarray(from, to),
    prevSeq: b.prevSeq.subarray(from, to),
    flags: b.flags.subarray(from, to),
    side: b.side.subarray(from, to),
    price: b.price.subarray(from, to),
    qty: b.qty.subarray(from, to),
    price2: b.price2.subarray(from, to),
    qty2: b.qty2.subarray(from, to),
  };
}

describe('row checks', () => {
  it('give the same results fed one row at a time as fed one batch (depth messages split across batches)', () => {
    const rows = encode();
    const whole = createRowChecks(INSTRUMENTS);
    for (const c of whole) c.feed(rows, 0);
    const split = createRowChecks(INSTRUMENTS);
    for (let i = 0; i < rows.length; i++) for (const c of split) c.feed(slice(rows, i, i + 1), i);
    expect(split.map((c) => c.result())).toEqual(whole.map((c) => c.result()));
    expect(whole.map((c) => [c.result().id, c.result().count])).toEqual([
      ['depth-sequence', 2],
      ['crossed-book-ticker', 1],
      ['crossed-depth-book', 1],
      ['local-ts-order', 0],
      ['exch-ts-within-stream', 1],
      ['exch-ts-across-streams', 0],
      ['clock-skew', 1],
      ['missing-instruments', 0],
    ]);
  });

  it('skip the local book of a symbol without an instrument (no tick size) but count its rows as orphans', () => {
    const checks = createRowChecks([INSTRUMENTS[0]!]);
    for (const c of checks) c.feed(encode(), 0);
    const results = Object.fromEntries(checks.map((c) => [c.result().id, c.result()]));
    expect(results['crossed-depth-book']?.count).toBe(1);
    expect(results['missing-instruments']?.count).toBe(1);
    expect(results['missing-instruments']?.examples[0]?.detail).toBe(
      'sym 1 has no instruments row; 4 rows reference it',
    );
    expect(results['depth-sequence']?.examples[1]?.detail).toBe(
      '(sym 1, no instrument) diff seq 5 before any snapshot',
    );
  });
});
