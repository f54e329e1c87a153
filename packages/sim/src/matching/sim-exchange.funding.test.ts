import type { ExecutionReport } from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import { BTC, cmd, harness } from './sim-exchange.test-support.js';

/**
 * Funding from the mark-price stream. Book: bid 100.0 × 10, ask 100.1 × 10 (market orders
 * fill there). Funding times T1 = 10_000, T2 = 20_000, T3 = 30_000.
 */
function setup(instruments = [BTC]) {
  const h = harness({ instruments });
  h.snapshot([[100.0, 10]], [[100.1, 10]], 1);
  return h;
}

const funding = (reports: readonly ExecutionReport[]) => reports.filter((r) => r.kind === 'funding');

describe('SimulatedExchange: funding', () => {
  it('settles at each funding time on the position, with the last mark price and rate before it', () => {
    const h = setup();
    h.ex.onMarkPrice(0, 100, 0.0001, 10_000, 1_000); // announces T1
    h.ex.submit(cmd({ side: 'buy', type: 'market', qty: 1 }), 2_000); // long 1
    h.ex.onMarkPrice(0, 101, 0.0002, 10_000, 9_000); // last before T1: mark 101, rate 0.0002
    expect(funding(h.reports)).toEqual([]);
    // First event at or after T1: settle T1 = 1 × 101 × 0.0002 × 1 = 0.0202 (a long pays a
    // positive rate), stamped T1. Then adopt mark 102, rate −0.0001, next T2.
    h.ex.onMarkPrice(0, 102, -0.0001, 20_000, 10_003);
    expect(funding(h.reports)).toEqual([
      {
        kind: 'funding',
        symbol: 'BTCUSDT',
        markPrice: 101,
        rate: 0.0002,
        positionQty: 1,
        amount: 0.0202,
        exchTs: 10_000,
      },
    ]);
    // Go short 2 (sell 3 at the bid); last event before T2: mark 99, rate −0.0001.
    h.ex.submit(cmd({ side: 'sell', type: 'market', qty: 3 }), 15_000);
    h.ex.onMarkPrice(0, 99, -0.0001, 20_000, 19_999);
    // T2: −2 × 99 × −0.0001 = 0.0198: a short pays a negative rate.
    h.ex.onMarkPrice(0, 98, 0.0003, 30_000, 20_000);
    expect(funding(h.reports).at(-1)).toEqual({
      kind: 'funding',
      symbol: 'BTCUSDT',
      markPrice: 99,
      rate: -0.0001,
      positionQty: -2,
      amount: 0.0198,
      exchTs: 20_000,
    });
    // A short receives a positive rate: T3 with mark 98 and rate 0.0003 → −2 × 98 × 0.0003 = −0.0588.
    h.ex.onMarkPrice(0, 97, 0.0001, 40_000, 30_500);
    expect(funding(h.reports).at(-1)).toMatchObject({
      positionQty: -2,
      markPrice: 98,
      amount: -0.0588,
      exchTs: 30_000,
    });
    expect(funding(h.reports)).toHaveLength(3);
  });

  it('settles each funding time once, and nothing when flat', () => {
    const h = setup();
    h.ex.onMarkPrice(0, 100, 0.0001, 10_000, 1_000);
    h.ex.onMarkPrice(0, 100, 0.0001, 10_000, 12_000); // T1 passed, flat: no report
    h.ex.submit(cmd({ side: 'buy', type: 'market', qty: 1 }), 13_000);
    // A late event still announcing the settled T1 does not settle it again.
    h.ex.onMarkPrice(0, 100, 0.0001, 10_000, 14_000);
    h.ex.onMarkPrice(0, 100, 0.0001, 20_000, 15_000);
    expect(funding(h.reports)).toEqual([]);
    h.ex.onMarkPrice(0, 100, 0.0001, 30_000, 25_000); // T2 = 20_000: 1 × 100 × 0.0001 = 0.01
    expect(funding(h.reports).map((r) => [r.exchTs, r.amount])).toEqual([[20_000, 0.01]]);
    // Nothing announced before the first event: nothing to settle.
    const k = setup();
    k.ex.submit(cmd({ side: 'buy', type: 'market', qty: 1 }), 2_000);
    k.ex.onMarkPrice(0, 100, 0.0001, 10_000, 50_000);
    expect(funding(k.reports)).toEqual([]);
  });

  it('scales by the contract size and keeps instruments apart', () => {
    const COIN = { ...BTC, symbol: 'BTCUSD_PERP', minNotional: 0, contractSize: 0.01 };
    const h = setup([BTC, COIN]);
    h.ex.onDepthLevel(1, 1, 100.0, 10, true, 1);
    h.ex.onDepthLevel(1, -1, 100.1, 10, false, 1);
    h.ex.submit(cmd({ symbol: 'BTCUSD_PERP', side: 'buy', type: 'market', qty: 3 }), 2_000);
    h.ex.onMarkPrice(0, 100, 0.001, 10_000, 1_000);
    h.ex.onMarkPrice(1, 100, 0.001, 10_000, 1_000);
    h.ex.onMarkPrice(0, 100, 0.001, 20_000, 10_000); // BTCUSDT flat: nothing
    h.ex.onMarkPrice(1, 100, 0.001, 20_000, 10_000); // 3 × 100 × 0.001 × 0.01 = 0.003
    expect(funding(h.reports)).toEqual([
      expect.objectContaining({ symbol: 'BTCUSD_PERP', positionQty: 3, amount: 0.003, exchTs: 10_000 }),
    ]);
    expect(() => h.ex.onMarkPrice(2, 1, 0, 1, 1)).toThrow(/no instrument at index 2/);
  });
});
