import type { ExecutionReport } from '@botplatform/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskAverseQueue } from '../queue/risk-averse-queue.js';
import { SimulatedExchange } from './sim-exchange.js';
import { BTC } from './sim-exchange.test-support.js';

/**
 * The market-data hot paths return early when an event cannot touch any resting order (the
 * exchange keeps the price range of its resting buys and sells). This checks, under random
 * orders, market events, modifies and cancels, that an event reports exactly about the orders
 * it may touch: no report for an order it cannot touch, and a whole fill for every order it
 * trades through or crosses (so the range is never stale and too narrow). Prices in ticks of 0.1.
 */
const INST = { ...BTC, minNotional: 0 };
const px = (ticks: number): number => ticks / 10;

type Ev =
  | { readonly t: 'depth'; readonly side: 1 | -1; readonly tick: number; readonly lots: number }
  | { readonly t: 'trade'; readonly side: 1 | -1; readonly tick: number; readonly lots: number }
  | {
      readonly t: 'ticker';
      readonly bid: number;
      readonly ask: number;
      readonly bidLots: number;
      readonly askLots: number;
    }
  | { readonly t: 'cancel'; readonly k: number }
  | { readonly t: 'modify'; readonly k: number; readonly away: number; readonly lots: number };

const side = fc.constantFrom<1 | -1>(1, -1);
const tick = fc.integer({ min: 970, max: 1030 });
const event: fc.Arbitrary<Ev> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('depth' as const),
      side,
      tick,
      lots: fc.integer({ min: 0, max: 3000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('trade' as const),
      side,
      tick,
      lots: fc.integer({ min: 1, max: 3000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('ticker' as const),
      bid: tick,
      ask: tick,
      bidLots: fc.integer({ min: 0, max: 2 }),
      askLots: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), k: fc.nat(5) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('modify' as const),
      k: fc.nat(5),
      away: fc.integer({ min: 0, max: 20 }),
      lots: fc.integer({ min: 1, max: 3000 }),
    }),
  },
);
const order = fc.record({
  side,
  away: fc.integer({ min: 0, max: 20 }),
  lots: fc.integer({ min: 1, max: 3000 }),
});

interface Tracked {
  readonly side: 1 | -1;
  ticks: number;
  open: boolean;
}

describe('SimulatedExchange: early exit on events that touch no order (property)', () => {
  it('reports exactly about the orders an event can touch', () => {
    fc.assert(
      fc.property(
        fc.array(order, { minLength: 1, maxLength: 6 }),
        fc.array(event, { maxLength: 60 }),
        (orders, events) => {
          const reports: ExecutionReport[] = [];
          const ex = new SimulatedExchange([INST], {
            queue: new RiskAverseQueue(),
            sink: (r) => reports.push(r),
          });
          // bids 99.0..99.9, asks 100.0..100.9, 1 each.
          for (let i = 0; i < 10; i++) ex.onDepthLevel(0, 1, px(990 + i), 1, i === 0, 1);
          for (let i = 0; i < 10; i++) ex.onDepthLevel(0, -1, px(1000 + i), 1, false, 1);
          const tracked = new Map<string, Tracked>();
          // Buys at 99.9 or below, sells at 100.0 or above: none crosses on arrival.
          const priceOf = (s: 1 | -1, away: number) => (s === 1 ? 999 - away : 1000 + away);
          orders.forEach((o, k) => {
            const ticks = priceOf(o.side, o.away);
            const id = `o${k}`;
            ex.submit(
              {
                clientOrderId: id,
                symbol: 'BTCUSDT',
                side: o.side === 1 ? 'buy' : 'sell',
                type: 'limit',
                price: px(ticks),
                qty: o.lots / 1000,
                timeInForce: 'GTC',
                reduceOnly: false,
              },
              2,
            );
            tracked.set(id, { side: o.side, ticks, open: true });
          });
          const absorb = (from: number) => {
            for (const r of reports.slice(from)) {
              if (r.kind === 'funding') continue;
              const o = tracked.get(r.clientOrderId);
              if (o === undefined) continue;
              if (r.kind === 'modified') o.ticks = Math.round(r.price * 10);
              if ((r.kind === 'fill' && r.leavesQty === 0) || r.kind === 'canceled' || r.kind === 'expired')
                o.open = false;
            }
          };
          absorb(0);
          let ts = 10;
          for (const e of events) {
            ts += 10;
            const from = reports.length;
            if (e.t === 'cancel' || e.t === 'modify') {
              const id = `o${e.k}`;
              const o = tracked.get(id);
              if (e.t === 'cancel') ex.cancel({ clientOrderId: id, symbol: 'BTCUSDT' }, ts);
              else if (o !== undefined) {
                const ticks = priceOf(o.side, e.away);
                ex.modify(
                  {
                    clientOrderId: id,
                    symbol: 'BTCUSDT',
                    side: o.side === 1 ? 'buy' : 'sell',
                    price: px(ticks),
                    qty: e.lots / 1000,
                  },
                  ts,
                );
              }
              absorb(from);
              continue;
            }
            // Which open orders the event may touch, and which it must fill whole.
            const mayTouch = new Set<string>();
            const mustFill = new Set<string>();
            for (const [id, o] of tracked) {
              if (!o.open) continue;
              const crossedBy = (quote: number) => (o.side === 1 ? quote <= o.ticks : quote >= o.ticks);
              if (e.t === 'depth') {
                if (e.side === o.side && e.tick === o.ticks) mayTouch.add(id);
                if (e.side !== o.side && e.lots > 0 && crossedBy(e.tick)) mustFill.add(id);
              } else if (e.t === 'trade') {
                if (e.side === -o.side && e.tick === o.ticks) mayTouch.add(id);
                if (e.side === -o.side && crossedBy(e.tick) && e.tick !== o.ticks) mustFill.add(id);
              } else {
                const quote = o.side === 1 ? e.ask : e.bid;
                const lots = o.side === 1 ? e.askLots : e.bidLots;
                if (lots > 0 && crossedBy(quote)) mustFill.add(id);
              }
            }
            if (e.t === 'depth') ex.onDepthLevel(0, e.side, px(e.tick), e.lots / 1000, false, ts);
            else if (e.t === 'trade') ex.onTrade(0, e.side, px(e.tick), e.lots / 1000, ts);
            else ex.onBookTicker(0, px(e.bid), e.bidLots, px(e.ask), e.askLots, ts);
            const fresh = reports.slice(from);
            for (const r of fresh) {
              expect(r.kind).toBe('fill');
              if (r.kind !== 'fill') continue;
              expect(r.liquidity).toBe('maker');
              expect(mayTouch.has(r.clientOrderId) || mustFill.has(r.clientOrderId)).toBe(true);
            }
            for (const id of mustFill) {
              expect(
                fresh.some((r) => r.kind === 'fill' && r.clientOrderId === id && r.leavesQty === 0),
              ).toBe(true);
            }
            absorb(from);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
