import { describe, expect, it } from 'vitest';
import { missedFillReports } from './missed-fills.js';
import type { VenueFill } from './reconcilable-exchange.js';

const fill = (tradeId: number, qty: number, price = 100): VenueFill => ({
  tradeId,
  price,
  qty,
  fee: qty * price * 0.0002,
  liquidity: 'maker',
  exchTs: tradeId * 1000,
});

describe('missedFillReports', () => {
  it('skips the executions the state saw (the oldest), in trade-id order, counting leaves down', () => {
    const r = missedFillReports('c1', 1, 0.3, 0.9, [
      fill(3, 0.4, 101),
      fill(1, 0.1),
      fill(2, 0.2),
      fill(4, 0.2),
    ]);
    expect(r?.map((f) => [f.qty, f.price, f.leavesQty, f.exchTs])).toEqual([
      [0.4, 101, 0.3, 3000],
      [0.2, 100, 0.1, 4000],
    ]);
  });

  it('nothing missed when the state saw every execution', () => {
    expect(missedFillReports('c1', 1, 0.3, 0.3, [fill(1, 0.1), fill(2, 0.2)])).toEqual([]);
  });

  it('refuses to guess: a list that does not add up to the filled quantity, a seen quantity inside one execution, or more seen than filled', () => {
    expect(missedFillReports('c1', 1, 0, 0.5, [fill(1, 0.1)])).toBeUndefined();
    expect(missedFillReports('c1', 1, 0.15, 0.3, [fill(1, 0.1), fill(2, 0.2)])).toBeUndefined();
    expect(missedFillReports('c1', 1, 0.5, 0.3, [fill(1, 0.1), fill(2, 0.2)])).toBeUndefined();
  });
});
