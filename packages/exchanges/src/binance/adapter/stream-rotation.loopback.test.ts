import { type DepthUpdate, type FeedGap, type MarketEvent, OrderBook, type Trade } from '@botplatform/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { wallClockUs } from '../../connection/scheduler.js';
import { call } from '../../testing/binance/loopback.test-support.js';
import { generateMarket } from '../../testing/binance/market/generated-market.js';
import { type BinanceLoopback, startBinanceLoopback } from '../../testing/binance/start-binance-loopback.js';
import { parseDepthSnapshot } from '../rest/depth-snapshot.js';
import { BinanceMarketStream } from './market-stream.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = async (cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function restSnapshot(lb: BinanceLoopback, symbol: string, limit = 1000): Promise<DepthUpdate> {
  const r = await call(lb, 'GET', '/fapi/v1/depth', { symbol, limit });
  expect(r.status).toBe(200);
  return parseDepthSnapshot(r.body, symbol, wallClockUs());
}

// The loopback plays a generated market at 4× (a diff-depth event every 25 ms of wall time,
// trades between them, a mark price every 250 ms) and pings every 200 ms; the client's
// sockets live 400 ms, so each route rotates several times while the market runs.
const MARKET = { seed: 5, durationMs: 14_000 } as const;
const LIFETIME_US = 400_000;

describe('BinanceMarketStream rotation against the loopback exchange', () => {
  it('rotates many times without losing or repeating a message: every aggTrade once, the book synced and equal to the exchange', async () => {
    const lb = await startBinanceLoopback({ speed: 4, generated: MARKET, pingIntervalMs: 200 });
    cleanups.push(() => lb.close());
    const symbol = lb.instruments[0]!.symbol;
    let snapshots = 0;
    const events: MarketEvent[] = [];
    const gaps: FeedGap[] = [];
    const errors: Error[] = [];
    const info: string[] = [];
    const warn: string[] = [];
    const line = (o: object | string, m?: string) => JSON.stringify([o, m]);
    const ms = new BinanceMarketStream(
      {
        symbols: [symbol],
        publicUrl: `${lb.wsUrl}/public`,
        marketUrl: `${lb.wsUrl}/market`,
        rest: {
          depthSnapshot: (s, limit) => {
            snapshots++;
            return restSnapshot(lb, s, limit);
          },
        },
        socket: { maxLifetimeUs: LIFETIME_US },
        logger: {
          debug: () => {},
          info: (o, m) => info.push(line(o, m)),
          warn: (o, m) => warn.push(line(o, m)),
          error: (o, m) => warn.push(line(o, m)),
        },
      },
      {
        onMarket: (e) => events.push(e),
        onGap: (g) => gaps.push(g),
        onError: (e) => errors.push(e),
      },
    );
    cleanups.push(() => ms.close());
    await ms.start();
    await lb.marketDone;

    // The last diff-depth window goes out once the loopback's clock passes it; then the book
    // the client built must be the exchange's, update id included.
    const book = new OrderBook(symbol, lb.instruments[0]!.tickSize);
    let applied = 0;
    const depth = () => events.filter((e): e is DepthUpdate => e.type === 'depth');
    let exchange: DepthUpdate | undefined;
    await until(async () => {
      const d = depth();
      for (; applied < d.length; applied++) book.applyDepth(d[applied]!);
      exchange = await restSnapshot(lb, symbol);
      return book.seq === exchange.seq;
    });
    expect(book.levels(1, 1000)).toEqual(exchange!.bids);
    expect(book.levels(-1, 1000)).toEqual(exchange!.asks);

    // The depth chain never broke: one snapshot, then every diff continues the one before.
    expect(gaps).toEqual([]);
    expect(warn).toEqual([]);
    expect(errors).toEqual([]);
    expect(snapshots).toBe(1);
    const d = depth();
    expect(d[0]!.isSnapshot).toBe(true);
    expect(d.slice(1).every((x) => !x.isSnapshot)).toBe(true);
    for (let i = 1; i < d.length; i++) expect(d[i]!.prevSeq).toBe(d[i - 1]!.seq);
    expect(ms.depthSync(symbol)!.state).toBe('synced');

    // Every aggregate trade id from the first one seen to the market's last, exactly once.
    const ids = events.filter((e): e is Trade => e.type === 'trade').map((t) => t.tradeId);
    const traded = [...generateMarket(MARKET)].filter((e) => e.type === 'trade').length;
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.at(-1)).toBe(traded);
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));

    // Book tickers and mark prices: never one twice (keys strictly increase).
    const tickers = events.flatMap((e) => (e.type === 'bookTicker' ? [e.seq] : []));
    const marks = events.flatMap((e) => (e.type === 'markPrice' ? [e.exchTs] : []));
    expect(tickers.length).toBeGreaterThan(50);
    expect(marks.length).toBeGreaterThan(5);
    for (const keys of [tickers, marks])
      for (let i = 1; i < keys.length; i++) expect(keys[i]!).toBeGreaterThan(keys[i - 1]!);

    // …across several rotations of each route.
    const rotated = (route: string) =>
      info.filter((l) => l.includes('rotated without a gap') && l.includes(`"stream":"${route}"`)).length;
    expect(rotated('public')).toBeGreaterThanOrEqual(3);
    expect(rotated('market')).toBeGreaterThanOrEqual(3);

    // Local time never goes back within a stream across the handovers.
    for (const type of ['depth', 'trade', 'bookTicker', 'markPrice'] as const) {
      const ts = events.filter((e) => e.type === type).map((e) => e.localTs);
      for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThanOrEqual(ts[i - 1]!);
    }
  }, 30_000);
});
