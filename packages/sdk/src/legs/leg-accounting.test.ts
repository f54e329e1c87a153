import { describe, expect, it } from 'vitest';
import { Leg } from './leg.js';
import { BTC, fill } from './legs.test-support.js';

const long = () => new Leg({ id: 'L', symbol: 'BTCUSDT', direction: 'long', instrument: BTC });
const short = () => new Leg({ id: 'S', symbol: 'BTCUSDT', direction: 'short', instrument: BTC });

describe('Leg accounting', () => {
  it('starts flat', () => {
    const l = long();
    expect(l.qty).toBe(0);
    expect(l.signedQty).toBe(0);
    expect(l.isFlat).toBe(true);
    expect(l.avgEntryPrice).toBeNaN();
    expect(l.unrealizedPnl(100)).toBe(0);
    expect(l.totalPnl(100)).toBe(0);
  });

  it('long: adds average the entry, a partial reduce realizes, a full close flattens', () => {
    const l = long();
    expect(l.onFill(fill('L', 'buy', 1, 100, 0.05))).toBe(true);
    expect(l.onFill(fill('L', 'buy', 1, 110, 0.05))).toBe(true);
    expect(l.qty).toBe(2);
    expect(l.avgEntryPrice).toBe(105);
    expect(l.unrealizedPnl(100)).toBe(-10);
    l.onFill(fill('L', 'sell', 0.5, 120, 0.02));
    expect(l.qty).toBe(1.5);
    expect(l.avgEntryPrice).toBe(105); // reducing keeps the average
    expect(l.realizedPnl).toBe(7.5); // 0.5 × (120 − 105)
    expect(l.unrealizedPnl(130)).toBe(37.5); // 1.5 × (130 − 105)
    expect(l.fees).toBeCloseTo(0.12, 12);
    expect(l.totalPnl(130)).toBeCloseTo(7.5 + 37.5 - 0.12, 12);
    l.onFill(fill('L', 'sell', 1.5, 100, 0.03));
    expect(l.qty).toBe(0);
    expect(l.avgEntryPrice).toBeNaN();
    expect(l.realizedPnl).toBe(0); // 7.5 + 1.5 × (100 − 105)
    expect(l.fees).toBeCloseTo(0.15, 12);
    expect(l.totalPnl(999)).toBeCloseTo(-0.15, 12);
    expect(l.lastExcessQty).toBe(0);
  });

  it('short: a sell adds, a buy reduces, profit when price falls', () => {
    const s = short();
    s.onFill(fill('S', 'sell', 2, 100));
    expect(s.qty).toBe(2);
    expect(s.signedQty).toBe(-2);
    s.onFill(fill('S', 'sell', 2, 110));
    expect(s.avgEntryPrice).toBe(105);
    s.onFill(fill('S', 'buy', 1, 95));
    expect(s.realizedPnl).toBe(10); // 1 × (95 − 105) × −1
    expect(s.qty).toBe(3);
    expect(s.unrealizedPnl(100)).toBe(15); // −1 × 3 × (100 − 105)
    expect(s.unrealizedPnl(110)).toBe(-15);
  });

  it('contract size ≠ 1 scales realized and unrealized PnL', () => {
    const inst = { ...BTC, contractSize: 0.01 };
    const l = new Leg({ id: 'L', symbol: 'BTCUSDT', direction: 'long', instrument: inst });
    l.onFill(fill('L', 'buy', 10, 2000));
    l.onFill(fill('L', 'sell', 4, 2100));
    expect(l.realizedPnl).toBeCloseTo(4, 12); // 4 × 100 × 0.01
    expect(l.unrealizedPnl(2050)).toBeCloseTo(3, 12); // 6 × 50 × 0.01
    const s = new Leg({
      id: 'S',
      symbol: 'BTCUSDT',
      direction: 'short',
      instrument: { ...BTC, contractSize: 10 },
    });
    s.onFill(fill('S', 'sell', 0.5, 200));
    expect(s.unrealizedPnl(190)).toBe(50); // −1 × 0.5 × −10 × 10
  });

  it('funding and fees (rebates negative) enter totalPnl', () => {
    const l = long();
    l.onFill(fill('L', 'buy', 1, 100, -0.02)); // maker rebate
    l.addFunding(2);
    l.addFunding(-0.5);
    expect(l.funding).toBe(1.5);
    expect(l.fees).toBe(-0.02);
    expect(l.totalPnl(110)).toBeCloseTo(10 + 0.02 - 1.5, 12);
    expect(() => l.addFunding(Number.NaN)).toThrow(/funding amount must be finite/);
  });

  it('an over-close stops at flat and reports the excess', () => {
    const l = long();
    l.onFill(fill('L', 'buy', 1, 100));
    l.onFill(fill('L', 'sell', 1.5, 110, 0.1));
    expect(l.qty).toBe(0);
    expect(l.realizedPnl).toBe(10); // only the leg's 1 unit is realized
    expect(l.fees).toBe(0.1); // the whole fee is the leg's
    expect(l.lastExcessQty).toBe(0.5);
    expect(l.excessQty).toBe(0.5);
    l.onFill(fill('L', 'buy', 1, 100));
    expect(l.lastExcessQty).toBe(0);
    l.onFill(fill('L', 'sell', 1.25, 100));
    expect(l.lastExcessQty).toBe(0.25);
    expect(l.excessQty).toBe(0.75);
    // A reduce on a flat leg is all excess.
    l.onFill(fill('L', 'sell', 0.1, 100));
    expect(l.lastExcessQty).toBe(0.1);
    expect(l.qty).toBe(0);
    expect(l.realizedPnl).toBe(10);
  });

  it('snaps quantities to the step (no float dust)', () => {
    const l = long();
    l.onFill(fill('L', 'buy', 0.1, 100));
    l.onFill(fill('L', 'buy', 0.2, 100));
    expect(l.qty).toBe(0.3);
    l.onFill(fill('L', 'sell', 0.3, 100));
    expect(l.qty).toBe(0);
    expect(l.lastExcessQty).toBe(0);
  });

  it('ignores fills tagged for other legs or untagged, and rejects bad tagged fills', () => {
    const l = long();
    expect(l.onFill(fill('other', 'buy', 1, 100))).toBe(false);
    expect(l.onFill(fill(undefined, 'buy', 1, 100))).toBe(false);
    expect(l.qty).toBe(0);
    expect(() => l.onFill(fill('L', 'buy', 1, 100, 0, 'ETHUSDT'))).toThrow(/fill for ETHUSDT/);
    expect(() => l.onFill(fill('L', 'buy', 0, 100))).toThrow(/positive qty and price/);
    expect(l.fees).toBe(0);
  });

  it('rejects a bad construction', () => {
    expect(() => new Leg({ id: '', symbol: 'BTCUSDT', direction: 'long', instrument: BTC })).toThrow(/id/);
    expect(() => new Leg({ id: 'x', symbol: 'ETHUSDT', direction: 'long', instrument: BTC })).toThrow(
      /does not match/,
    );
    expect(() => new Leg({ id: 'x', symbol: 'BTCUSDT', direction: 'up' as 'long', instrument: BTC })).toThrow(
      /direction/,
    );
  });
});

describe('Leg instrument checks', () => {
  it('rejects a non-positive tick, step or contract size', () => {
    expect(
      () => new Leg({ id: 'x', symbol: 'BTCUSDT', direction: 'long', instrument: { ...BTC, stepSize: 0 } }),
    ).toThrow('Leg x: instrument stepSize must be > 0, got 0');
    expect(
      () =>
        new Leg({
          id: 'x',
          symbol: 'BTCUSDT',
          direction: 'long',
          instrument: { ...BTC, contractSize: Number.NaN },
        }),
    ).toThrow(/contractSize/);
  });
});
