import type { ExecutionReport } from '@botplatform/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskAverseQueue } from '../queue/risk-averse-queue.js';
import type { FillMode } from './fill-mode.js';
import { SimulatedExchange } from './sim-exchange.js';
import { BTC } from './sim-exchange.test-support.js';

/**
 * Properties of one resting buy at 100.0 (tick 0.1, step 0.001) under random trades and depth
 * updates. Quantities are generated in lots (1 lot = 0.001) so expectations are exact integers.
 */
const INST = { ...BTC, minNotional: 0 };
const PRICE = 100.0;
const lotsOf = (qty: number): number => Math.round(qty * 1000);
const qtyOf = (lots: number): number => lots / 1000;

type Ev =
  | { readonly t: 'tradeAt'; readonly lots: number } // sell aggressor at our price
  | { readonly t: 'tradeAway'; readonly side: 1 | -1; readonly ticksAbove: number; readonly lots: number } // never through us
  | { readonly t: 'levelAt'; readonly lots: number } // our own level's new absolute size
  | { readonly t: 'levelAway'; readonly side: 1 | -1; readonly ticksAway: number; readonly lots: number } // not crossing
  | { readonly t: 'through'; readonly ticksBelow: number; readonly lots: number } // sell below our price
  | { readonly t: 'crossAsk'; readonly ticksBelow: number; readonly lots: number } // ask ≤ our price
  | { readonly t: 'ticker'; readonly askTicksAbove: number }; // ask = price + n ticks (n = 0 crosses)

const lots = (max: number) => fc.integer({ min: 1, max });
const side = fc.constantFrom<1 | -1>(1, -1);

/** Events that never trade through or cross the order: only its queue decides. */
const queueEvents = (levelAt: fc.Arbitrary<number>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ t: fc.constant('tradeAt' as const), lots: lots(3000) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('tradeAway' as const),
        side,
        ticksAbove: fc.integer({ min: 1, max: 5 }),
        lots: lots(3000),
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('levelAt' as const), lots: levelAt }) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('levelAway' as const),
        side,
        ticksAway: fc.integer({ min: 1, max: 5 }),
        lots: fc.integer({ min: 0, max: 5000 }),
      }),
    },
  );

const anyEvents = fc.oneof(
  { weight: 8, arbitrary: queueEvents(fc.integer({ min: 0, max: 6000 })) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('through' as const),
      ticksBelow: fc.integer({ min: 1, max: 3 }),
      lots: lots(100),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('crossAsk' as const),
      ticksBelow: fc.integer({ min: 0, max: 3 }),
      lots: lots(100),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('ticker' as const),
      askTicksAbove: fc.integer({ min: 0, max: 3 }),
    }),
  },
);

interface Run {
  readonly fills: Array<Extract<ExecutionReport, { kind: 'fill' }>>;
  readonly reports: ExecutionReport[];
  readonly ex: SimulatedExchange;
  /** After each event: cumulative lots traded at our price by sellers, and min level size seen. */
  readonly trace: Array<{ readonly traded: number; readonly minLevel: number; readonly filled: number }>;
}

function run(orderLots: number, levelLots: number, events: readonly Ev[], fills: FillMode): Run {
  const reports: ExecutionReport[] = [];
  const ex = new SimulatedExchange([INST], {
    queue: new RiskAverseQueue(),
    sink: (r) => reports.push(r),
    fills,
  });
  ex.onDepthLevel(0, 1, PRICE, qtyOf(levelLots), true, 1);
  ex.onDepthLevel(0, -1, 100.1, 5, false, 1);
  ex.submit(
    {
      clientOrderId: 'o',
      symbol: 'BTCUSDT',
      side: 'buy',
      type: 'limit',
      price: PRICE,
      qty: qtyOf(orderLots),
      timeInForce: 'GTC',
      reduceOnly: false,
    },
    2,
  );
  expect(reports.map((r) => r.kind)).toEqual(['accepted']);
  const trace: Run['trace'][number][] = [];
  let traded = 0;
  let minLevel = levelLots;
  let ts = 10;
  for (const e of events) {
    ts += 10;
    switch (e.t) {
      case 'tradeAt':
        traded += e.lots;
        ex.onTrade(0, -1, PRICE, qtyOf(e.lots), ts);
        break;
      case 'tradeAway':
        // A seller above our bid, or a buyer anywhere at or above the bid: never fills our buy.
        ex.onTrade(
          0,
          e.side,
          (1000 + (e.side === -1 ? e.ticksAbove : e.ticksAbove - 1)) / 10,
          qtyOf(e.lots),
          ts,
        );
        break;
      case 'levelAt':
        minLevel = Math.min(minLevel, e.lots);
        ex.onDepthLevel(0, 1, PRICE, qtyOf(e.lots), false, ts);
        break;
      case 'levelAway':
        ex.onDepthLevel(
          0,
          e.side,
          (1000 + (e.side === 1 ? -e.ticksAway : e.ticksAway)) / 10,
          qtyOf(e.lots),
          false,
          ts,
        );
        break;
      case 'through':
        ex.onTrade(0, -1, (1000 - e.ticksBelow) / 10, qtyOf(e.lots), ts);
        break;
      case 'crossAsk':
        ex.onDepthLevel(0, -1, (1000 - e.ticksBelow) / 10, qtyOf(e.lots), false, ts);
        break;
      case 'ticker':
        ex.onBookTicker(0, 99.9, 1, (1000 + e.askTicksAbove) / 10, 1, ts);
        break;
    }
    const filled = reports.reduce((s, r) => s + (r.kind === 'fill' ? lotsOf(r.qty) : 0), 0);
    trace.push({ traded, minLevel, filled });
  }
  const fillReports = reports.filter(
    (r): r is Extract<ExecutionReport, { kind: 'fill' }> => r.kind === 'fill',
  );
  return { fills: fillReports, reports, ex, trace };
}

describe('SimulatedExchange properties (one resting buy)', () => {
  it('conserves quantity: filled + remaining = qty, fills never exceed it, all maker at the order price', () => {
    fc.assert(
      fc.property(
        lots(5000),
        fc.integer({ min: 0, max: 5000 }),
        fc.array(anyEvents, { maxLength: 40 }),
        fc.constantFrom<FillMode>('partial', 'full'),
        (orderLots, levelLots, events, mode) => {
          const { fills, ex } = run(orderLots, levelLots, events, mode);
          let filled = 0;
          for (const f of fills) {
            expect(f.qty).toBeGreaterThan(0);
            expect(f.price).toBe(PRICE);
            expect(f.liquidity).toBe('maker');
            filled += lotsOf(f.qty);
            expect(filled).toBeLessThanOrEqual(orderLots);
            expect(lotsOf(f.leavesQty)).toBe(orderLots - filled); // filled + remaining = qty
          }
          expect(lotsOf(ex.position(0))).toBe(filled);
          expect(ex.openOrderCount()).toBe(filled === orderLots ? 0 : 1);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('risk-averse, level never below the initial queue: fills exactly the trades beyond the initial queue', () => {
    // filled = min(qty, max(0, traded at the price − initial queue)): nothing fills before the
    // whole initial queue has traded at the price. Level updates at the price stay ≥ L0.
    const scenario = fc
      .integer({ min: 0, max: 5000 })
      .chain((levelLots) =>
        fc.tuple(
          fc.constant(levelLots),
          fc.array(queueEvents(fc.integer({ min: levelLots, max: levelLots + 5000 })), { maxLength: 40 }),
        ),
      );
    fc.assert(
      fc.property(lots(5000), scenario, (orderLots, [levelLots, events]) => {
        const { trace } = run(orderLots, levelLots, events, 'partial');
        for (const s of trace) {
          expect(s.filled).toBe(Math.min(orderLots, Math.max(0, s.traded - levelLots)));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('risk-averse with level decreases: never fills before min(initial queue, smallest level since) has traded', () => {
    // The queue ahead only shrinks by trades or by capping at a new level size, so
    // ahead ≥ min(L0, minLevel) − traded, and filled ≤ max(0, traded − min(L0, minLevel)).
    fc.assert(
      fc.property(
        lots(5000),
        fc.integer({ min: 0, max: 5000 }),
        fc.array(queueEvents(fc.integer({ min: 0, max: 6000 })), { maxLength: 40 }),
        (orderLots, levelLots, events) => {
          const { trace } = run(orderLots, levelLots, events, 'partial');
          for (const s of trace) {
            const queueBound = Math.min(levelLots, s.minLevel);
            expect(s.filled).toBeLessThanOrEqual(Math.max(0, s.traded - queueBound));
            expect(s.filled).toBeLessThanOrEqual(orderLots);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
