import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../events/market.js';
import { AggressorVolume } from './aggressor-volume.js';
import { TradeFlowImbalance } from './trade-flow-imbalance.js';
import { TradeRate } from './trade-rate.js';

const T0 = 1_700_000_000_000_000;
const trade = (localTs: number, qty: number, side: 'buy' | 'sell', exchTs = localTs - 3): Trade => ({
  type: 'trade',
  exchange: 'e',
  symbol: 's',
  exchTs,
  localTs,
  tradeId: 1,
  price: 100,
  qty,
  side,
});

const step = fc.tuple(
  fc.integer({ min: 0, max: 40 }), // dt
  fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 50, noNaN: true })),
  fc.boolean(),
  fc.integer({ min: 0, max: 60 }), // read at now = ts + this
);

describe('trade-flow windows: (now − window, now] in event time', () => {
  it('equal a naive re-scan at every update and every read (property)', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 150 }),
        fc.integer({ min: 1, max: 100 }),
        (steps, w) => {
          const tfi = new TradeFlowImbalance(w);
          const agg = new AggressorVolume(w);
          const rate = new TradeRate(w);
          const seen: Array<[number, number, boolean]> = [];
          let ts = T0;
          const check = (now: number) => {
            let buy = 0;
            let sell = 0;
            let n = 0;
            for (const [t, q, isBuy] of seen) {
              if (t > now - w) {
                n++;
                if (isBuy) buy += q;
                else sell += q;
              }
            }
            const scale = 1e-9 * Math.max(1, buy + sell);
            if (buy + sell > 0)
              expect(Math.abs(tfi.value! - (buy - sell) / (buy + sell))).toBeLessThanOrEqual(1e-9);
            else expect(tfi.value).toBeNull();
            expect(Math.abs(agg.buyVolume - buy)).toBeLessThanOrEqual(scale);
            expect(Math.abs(agg.sellVolume - sell)).toBeLessThanOrEqual(scale);
            expect(rate.count).toBe(n);
            if (now - seen[0]![0] >= w) expect(rate.value).toBeCloseTo((n * 1e6) / w, 9);
            else expect(rate.value).toBeNull();
          };
          for (const [dt, q, isBuy, later] of steps) {
            ts += dt;
            seen.push([ts, q, isBuy]);
            const t = trade(ts, q, isBuy ? 'buy' : 'sell');
            tfi.update(t);
            agg.update(t);
            rate.update(t);
            check(ts);
            if (later > 0) {
              ts += later;
              tfi.valueAt(ts);
              agg.valueAt(ts);
              rate.valueAt(ts);
              check(ts);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('hand-derived boundary: a trade at exactly now − window is out', () => {
    const tfi = new TradeFlowImbalance(10);
    expect(tfi.update(trade(T0, 3, 'buy'))).toBe(1);
    expect(tfi.update(trade(T0 + 5, 1, 'sell'))).toBe(0.5);
    expect(tfi.valueAt(T0 + 9)).toBe(0.5);
    expect(tfi.valueAt(T0 + 10)).toBe(-1);
    expect(tfi.valueAt(T0 + 15)).toBeNull();
    expect(tfi.isReady).toBe(false);
    tfi.update(trade(T0 + 16, 1, 'buy'));
    tfi.reset();
    expect(tfi.value).toBeNull();
  });

  it('exchTs clock option; AggressorVolume null before the first trade; TradeRate warm-up', () => {
    const agg = new AggressorVolume(100, 'exchTs');
    expect(agg.value).toBeNull();
    agg.update(trade(T0 + 1000, 2, 'buy', T0));
    agg.update(trade(T0 + 1001, 0.5, 'sell', T0 + 100)); // exchTs T0+100 evicts the T0 trade
    expect(agg.value).toBe(-0.5);
    agg.reset();
    expect(agg.isReady).toBe(false);

    const r = new TradeRate(1_000_000); // 1 s
    r.update(trade(T0, 1, 'buy'));
    r.update(trade(T0 + 500_000, 1, 'buy'));
    expect(r.value).toBeNull();
    expect(r.valueAt(T0 + 999_999)).toBeNull();
    expect(r.valueAt(T0 + 1_000_000)).toBe(1); // the T0 trade is out; one trade in 1 s
    r.reset();
    expect(r.isReady).toBe(false);
  });

  it('keeps exact zero when the window empties after a long run (no drift)', () => {
    const agg = new AggressorVolume(50);
    for (let i = 0; i < 100_000; i++) agg.updateRaw(T0 + i, 0.1 + (i % 7) * 1e6, i % 3 === 0 ? 1 : -1);
    agg.valueAt(T0 + 200_000);
    expect(agg.value).toBe(0);
    agg.updateRaw(T0 + 200_001, 0.3, 1);
    expect(agg.buyVolume).toBe(0.3);
  });
});
