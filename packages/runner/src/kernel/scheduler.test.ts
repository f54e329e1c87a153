import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Scheduled, Scheduler } from './scheduler.js';

/** A timer item whose name labels it, so pops can be identified. */
const item = (ts: number, name: string): Scheduled => ({
  kind: 'timer',
  ts,
  name,
  generation: 0,
  everyUs: 0,
});

const label = (s: Scheduled | undefined): string | undefined =>
  s === undefined ? undefined : s.kind === 'timer' ? s.name : s.kind;

function drain(s: Scheduler): string[] {
  const out: string[] = [];
  for (let x = s.pop(); x !== undefined; x = s.pop()) out.push(label(x)!);
  return out;
}

describe('Scheduler', () => {
  it('is empty at first: size 0, nextTs +Infinity, pop undefined', () => {
    const s = new Scheduler();
    expect(s.size).toBe(0);
    expect(s.nextTs()).toBe(Number.POSITIVE_INFINITY);
    expect(s.pop()).toBeUndefined();
  });

  it('pops in ts order whatever the push order', () => {
    const s = new Scheduler();
    for (const [ts, n] of [
      [30, 'c'],
      [10, 'a'],
      [50, 'e'],
      [20, 'b'],
      [40, 'd'],
    ] as const) {
      s.push(item(ts, n));
    }
    expect(s.size).toBe(5);
    expect(s.nextTs()).toBe(10);
    expect(drain(s)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.size).toBe(0);
    expect(s.nextTs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps FIFO order among equal timestamps (also across kinds)', () => {
    const s = new Scheduler();
    s.push(item(5, 'x1'));
    s.push(item(1, 'early'));
    s.push(item(5, 'x2'));
    s.push({
      kind: 'report',
      ts: 5,
      report: { kind: 'canceled', clientOrderId: 'o', exchTs: 4 },
    });
    s.push(item(5, 'x4'));
    s.push(item(5, 'x5'));
    // ts 1 first, then the four ts-5 items and the report in push order.
    expect(drain(s)).toEqual(['early', 'x1', 'x2', 'report', 'x4', 'x5']);
  });

  it('keeps FIFO among many equal timestamps (heap sift paths)', () => {
    const s = new Scheduler();
    const names: string[] = [];
    for (let i = 0; i < 100; i++) {
      names.push(`n${i}`);
      s.push(item(7, `n${i}`));
    }
    expect(drain(s)).toEqual(names);
  });

  it('handles interleaved push and pop; items pushed later at an earlier ts come first', () => {
    const s = new Scheduler();
    s.push(item(10, 'a'));
    s.push(item(20, 'b'));
    expect(label(s.pop())).toBe('a');
    s.push(item(15, 'c')); // before b (20)
    s.push(item(20, 'd')); // same ts as b, pushed after b
    expect(s.nextTs()).toBe(15);
    expect(label(s.pop())).toBe('c');
    s.push(item(5, 'e')); // earlier than everything left (the heap does not know "now")
    expect(s.nextTs()).toBe(5);
    expect(label(s.pop())).toBe('e');
    expect(label(s.pop())).toBe('b');
    s.push(item(20, 'f'));
    expect(drain(s)).toEqual(['d', 'f']);
    expect(s.pop()).toBeUndefined();
  });

  it('returns the same item object it was given', () => {
    const s = new Scheduler();
    const x = item(3, 'x');
    s.push(x);
    expect(s.pop()).toBe(x);
  });

  it('property: popping everything is a stable sort of the pushes by ts', () => {
    fc.assert(
      fc.property(
        // Few distinct timestamps so ties are common; ops interleave pushes (ts) and pops (null).
        fc.array(fc.option(fc.integer({ min: 0, max: 8 }), { nil: null, freq: 4 }), { maxLength: 200 }),
        (ops) => {
          const s = new Scheduler();
          // Reference model: a list kept sorted by (ts, push index) — a stable sort.
          const model: { ts: number; id: string }[] = [];
          let n = 0;
          for (const op of ops) {
            if (op === null) {
              model.sort((a, b) => a.ts - b.ts); // Array.prototype.sort is stable
              const want = model.shift();
              expect(label(s.pop())).toBe(want?.id);
            } else {
              const id = `i${n++}`;
              s.push(item(op, id));
              model.push({ ts: op, id });
            }
            expect(s.size).toBe(model.length);
            expect(s.nextTs()).toBe(
              model.length ? Math.min(...model.map((m) => m.ts)) : Number.POSITIVE_INFINITY,
            );
          }
          model.sort((a, b) => a.ts - b.ts);
          expect(drain(s)).toEqual(model.map((m) => m.id));
        },
      ),
      { numRuns: 300 },
    );
  });
});
