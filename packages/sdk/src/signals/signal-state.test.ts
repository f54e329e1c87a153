import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../book/order-book.js';
import type { OpenInterest, Trade } from '../events/market.js';
import type { JsonValue } from '../strategy/json.js';
import { AggressorVolume } from './aggressor-volume.js';
import { ATR } from './atr.js';
import { EMA } from './ema.js';
import { Hysteresis } from './hysteresis.js';
import { MACD } from './macd.js';
import { Microprice } from './microprice.js';
import { OpenInterestChange } from './open-interest-change.js';
import { OrderBookImbalance } from './order-book-imbalance.js';
import { RSI } from './rsi.js';
import { captureSignalState, restoreSignalState, SignalStateError } from './signal-state.js';
import { SMA } from './sma.js';
import { TradeFlowImbalance } from './trade-flow-imbalance.js';
import { TradeRate } from './trade-rate.js';
import { VWAP } from './vwap.js';

const T0 = 1_700_000_000_000_000;

/** One input step: a price walk, a size, a side, a time step. */
type Step = { dp: number; qty: number; buy: boolean; dt: number };
const steps = fc.array(
  fc.record({
    dp: fc.double({ min: -5, max: 5, noNaN: true }),
    qty: fc.double({ min: 0, max: 10, noNaN: true }),
    buy: fc.boolean(),
    dt: fc.integer({ min: 0, max: 2_000_000 }),
  }),
  { minLength: 1, maxLength: 120 },
);

/** A signal under test: how to build it and how to feed it one step; returns its value. */
interface Case {
  name: string;
  make(): object;
  feed(s: object, step: Step, t: number, price: number): unknown;
}

const trade = (t: number, price: number, st: Step): Trade => ({
  type: 'trade',
  exchange: 'e',
  symbol: 'S',
  exchTs: t - 5,
  localTs: t,
  tradeId: t,
  price,
  qty: st.qty,
  side: st.buy ? 'buy' : 'sell',
});
const bookAt = (price: number, st: Step): OrderBook => {
  const b = new OrderBook('S', 0.1);
  const mid = Math.round(price * 10) / 10;
  for (let i = 0; i < 5; i++) {
    b.update(1, mid - 0.1 * (i + 1), st.qty + i);
    b.update(-1, mid + 0.1 * (i + 1), (st.buy ? 2 : 0.5) * (st.qty + 1) + i);
  }
  return b;
};
const oi = (t: number, st: Step): OpenInterest => ({
  type: 'openInterest',
  exchange: 'e',
  symbol: 'S',
  exchTs: t,
  localTs: t,
  openInterest: 1000 + st.qty * 10,
});

const CASES: Case[] = [
  { name: 'SMA', make: () => new SMA(7), feed: (s, _st, _t, p) => (s as SMA).update(p) },
  { name: 'EMA', make: () => new EMA(9), feed: (s, _st, _t, p) => (s as EMA).update(p) },
  { name: 'RSI', make: () => new RSI(5), feed: (s, _st, _t, p) => (s as RSI).update(p) },
  {
    name: 'MACD',
    make: () => new MACD(3, 8, 4),
    feed: (s, _st, _t, p) => JSON.stringify((s as MACD).update(p)),
  },
  {
    name: 'ATR',
    make: () => new ATR(4),
    feed: (s, st, _t, p) => (s as ATR).update({ high: p + st.qty, low: p - st.qty / 2, close: p }),
  },
  {
    name: 'VWAP session',
    make: () => new VWAP({ mode: 'session', sessionUs: 30_000_000 }),
    feed: (s, st, t, p) => (s as VWAP).update(p, st.qty, t),
  },
  {
    name: 'VWAP rolling',
    make: () => new VWAP({ mode: 'rolling', windowUs: 5_000_000 }),
    feed: (s, st, t, p) => (s as VWAP).update(p, st.qty, t),
  },
  {
    name: 'OBI',
    make: () => new OrderBookImbalance({ levels: 3 }),
    feed: (s, st, _t, p) => (s as OrderBookImbalance).update(bookAt(p, st)),
  },
  {
    name: 'Microprice',
    make: () => new Microprice(),
    feed: (s, st, _t, p) => (s as Microprice).update(bookAt(p, st)),
  },
  {
    name: 'TradeFlowImbalance',
    make: () => new TradeFlowImbalance(3_000_000),
    feed: (s, st, t, p) => (s as TradeFlowImbalance).update(trade(t, p, st)),
  },
  {
    name: 'AggressorVolume',
    make: () => new AggressorVolume(3_000_000),
    feed: (s, st, t, p) => (s as AggressorVolume).update(trade(t, p, st)),
  },
  {
    name: 'TradeRate',
    make: () => new TradeRate(3_000_000),
    feed: (s, st, t, p) => (s as TradeRate).update(trade(t, p, st)),
  },
  {
    name: 'OpenInterestChange',
    make: () => new OpenInterestChange(4_000_000),
    feed: (s, st, t) => (s as OpenInterestChange).update(oi(t, st)),
  },
  {
    name: 'Hysteresis',
    make: () => new Hysteresis(2, -2),
    feed: (s, st) => (s as Hysteresis).update(st.dp),
  },
];

/** Feeds `steps` to `s` from (t, price); returns the outputs and where the walk ended. */
function run(c: Case, s: object, input: readonly Step[], t0: number, p0: number) {
  const out: unknown[] = [];
  let t = t0;
  let p = p0;
  for (const st of input) {
    t += st.dt;
    p = Math.max(1, p + st.dp);
    out.push(c.feed(s, st, t, p));
  }
  return { out, t, p };
}

describe('signal state: save mid-stream, restore into a fresh instance, continue', () => {
  for (const c of CASES) {
    it(`${c.name}: the restored copy gives exactly the uninterrupted values (property)`, () => {
      fc.assert(
        fc.property(steps, steps, (before, after) => {
          const original = c.make();
          const head = run(c, original, before, T0, 100);
          const saved = JSON.parse(JSON.stringify(captureSignalState(original))) as JsonValue;
          const restored = c.make();
          restoreSignalState(restored, saved);
          const a = run(c, original, after, head.t, head.p).out;
          const b = run(c, restored, after, head.t, head.p).out;
          expect(b).toEqual(a);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('keeps NaN and ±Infinity (JSON cannot) and the ring buffer layout', () => {
    const v = new VWAP({ mode: 'session' });
    const saved = captureSignalState(v);
    expect(JSON.stringify(saved)).toContain('"$num":"NaN"');
    const w = new TradeRate(1_000_000);
    for (let i = 0; i < 200; i++) w.update(trade(T0 + i * 10_000, 100, { dp: 0, qty: 1, buy: true, dt: 0 }));
    const copy = new TradeRate(1_000_000);
    restoreSignalState(copy, JSON.parse(JSON.stringify(captureSignalState(w))) as JsonValue);
    expect(copy.value).toBe(w.value);
  });

  it('refuses a state saved by another signal, another shape or garbage, naming the path', () => {
    const ema = new EMA(5);
    expect(() => restoreSignalState(ema, captureSignalState(new SMA(5)))).toThrow(
      /signal state at signal: saved as SMA, restoring into EMA/,
    );
    const macdState = captureSignalState(new MACD(3, 8, 4)) as Record<string, JsonValue>;
    const broken = {
      ...macdState,
      fastEma: { ...(macdState.fastEma as Record<string, JsonValue>), count: 'x' },
    };
    expect(() => restoreSignalState(new MACD(3, 8, 4), broken)).toThrow(
      /signal\.fastEma\.count: expected a number/,
    );
    const { count: _dropped, ...missing } = captureSignalState(new EMA(5)) as Record<string, JsonValue>;
    expect(() => restoreSignalState(new EMA(5), missing)).toThrow(/fields differ \(missing: count/);
    expect(() => restoreSignalState(new EMA(5), 42)).toThrow(SignalStateError);
  });
});
