import { describe, expect, it } from 'vitest';
import { StreamMerger } from './stream-merger.js';

describe('StreamMerger', () => {
  it('releases events in localTs order up to the horizon, ties in production order', () => {
    const m = new StreamMerger<{ localTs: number; id: string }>(3);
    m.push(0, { localTs: 5, id: 'a' });
    m.push(1, { localTs: 3, id: 'b' });
    m.push(2, { localTs: 5, id: 'c' });
    m.push(0, { localTs: 9, id: 'd' });
    m.push(1, { localTs: 5, id: 'e' });
    const out: string[] = [];
    for (let ev = m.next(5); ev; ev = m.next(5)) out.push(ev.id);
    expect(out).toEqual(['b', 'a', 'c', 'e']);
    expect(m.next(8)).toBeUndefined();
    expect(m.next(9)?.id).toBe('d');
    expect(m.next(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('keeps order through long queues', () => {
    const m = new StreamMerger<{ localTs: number }>(2);
    for (let i = 0; i < 20_000; i++) m.push(i % 2, { localTs: i });
    let last = -1;
    for (let i = 0; i < 20_000; i++) {
      const ev = m.next(Number.POSITIVE_INFINITY);
      expect(ev?.localTs).toBe(last + 1);
      last = ev!.localTs;
      if (i % 3 === 0) m.push(i % 2, { localTs: 20_000 + i });
    }
  });
});
