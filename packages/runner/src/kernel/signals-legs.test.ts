import { defineStrategy, EMA, type Strategy, type StrategyContext, z } from '@botplatform/sdk';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ReplayClock } from './clock.js';
import { Kernel } from './kernel.js';
import { BTC, FakeVenue } from './kernel.test-support.js';
import { FLAG_FIRST, FLAG_LAST, FLAG_SNAPSHOT } from './market-data-engine.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const ONE_ROW_SNAPSHOT = FLAG_SNAPSHOT | FLAG_FIRST | FLAG_LAST;

function setup(make: (ctx: StrategyContext) => Strategy) {
  const venue = new FakeVenue();
  const kernel = new Kernel({
    mode: 'backtest',
    clock: new ReplayClock(T0),
    instruments: [BTC],
    venue,
    strategy: defineStrategy({ name: 't', params: z.object({}), create: (ctx) => make(ctx) }),
    params: {},
    logger: pino({ level: 'silent' }),
  });
  return { kernel, venue };
}

/** A two-level book: bid 100 × bidQty, ask 100.1 × askQty, as one snapshot message at `ts`. */
function book(kernel: Kernel, ts: number, bidQty: number, askQty: number, seq: number): void {
  kernel.depthRow(0, 1, 100, bidQty, FLAG_SNAPSHOT | FLAG_FIRST, seq, seq - 1, ts, ts);
  kernel.depthRow(0, -1, 100.1, askQty, FLAG_SNAPSHOT | FLAG_LAST, seq, seq - 1, ts, ts);
}

describe('ctx.signals', () => {
  it('updates book and trade signals before the callbacks that see the same event', () => {
    const seen: Array<[string, number | null]> = [];
    const { kernel } = setup((ctx) => {
      const obi = ctx.signals.obi('BTCUSDT', { levels: 5 });
      const flow = ctx.signals.tradeFlow('BTCUSDT', 10 * S);
      return {
        onBook: () => seen.push(['obi', obi.value]),
        onTrade: () => seen.push(['flow', flow.value]),
      };
    });
    book(kernel, T0 + 1, 3, 1, 10); // (3 − 1) / (3 + 1) = 0.5
    kernel.trade(0, 1, 100.1, 2, 1, T0 + 2, T0 + 2); // buy 2: flow (2 − 0) / 2 = 1
    kernel.trade(0, -1, 100, 6, 2, T0 + 3, T0 + 3); // sell 6: (2 − 6) / 8 = −0.5
    expect(seen).toEqual([
      ['obi', 0.5],
      ['flow', 1],
      ['flow', -0.5],
    ]);
  });

  it('feeds a sampled indicator once per boundary, with the mid of the first book at or after it', () => {
    let ema!: EMA;
    const { kernel } = setup((ctx) => {
      ema = ctx.signals.sampled('BTCUSDT', new EMA(2), { everyUs: S });
      return {};
    });
    // mid = (100 + 100.1) / 2 = 100.05 at every book; samples at T0 (first book), T0+1 s, T0+2 s.
    book(kernel, T0 + 10, 1, 1, 1); // boundary T0 → sample 1
    book(kernel, T0 + 20, 1, 1, 2); // same second → no sample
    expect(ema.isReady).toBe(false); // EMA(2) needs 2 samples
    book(kernel, T0 + S + 5, 1, 1, 3); // boundary T0+1 s → sample 2 → ready (SMA seed 100.05)
    expect(ema.value).toBeCloseTo(100.05, 12);
  });
});

describe('ctx.legs', () => {
  it('applies fills tagged with a leg id to the leg before onFill', () => {
    let legQtyInOnFill = -1;
    let leg!: ReturnType<StrategyContext['legs']['create']>;
    const { kernel, venue } = setup((ctx) => {
      leg = ctx.legs.create({ id: 'long-1', symbol: 'BTCUSDT', direction: 'long' });
      return {
        onBook: () => {
          if (venue.submits.length === 0)
            for (const r of leg.scaleIn({ kind: 'ladder', levels: [{ price: 100, qty: 0.5 }] }))
              ctx.placeOrder(r);
        },
        onFill: () => {
          legQtyInOnFill = leg.qty;
        },
      };
    });
    kernel.depthRow(0, 1, 100, 1, ONE_ROW_SNAPSHOT, 1, 0, T0 + 1, T0 + 1);
    expect(venue.submits).toHaveLength(1);
    const id = venue.submits[0]!.clientOrderId;
    kernel.scheduleReport(
      { kind: 'accepted', clientOrderId: id, exchangeOrderId: '1', exchTs: T0 + 2 },
      T0 + 3,
    );
    kernel.scheduleReport(
      {
        kind: 'fill',
        clientOrderId: id,
        price: 100,
        qty: 0.5,
        fee: 0.01,
        liquidity: 'maker',
        leavesQty: 0,
        exchTs: T0 + 4,
      },
      T0 + 5,
    );
    kernel.runDue(T0 + 5);
    expect(legQtyInOnFill).toBe(0.5);
    expect(leg.avgEntryPrice).toBe(100);
    expect(leg.fees).toBe(0.01);
    expect(kernel.legs.get('long-1')).toBe(leg);
  });
});
