import { describe, expect, it } from 'vitest';
import { BTC } from './kernel.test-support.js';
import { FLAG_FIRST, FLAG_LAST, FLAG_SNAPSHOT, MarketDataEngine } from './market-data-engine.js';

const ONE_ROW_SNAPSHOT = FLAG_SNAPSHOT | FLAG_FIRST | FLAG_LAST;
const ONE_ROW_DIFF = FLAG_FIRST | FLAG_LAST;

describe('MarketDataEngine book sync (prevSeq chain)', () => {
  it('stays in sync while each diff follows the previous message', () => {
    const m = new MarketDataEngine([BTC]);
    m.depthRow(0, 1, 100, 1, ONE_ROW_SNAPSHOT, 10, 9, 0, 1);
    m.depthRow(0, 1, 100, 2, ONE_ROW_DIFF, 15, 10, 0, 2); // update ids need not be consecutive
    m.depthRow(0, -1, 101, 2, ONE_ROW_DIFF, 22, 15, 0, 3);
    expect(m.gapCount).toBe(0);
    expect(m.books[0]!.seq).toBe(22);
  });

  it('counts one gap per loss of sync, until the next snapshot', () => {
    const m = new MarketDataEngine([BTC]);
    m.depthRow(0, 1, 100, 1, ONE_ROW_SNAPSHOT, 10, 9, 0, 1);
    m.depthRow(0, 1, 100, 2, ONE_ROW_DIFF, 15, 12, 0, 2); // expected prevSeq 10, got 12
    m.depthRow(0, 1, 100, 3, ONE_ROW_DIFF, 16, 15, 0, 3); // still out of sync: not counted again
    expect(m.gapCount).toBe(1);
    expect(m.gaps[0]).toEqual({ symbol: 'BTCUSDT', localTs: 2, bookSeq: 10, prevSeq: 12 });
    m.depthRow(0, 1, 100, 1, ONE_ROW_SNAPSHOT, 30, 29, 0, 4); // resync
    m.depthRow(0, 1, 100, 1, ONE_ROW_DIFF, 31, 30, 0, 5);
    expect(m.gapCount).toBe(1);
    m.depthRow(0, 1, 100, 1, ONE_ROW_DIFF, 40, 35, 0, 6);
    expect(m.gapCount).toBe(2);
  });

  it('counts diffs before any snapshot as a gap (the book has no base)', () => {
    const m = new MarketDataEngine([BTC]);
    m.depthRow(0, 1, 100, 1, ONE_ROW_DIFF, 5, 4, 0, 1);
    expect(m.gapCount).toBe(1);
    expect(m.gaps[0]!.bookSeq).toBeNaN();
  });

  it('checks the chain once per message, on its first row', () => {
    const m = new MarketDataEngine([BTC]);
    m.depthRow(0, 1, 100, 1, ONE_ROW_SNAPSHOT, 10, 9, 0, 1);
    m.depthRow(0, 1, 100, 2, FLAG_FIRST, 11, 10, 0, 2);
    m.depthRow(0, -1, 101, 2, 0, 11, 10, 0, 2);
    m.depthRow(0, -1, 102, 2, FLAG_LAST, 11, 10, 0, 2);
    expect(m.gapCount).toBe(0);
    expect(m.books[0]!.askLevels).toBe(2);
  });
});
