import { describe, expect, it } from 'vitest';
import { Leg } from './leg.js';
import { LegBook } from './leg-book.js';
import { BTC, fill } from './legs.test-support.js';

describe('LegBook', () => {
  it('routes fills by tag to the right leg', () => {
    const long = new Leg({ id: 'long', symbol: 'BTCUSDT', direction: 'long', instrument: BTC });
    const short = new Leg({ id: 'short', symbol: 'BTCUSDT', direction: 'short', instrument: BTC });
    const book = new LegBook([long, short]);
    expect(book.onFill(fill('long', 'buy', 1, 100))).toBe(long);
    expect(book.onFill(fill('short', 'sell', 2, 100))).toBe(short);
    expect(book.onFill(fill('nobody', 'buy', 1, 100))).toBeUndefined();
    expect(book.onFill(fill(undefined, 'buy', 1, 100))).toBeUndefined();
    expect(long.qty).toBe(1);
    expect(short.qty).toBe(2);
    expect(book.get('short')).toBe(short);
    expect(book.all()).toEqual([long, short]);
  });

  it('refuses duplicate ids', () => {
    const book = new LegBook();
    book.add(new Leg({ id: 'a', symbol: 'BTCUSDT', direction: 'long', instrument: BTC }));
    expect(() =>
      book.add(new Leg({ id: 'a', symbol: 'BTCUSDT', direction: 'short', instrument: BTC })),
    ).toThrow('LegBook: a leg with id "a" already exists');
  });
});
