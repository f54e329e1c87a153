import { describe, expect, it } from 'vitest';
import { SyntheticBook } from './synthetic-book.js';

const drain = (book: SyntheticBook, side: 1 | -1, all = false): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  const push = (tick: number, steps: number) => out.push([tick, steps]);
  if (all) book.drainAll(side, push);
  else book.drainChanges(side, push);
  return out;
};

describe('SyntheticBook', () => {
  it('tracks the best level and the update id', () => {
    const book = new SyntheticBook(100, 5000);
    book.set(1, 4999, 3);
    book.set(1, 4997, 2);
    book.set(-1, 5001, 4);
    book.set(-1, 5004, 1);
    expect([book.bestBid, book.bestAsk, book.updateId]).toEqual([4999, 5001, 104]);
    book.set(1, 4999, 0);
    book.set(-1, 5001, 0);
    expect([book.bestBid, book.bestAsk]).toEqual([4997, 5004]);
    book.set(1, 4997, 2); // unchanged: no update
    expect(book.updateId).toBe(106);
    expect(book.next(1, 4997)).toBeNaN();
  });

  it('publishes only net changes, best first, and snapshots every level', () => {
    const book = new SyntheticBook(0, 5000);
    book.set(1, 4999, 3);
    book.set(1, 4998, 2);
    book.set(-1, 5001, 4);
    book.set(-1, 5002, 5);
    expect(drain(book, 1, true)).toEqual([
      [4999, 3],
      [4998, 2],
    ]);
    expect(drain(book, -1, true)).toEqual([
      [5001, 4],
      [5002, 5],
    ]);
    book.set(1, 4998, 7);
    book.set(1, 4999, 0);
    book.set(1, 4996, 1);
    book.set(1, 4996, 0); // added and removed again: no net change
    book.set(-1, 5002, 6);
    book.set(-1, 5002, 5); // changed back
    expect(drain(book, 1)).toEqual([
      [4999, 0],
      [4998, 7],
    ]);
    expect(drain(book, -1)).toEqual([]);
    expect(drain(book, 1)).toEqual([]);
  });

  it('works far from its origin', () => {
    const book = new SyntheticBook(0, 10);
    book.set(1, 1_000_000, 1);
    book.set(1, 999_990, 2);
    book.set(-1, 1_000_001, 1);
    book.set(1, 1_000_000, 0);
    expect(book.bestBid).toBe(999_990);
    expect(book.get(1, 999_990)).toBe(2);
  });
});
