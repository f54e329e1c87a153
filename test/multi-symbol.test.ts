import { runBacktest } from '@botplatform/runner';
import {
  defineStrategy,
  type Fill,
  type Instrument,
  type MarketEvent,
  type OrderBookView,
  type OrderRequest,
  z,
} from '@botplatform/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from './support/silent-logger.js';
import { BTC, T0, tempDir, writeStore } from './support/tick-store.js';

/**
 * One tick store, two instruments, events of both interleaved in local time. Entry latency
 * 1 000 µs, response 2 000 µs; all times below are µs after T0.
 */
const LATENCY = 'constant:1000:2000';

const ETH: Instrument = {
  exchange: 'binance-futures',
  symbol: 'ETHUSDT',
  tickSize: 0.01,
  stepSize: 0.01,
  minQty: 0.01,
  minNotional: 5,
  makerFee: -0.0001, // a maker rebate, unlike BTC's 0.0002
  takerFee: 0.0004, // BTC: 0.0005
  contractSize: 1,
};

type Lv = Array<[number, number]>;

const depth = (
  inst: Instrument,
  exch: number,
  local: number,
  seq: number,
  bids: Lv,
  asks: Lv,
  isSnapshot = false,
): MarketEvent => ({
  type: 'depth',
  exchange: inst.exchange,
  symbol: inst.symbol,
  exchTs: T0 + exch,
  localTs: T0 + local,
  seq,
  prevSeq: seq - 1,
  isSnapshot,
  bids,
  asks,
});
const trade = (
  inst: Instrument,
  exch: number,
  local: number,
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  tradeId: number,
): MarketEvent => ({
  type: 'trade',
  exchange: inst.exchange,
  symbol: inst.symbol,
  exchTs: T0 + exch,
  localTs: T0 + local,
  tradeId,
  price,
  qty,
  side,
});
const mark = (inst: Instrument, exch: number, local: number, price: number): MarketEvent => ({
  type: 'markPrice',
  exchange: inst.exchange,
  symbol: inst.symbol,
  exchTs: T0 + exch,
  localTs: T0 + local,
  markPrice: price,
  indexPrice: price,
  fundingRate: 0,
  nextFundingTs: T0 + 8 * 3_600_000_000,
});

// Written to the store deliberately out of local order (the writer sorts on close).
const EVENTS: MarketEvent[] = [
  depth(BTC, 0, 100, 1, [[100, 5]], [[100.1, 5]], true),
  depth(ETH, 50, 150, 1, [[2000, 10]], [[2000.5, 10]], true),
  trade(BTC, 2_000, 2_300, 'sell', 100, 6, 1),
  trade(ETH, 2_500, 2_600, 'buy', 2000.5, 12, 1),
  depth(BTC, 3_000, 3_200, 2, [[100, 0.5]], []),
  depth(ETH, 3_100, 3_300, 2, [], [[2000.5, 8]]),
  trade(BTC, 5_000, 5_100, 'sell', 100, 2, 2),
  trade(ETH, 5_500, 6_000, 'buy', 2000.5, 1, 2),
  depth(ETH, 6_000, 6_100, 3, [[2000, 7]], []),
  depth(BTC, 6_500, 6_600, 3, [], [[100.1, 4]]),
  mark(ETH, 20_000, 20_100, 2000.25),
  mark(BTC, 20_000, 20_000, 100.05),
].reverse();

/** On its first book, each symbol gets these orders (if the run trades that symbol). */
const ORDERS: Record<string, OrderRequest[]> = {
  BTCUSDT: [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100, qty: 2, timeInForce: 'GTX' }],
  ETHUSDT: [
    { symbol: 'ETHUSDT', side: 'sell', type: 'limit', price: 2000, qty: 4, timeInForce: 'IOC' },
    { symbol: 'ETHUSDT', side: 'sell', type: 'limit', price: 2000.5, qty: 3, timeInForce: 'GTX' },
  ],
};

type Top = [bid: number, bidQty: number, ask: number, askQty: number, seq: number];
const top = (b: OrderBookView): Top => [b.bestBid(), b.bestBidQty(), b.bestAsk(), b.bestAskQty(), b.seq];

interface Cb {
  readonly what: string;
  readonly symbol: string;
  readonly now: number;
  readonly localTs?: number;
  /** Top of every book of the run when the callback ran, by symbol. */
  readonly books: Record<string, Top>;
  readonly positions: Record<string, number>;
}

function recorder(log: Cb[]) {
  return defineStrategy({
    name: 'multi-recorder',
    params: z.object({}),
    create(ctx) {
      const placed = new Set<string>();
      const rec = (what: string, symbol: string, localTs?: number) => {
        const books: Record<string, Top> = {};
        const positions: Record<string, number> = {};
        for (const s of ctx.symbols) {
          books[s] = top(ctx.book(s));
          positions[s] = ctx.position(s).qty;
        }
        log.push({
          what,
          symbol,
          now: ctx.now() - T0,
          ...(localTs !== undefined ? { localTs: localTs - T0 } : {}),
          books,
          positions,
        });
      };
      return {
        onBook(book, symbol) {
          rec('book', symbol, book.localTs);
          if (placed.has(symbol)) return;
          placed.add(symbol);
          for (const o of ORDERS[symbol] ?? []) ctx.placeOrder(o);
        },
        onTrade: (t) => rec('trade', t.symbol, t.localTs),
        onMarkPrice: (m) => rec('mark', m.symbol, m.localTs),
        onOrderUpdate: (o) => rec(`order:${o.status}`, o.symbol),
        onFill: (f) => rec('fill', f.symbol, f.localTs),
      };
    },
  });
}

const tmp = tempDir();
let dataPath = '';
beforeAll(async () => {
  dataPath = await writeStore(`${tmp.dir}/two.duckdb`, EVENTS, [BTC, ETH]);
});
afterAll(() => tmp.cleanup());

async function run(symbols?: string[]) {
  const log: Cb[] = [];
  const result = await runBacktest({
    strategy: recorder(log),
    params: {},
    dataPath,
    ...(symbols ? { symbols } : {}),
    latency: LATENCY,
    queue: 'risk-averse',
    logger: silentLogger,
  });
  return { log, result };
}

const fillRow = (f: Fill) => [
  f.symbol,
  f.side,
  f.price,
  f.qty,
  f.liquidity,
  f.fee,
  f.exchTs - T0,
  f.localTs - T0,
];

// Expected fills, derived by hand:
//  ETH  IOC sell 4 @2000, sent at local 150 (ETH's first book) → exchange 1 150: takes 4 of the
//       10 bid at 2000 as taker; fee 0.0004 × 2000 × 4 = 3.2; seen at 1 150 + 2 000 = 3 150.
//       GTX sell 3 @2000.5 arrives at 1 150 too and rests behind the 10 offered at 2000.5.
//  BTC  GTX buy 2 @100, sent at local 100 → exchange 1 100, behind the 5 bid at 100.
//       sell 6 @100 at exch 2 000: 5 clear the queue, 1 fills us; fee 0.0002 × 100 × 1 = 0.02; local 4 000.
//  ETH  buy 12 @2000.5 at exch 2 500: 10 clear the queue, 2 fill us as maker;
//       fee −0.0001 × 2000.5 × 2 = −0.4001 (a rebate); local 4 500.
//  BTC  depth at exch 3 000 shrinks the bid at 100 to 0.5: nothing is ahead of us any more.
//       sell 2 @100 at exch 5 000: our last 1 fills; fee 0.02; local 7 000.
//  ETH  depth at exch 3 100 (asks 2000.5 → 8) keeps us at the front; buy 1 @2000.5 at exch
//       5 500 fills our last 1; fee −0.0001 × 2000.5 = −0.20005; local 7 500.
const ETH_FILLS = [
  ['ETHUSDT', 'sell', 2000, 4, 'taker', 3.2, 1_150, 3_150],
  ['ETHUSDT', 'sell', 2000.5, 2, 'maker', -0.4001, 2_500, 4_500],
  ['ETHUSDT', 'sell', 2000.5, 1, 'maker', -0.20005, 5_500, 7_500],
];
const BTC_FILLS = [
  ['BTCUSDT', 'buy', 100, 1, 'maker', 0.02, 2_000, 4_000],
  ['BTCUSDT', 'buy', 100, 1, 'maker', 0.02, 5_000, 7_000],
];

describe('backtest over two symbols of one tick store', () => {
  it('merges both symbols into one local-time sequence of callbacks', async () => {
    const { log } = await run();
    const market = log.filter((c) => c.localTs !== undefined && c.what !== 'fill');
    // Every market event of both symbols, once, at its own local time, in one merged order.
    expect(market.map((c) => [c.what, c.symbol, c.now])).toEqual([
      ['book', 'BTCUSDT', 100],
      ['book', 'ETHUSDT', 150],
      ['trade', 'BTCUSDT', 2_300],
      ['trade', 'ETHUSDT', 2_600],
      ['book', 'BTCUSDT', 3_200],
      ['book', 'ETHUSDT', 3_300],
      ['trade', 'BTCUSDT', 5_100],
      ['trade', 'ETHUSDT', 6_000],
      ['book', 'ETHUSDT', 6_100],
      ['book', 'BTCUSDT', 6_600],
      ['mark', 'BTCUSDT', 20_000],
      ['mark', 'ETHUSDT', 20_100],
    ]);
    for (const c of market) expect(c.now).toBe(c.localTs);
    const nows = log.map((c) => c.now);
    expect(nows).toEqual([...nows].sort((a, b) => a - b));
  });

  it("changes each symbol's local book only with that symbol's own depth", async () => {
    const { log } = await run();
    const empty: Top = [Number.NaN, 0, Number.NaN, 0, 0];
    let prev: Record<string, Top> = { BTCUSDT: empty, ETHUSDT: empty };
    for (const c of log) {
      for (const s of ['BTCUSDT', 'ETHUSDT']) {
        // A book moves only in the onBook of its own symbol.
        if (!(c.what === 'book' && c.symbol === s))
          expect(c.books[s], `${s} during ${c.what} ${c.symbol}`).toEqual(prev[s]);
      }
      prev = c.books;
    }
    const books = (s: string) =>
      log.filter((c) => c.what === 'book' && c.symbol === s).map((c) => c.books[s]);
    expect(books('BTCUSDT')).toEqual([
      [100, 5, 100.1, 5, 1],
      [100, 0.5, 100.1, 5, 2],
      [100, 0.5, 100.1, 4, 3],
    ]);
    expect(books('ETHUSDT')).toEqual([
      [2000, 10, 2000.5, 10, 1],
      [2000, 10, 2000.5, 8, 2],
      [2000, 7, 2000.5, 8, 3],
    ]);
  });

  it("fills orders on both symbols independently, each with its own instrument's fees", async () => {
    const { log, result } = await run();
    // In local-time order: the two symbols' fills interleave.
    expect(result.fills.map(fillRow)).toEqual([
      ETH_FILLS[0],
      BTC_FILLS[0],
      ETH_FILLS[1],
      BTC_FILLS[1],
      ETH_FILLS[2],
    ]);
    // Positions move per symbol, and only when that symbol's fill arrives.
    const atFills = log.filter((c) => c.what === 'fill').map((c) => [c.symbol, c.now, c.positions]);
    expect(atFills).toEqual([
      ['ETHUSDT', 3_150, { BTCUSDT: 0, ETHUSDT: -4 }],
      ['BTCUSDT', 4_000, { BTCUSDT: 1, ETHUSDT: -4 }],
      ['ETHUSDT', 4_500, { BTCUSDT: 1, ETHUSDT: -6 }],
      ['BTCUSDT', 7_000, { BTCUSDT: 2, ETHUSDT: -6 }],
      ['ETHUSDT', 7_500, { BTCUSDT: 2, ETHUSDT: -7 }],
    ]);
    // Fees: 3.2 + 0.02 − 0.4001 + 0.02 − 0.20005 = 2.63985.
    // Volume: ETH 2000 × 4 + 2000.5 × 3 = 14 001.5, BTC 100 × 2 = 200 → 14 201.5, of which maker 6 201.5.
    expect(result.summary).toMatchObject({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      orders: 3,
      orders_rejected: 0,
      fills: 5,
      fees: 2.63985,
      volume: 14_201.5,
      maker_share: Math.round((6_201.5 / 14_201.5) * 1e6) / 1e6,
      final_position: { BTCUSDT: 2, ETHUSDT: -7 },
      depth_gaps: 0,
    });
    const last = (id: string) =>
      log.filter((c) => c.what.startsWith('order:') && c.symbol === id).at(-1)?.what;
    expect(last('BTCUSDT')).toBe('order:filled');
    expect(last('ETHUSDT')).toBe('order:filled');
  });

  it('replays only the selected symbol with --symbol, with the same fills for it', async () => {
    const eth = await run(['ETHUSDT']);
    expect(new Set(eth.log.map((c) => c.symbol))).toEqual(new Set(['ETHUSDT']));
    expect(
      eth.log.filter((c) => c.localTs !== undefined && c.what !== 'fill').map((c) => [c.what, c.now]),
    ).toEqual([
      ['book', 150],
      ['trade', 2_600],
      ['book', 3_300],
      ['trade', 6_000],
      ['book', 6_100],
      ['mark', 20_100],
    ]);
    for (const c of eth.log) expect(Object.keys(c.books)).toEqual(['ETHUSDT']);
    expect(eth.result.fills.map(fillRow)).toEqual(ETH_FILLS);
    expect(eth.result.summary).toMatchObject({
      symbols: ['ETHUSDT'],
      events: 7, // rows: a two-level snapshot, 2 trades, 2 one-level diffs, a mark
      orders: 2,
      fills: 3,
      fees: 2.59985,
      final_position: { ETHUSDT: -7 },
      from_ts: T0 + 150,
      to_ts: T0 + 20_100,
    });

    const btc = await run(['binance-futures:BTCUSDT']);
    expect(new Set(btc.log.map((c) => c.symbol))).toEqual(new Set(['BTCUSDT']));
    expect(btc.result.fills.map(fillRow)).toEqual(BTC_FILLS);
    expect(btc.result.summary).toMatchObject({
      symbols: ['BTCUSDT'],
      events: 7,
      fills: 2,
      final_position: { BTCUSDT: 2 },
    });
  });
});
