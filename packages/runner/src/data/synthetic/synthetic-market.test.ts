import {
  type BookTicker,
  type DepthUpdate,
  type MarketEvent,
  type MarkPrice,
  OrderBook,
  type Trade,
} from '@botplatform/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticMarket, type SyntheticEvent } from './synthetic-market.js';
import { SYNTHETIC_BENCH_OPTIONS } from './synthetic-options.js';

const MINUTE = 60_000_000;
const START = 1_700_000_000_000_000;

let all: SyntheticEvent[];
let events: MarketEvent[];
/** The events in exchange-time order: trades, then book tickers, then depth at one instant. */
let byExchTs: MarketEvent[];

const RANK: Record<MarketEvent['type'], number> = {
  trade: 0,
  bookTicker: 1,
  depth: 2,
  markPrice: 3,
  openInterest: 4,
};
const ofType = <T extends MarketEvent['type']>(type: T) =>
  events.filter((e): e is Extract<MarketEvent, { type: T }> => e.type === type);

/** Market events in exchange-time order: trades, then book tickers, then depth at one instant. */
const inExchTsOrder = (evs: readonly MarketEvent[]): MarketEvent[] =>
  evs
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.exchTs - b.e.exchTs || RANK[a.e.type] - RANK[b.e.type] || a.i - b.i)
    .map((x) => x.e);

/**
 * Replays `ordered` (exchange-time order) into a book and checks that after each depth message
 * the latest book ticker shows the book's best bid/offer; returns how many depth messages it checked.
 */
function expectTickersMatchBook(ordered: readonly MarketEvent[]): number {
  const book = new OrderBook('BTCUSDT', 0.1);
  let quote: BookTicker | undefined;
  let checked = 0;
  for (const e of ordered) {
    if (e.type === 'bookTicker') {
      expect(e.bidPrice).toBeLessThan(e.askPrice);
      if (quote) expect(e.seq).toBeGreaterThanOrEqual(quote.seq);
      quote = e;
    } else if (e.type === 'depth') {
      book.applyDepth(e);
      expect(quote).toBeDefined();
      expect([quote!.bidPrice, quote!.bidQty, quote!.askPrice, quote!.askQty]).toEqual([
        book.bestBid(),
        book.bestBidQty(),
        book.bestAsk(),
        book.bestAskQty(),
      ]);
      expect(quote!.seq).toBeLessThanOrEqual(e.seq);
      checked++;
    }
  }
  return checked;
}

beforeAll(() => {
  all = [...generateSyntheticMarket({ seed: 1, durationUs: MINUTE })];
  events = all.filter((e): e is MarketEvent => e.type !== 'instrument');
  byExchTs = inExchTsOrder(events);
});

describe('generateSyntheticMarket', () => {
  it('starts with the instrument', () => {
    expect(all[0]).toEqual({
      type: 'instrument',
      instrument: {
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        tickSize: 0.1,
        stepSize: 0.001,
        minQty: 0.001,
        minNotional: 100,
        makerFee: 0.0002,
        takerFee: 0.0005,
        contractSize: 1,
      },
    });
    expect(all.slice(1).every((e) => e.type !== 'instrument')).toBe(true);
  });

  it('is deterministic: same seed, same sequence; another seed, another', () => {
    const again = [...generateSyntheticMarket({ seed: 1, durationUs: MINUTE })];
    expect(again).toEqual(all);
    const other = [...generateSyntheticMarket({ seed: 2, durationUs: 5_000_000 })];
    expect(other.slice(1, 200)).not.toEqual(all.slice(1, 200));
  });

  it('emits in non-decreasing localTs, exchTs ≤ localTs, and each stream in order on both clocks', () => {
    const last = new Map<string, { exch: number; local: number }>();
    let prevLocal = Number.NEGATIVE_INFINITY;
    for (const e of events) {
      expect(e.localTs).toBeGreaterThanOrEqual(prevLocal);
      expect(e.exchTs).toBeLessThanOrEqual(e.localTs);
      expect(Number.isInteger(e.exchTs) && Number.isInteger(e.localTs)).toBe(true);
      expect(e.exchTs >= START && e.exchTs < START + MINUTE).toBe(true);
      const p = last.get(e.type);
      if (p) {
        expect(e.exchTs).toBeGreaterThanOrEqual(p.exch);
        expect(e.localTs).toBeGreaterThanOrEqual(p.local);
      }
      last.set(e.type, { exch: e.exchTs, local: e.localTs });
      prevLocal = e.localTs;
    }
  });

  it('has a realistic feed latency (a few ms typically)', () => {
    const lat = events.map((e) => e.localTs - e.exchTs).sort((a, b) => a - b);
    const median = lat[Math.floor(lat.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(2_000);
    expect(median).toBeLessThanOrEqual(6_000);
    expect(lat[0]).toBeGreaterThanOrEqual(500);
  });

  it('has latency spikes of 50–300 ms every 30–90 s', () => {
    const long = generateSyntheticMarket({ seed: 5, durationUs: 3 * MINUTE, quoteEventsPerSecond: 20 });
    let spiked = 0;
    let max = 0;
    for (const e of long) {
      if (e.type === 'instrument') continue;
      const lat = e.localTs - e.exchTs;
      if (lat > 40_000) spiked++;
      max = Math.max(max, lat);
    }
    expect(spiked).toBeGreaterThan(0);
    expect(max).toBeLessThan(320_000);
  });

  it('has the expected event mix for 60 s', () => {
    const count = (t: MarketEvent['type']) => ofType(t).length;
    expect(count('depth')).toBeGreaterThan(590);
    expect(count('depth')).toBeLessThanOrEqual(600);
    expect(count('markPrice')).toBe(60);
    expect(count('trade')).toBeGreaterThan(1_200);
    expect(count('trade')).toBeLessThan(8_000);
    expect(count('bookTicker')).toBeGreaterThan(count('trade'));
    expect(count('bookTicker')).toBeLessThan(25_000);
    expect(count('openInterest')).toBe(0);
  });

  it('chains depth: a snapshot first, then diffs whose prevSeq is the previous seq', () => {
    const depth = ofType('depth');
    expect(depth[0]!.isSnapshot).toBe(true);
    expect(depth[0]!.exchTs).toBe(START);
    expect(depth[0]!.prevSeq).toBe(depth[0]!.seq - 1);
    for (let i = 1; i < depth.length; i++) {
      const d = depth[i]!;
      expect(d.isSnapshot).toBe(false);
      expect(d.prevSeq).toBe(depth[i - 1]!.seq);
      expect(d.seq).toBeGreaterThan(d.prevSeq);
      expect(d.bids.length + d.asks.length).toBeGreaterThan(0);
      expect((d.exchTs - START) % 100_000).toBe(0);
    }
  });

  it('keeps a sane, never-crossed book of 20–50 levels a side with sizes on the grid', () => {
    const book = new OrderBook('BTCUSDT', 0.1);
    let minLevels = Number.POSITIVE_INFINITY;
    let maxLevels = 0;
    for (const d of ofType('depth')) {
      for (const [p, q] of [...d.bids, ...d.asks]) {
        expect(Math.round(p * 10) / 10).toBe(p);
        expect(Math.round(q * 1000) / 1000).toBe(q);
        expect(q).toBeGreaterThanOrEqual(0);
      }
      book.applyDepth(d);
      expect(book.isCrossed()).toBe(false);
      minLevels = Math.min(minLevels, book.bidLevels, book.askLevels);
      maxLevels = Math.max(maxLevels, book.bidLevels, book.askLevels);
    }
    expect(minLevels).toBeGreaterThanOrEqual(20);
    expect(maxLevels).toBeLessThanOrEqual(50);
    // Sizes grow away from the touch.
    const near = book.depth(1, 3) / 3;
    const far = (book.depth(1, 30) - book.depth(1, 20)) / 10;
    expect(far).toBeGreaterThan(near);
  });

  it('publishes book tickers that match the book at each depth message', () => {
    expect(expectTickersMatchBook(byExchTs)).toBeGreaterThan(590);
  });

  it('trades at the touch and consumes it: the next book ticker shows what is left', () => {
    let quote: BookTicker | undefined;
    let sweep: Trade[] = [];
    let checked = 0;
    const settle = (next: BookTicker): void => {
      if (sweep.length === 0) return;
      const first = sweep[0]!;
      const buy = first.side === 'buy';
      const touch = buy ? quote!.askPrice : quote!.bidPrice;
      const touchQty = buy ? quote!.askQty : quote!.bidQty;
      expect(first.price).toBe(touch);
      for (let i = 1; i < sweep.length; i++) {
        // Later fills of a sweep go deeper, and the levels before were taken whole.
        expect(buy ? sweep[i]!.price > sweep[i - 1]!.price : sweep[i]!.price < sweep[i - 1]!.price).toBe(
          true,
        );
      }
      if (sweep.length > 1) expect(first.qty).toBe(touchQty);
      const last = sweep.at(-1)!;
      const newTouch = buy ? next.askPrice : next.bidPrice;
      const newQty = buy ? next.askQty : next.bidQty;
      if (sweep.length === 1 && newTouch === touch) {
        expect(newQty).toBeCloseTo(touchQty - first.qty, 9);
      } else {
        expect(buy ? newTouch >= last.price : newTouch <= last.price).toBe(true);
      }
      expect(next.exchTs).toBe(first.exchTs);
      checked++;
      sweep = [];
    };
    for (const e of byExchTs) {
      if (e.type === 'trade') {
        if (sweep.length > 0) expect(e.exchTs).toBe(sweep[0]!.exchTs); // one taker order at a time
        sweep.push(e);
      } else if (e.type === 'bookTicker') {
        settle(e);
        quote = e;
      }
    }
    expect(sweep).toEqual([]);
    expect(checked).toBeGreaterThan(1_000);
    const trades = ofType('trade');
    expect(trades.map((t) => t.tradeId)).toEqual(trades.map((_, i) => i + 1));
    const buys = trades.filter((t) => t.side === 'buy').length / trades.length;
    expect(buys).toBeGreaterThan(0.3);
    expect(buys).toBeLessThan(0.7);
  });

  it('reflects in a diff at t every trade with exchTs ≤ t', () => {
    // Replaying in exchange-time order, the book after each diff equals the latest book ticker
    // (checked above); here: no trade shares a diff's instant without being in it, i.e. every
    // book ticker at or before a diff's time has seq ≤ that diff's seq.
    const depth = ofType('depth');
    const quotes = ofType('bookTicker');
    let j = 0;
    for (const d of depth) {
      while (j < quotes.length && quotes[j]!.exchTs <= d.exchTs) {
        expect(quotes[j]!.seq).toBeLessThanOrEqual(d.seq);
        j++;
      }
    }
  });

  it('publishes a mark price every second near the mid, with funding and the next 8-hourly boundary', () => {
    const marks: MarkPrice[] = ofType('markPrice');
    const quotes = ofType('bookTicker');
    marks.forEach((m, i) => {
      expect(m.exchTs).toBe(START + i * 1_000_000);
      const q = [...quotes].reverse().find((b) => b.exchTs <= m.exchTs) ?? quotes[0]!;
      const mid = (q.bidPrice + q.askPrice) / 2;
      expect(Math.abs(m.markPrice - mid) / mid).toBeLessThan(0.0005);
      expect(Math.abs(m.indexPrice - m.markPrice) / m.markPrice).toBeLessThan(0.0005);
      expect(Math.abs(m.fundingRate - 0.0001)).toBeLessThan(0.0003);
      const eight = 8 * 3600 * 1_000_000;
      expect(m.nextFundingTs % eight).toBe(0);
      expect(m.nextFundingTs > m.exchTs && m.nextFundingTs <= m.exchTs + eight).toBe(true);
    });
  });

  it('moves the price: the mid wanders and volatility is non-trivial', () => {
    const mids = ofType('bookTicker').map((q) => (q.bidPrice + q.askPrice) / 2);
    const lo = Math.min(...mids);
    const hi = Math.max(...mids);
    expect(hi - lo).toBeGreaterThan(5);
    expect(hi - lo).toBeLessThan(2_500);
  });

  it('honours options and rejects bad ones', () => {
    const gen = generateSyntheticMarket({
      seed: 3,
      durationUs: 2_000_000,
      symbol: 'ETHUSDT',
      exchange: 'okx-swap',
      tickSize: 0.01,
      stepSize: 0.01,
      startPrice: 2_000,
      startTs: 1_710_000_000_000_000,
    });
    const evs = [...gen];
    expect(evs[0]).toMatchObject({
      type: 'instrument',
      instrument: { symbol: 'ETHUSDT', tickSize: 0.01, minQty: 0.01 },
    });
    const d = evs.find((e): e is DepthUpdate => e.type === 'depth')!;
    expect(d.exchange).toBe('okx-swap');
    expect(d.exchTs).toBe(1_710_000_000_000_000);
    expect(Math.abs(d.bids[0]![0] - 2_000)).toBeLessThan(1);
    expect(() => [...generateSyntheticMarket({ seed: 1, durationUs: 0 })]).toThrow(/durationUs/);
    expect(() => [...generateSyntheticMarket({ seed: 1, durationUs: 1e6, tickSize: -1 })]).toThrow(
      /tickSize/,
    );
    for (const bookTickerIntervalUs of [-1, 1.5, Number.NaN]) {
      expect(() => [...generateSyntheticMarket({ seed: 1, durationUs: 1e6, bookTickerIntervalUs })]).toThrow(
        /bookTickerIntervalUs/,
      );
    }
  });

  it('generates fast (≥ 500k events/s on the build machine; loosely checked here)', () => {
    const t0 = performance.now();
    let n = 0;
    for (const _ of generateSyntheticMarket({ seed: 9, durationUs: 10 * MINUTE })) n++;
    const perSecond = n / ((performance.now() - t0) / 1000);
    expect(n).toBeGreaterThan(50_000);
    expect(perSecond).toBeGreaterThan(100_000);
  });
});

describe('generateSyntheticMarket with throttled book tickers (bookTickerIntervalUs)', () => {
  const INTERVAL = 20_000;
  let evs: MarketEvent[];
  beforeAll(() => {
    evs = [
      ...generateSyntheticMarket({ seed: 1, durationUs: MINUTE, bookTickerIntervalUs: INTERVAL }),
    ].filter((e): e is MarketEvent => e.type !== 'instrument');
  });

  it('publishes at most one book ticker per interval, on the interval grid', () => {
    const quotes = evs.filter((e): e is BookTicker => e.type === 'bookTicker');
    expect(quotes[0]!.exchTs).toBe(START); // with the snapshot
    for (let i = 1; i < quotes.length; i++) {
      expect((quotes[i]!.exchTs - START) % INTERVAL).toBe(0);
      expect(quotes[i]!.exchTs).toBeGreaterThan(quotes[i - 1]!.exchTs);
    }
    // The best bid/offer moves far more often than every 20 ms: nearly every slot publishes.
    expect(quotes.length).toBeLessThanOrEqual(MINUTE / INTERVAL + 1);
    expect(quotes.length).toBeGreaterThan(0.8 * (MINUTE / INTERVAL));
  });

  it('carries the best bid/offer at its instant: it matches the book at every depth message', () => {
    // Depth (every 100 ms) is on the 20 ms ticker grid: at each diff's instant the latest ticker
    // was published then (or the best bid/offer had not changed since the one before).
    expect(expectTickersMatchBook(inExchTsOrder(evs))).toBeGreaterThan(590);
  });

  it('leaves the rest of the market as it was: trades still consume the touch, depth still chains', () => {
    const trades = evs.filter((e): e is Trade => e.type === 'trade');
    expect(trades.length).toBeGreaterThan(1_200);
    expect(trades.map((t) => t.tradeId)).toEqual(trades.map((_, i) => i + 1));
    const depth = evs.filter((e): e is DepthUpdate => e.type === 'depth');
    for (let i = 1; i < depth.length; i++) expect(depth[i]!.prevSeq).toBe(depth[i - 1]!.seq);
  });
});

describe('SYNTHETIC_BENCH_OPTIONS', () => {
  it('gives the benchmark row mix: ~70% depth levels, ~25% trades, ~5% book tickers (±3 points)', () => {
    // Tick-store rows: one per depth level, trade, book ticker, mark price. Pooled over three
    // seeds' first 10 minutes (~1.9M rows): one window alone moves ±5 points with the
    // volatility regime (see SYNTHETIC_BENCH_OPTIONS); the bench prints its dataset's own mix.
    const rows = { depth: 0, trade: 0, bookTicker: 0, other: 0 };
    for (const seed of [1, 2, 3]) {
      for (const e of generateSyntheticMarket({
        seed,
        durationUs: 10 * MINUTE,
        ...SYNTHETIC_BENCH_OPTIONS,
      })) {
        if (e.type === 'depth') rows.depth += e.bids.length + e.asks.length;
        else if (e.type === 'trade') rows.trade++;
        else if (e.type === 'bookTicker') rows.bookTicker++;
        else rows.other++;
      }
    }
    const total = rows.depth + rows.trade + rows.bookTicker + rows.other;
    const pct = (n: number) => (100 * n) / total;
    expect(pct(rows.depth)).toBeGreaterThanOrEqual(67);
    expect(pct(rows.depth)).toBeLessThanOrEqual(73);
    expect(pct(rows.trade)).toBeGreaterThanOrEqual(22);
    expect(pct(rows.trade)).toBeLessThanOrEqual(28);
    expect(pct(rows.bookTicker)).toBeGreaterThanOrEqual(2);
    expect(pct(rows.bookTicker)).toBeLessThanOrEqual(8);
  }, 60_000);
});
