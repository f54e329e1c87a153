import type { ExchangeSink, ExecutionReport, FeedGap, MarketEvent, OrderCommand } from '@botplatform/sdk';
import { ConstantLatency, type LatencyModel, parseQueueSpec, RECORDED_REJECTION } from '@botplatform/sim';
import { describe, expect, it } from 'vitest';
import { WallClock } from '../kernel/clock.js';
import { BTC } from '../kernel/kernel.test-support.js';
import {
  diff,
  MemoryExchange,
  nowUs,
  sleep,
  snapshot,
  trade,
  until,
} from './memory-exchange.test-support.js';
import { PaperVenue } from './paper-venue.js';

interface Heard {
  readonly report: ExecutionReport;
  readonly at: number;
}

async function paper(latency: LatencyModel, quietWaitUs = 20_000) {
  const source = new MemoryExchange([BTC]);
  const venue = new PaperVenue({
    source,
    latency,
    queue: parseQueueSpec('risk-averse'),
    clock: new WallClock(),
    quietWaitUs,
  });
  const heard: Heard[] = [];
  const market: MarketEvent[] = [];
  const gaps: FeedGap[] = [];
  const sink: ExchangeSink = {
    onMarket: (e) => market.push(e),
    onReport: (report) => heard.push({ report, at: nowUs() }),
    onGap: (g) => gaps.push(g),
  };
  expect(await venue.instruments(['BTCUSDT'])).toEqual([BTC]);
  await venue.connect(sink, ['BTCUSDT']);
  return { source, venue, heard, market, gaps };
}

const order = (clientOrderId: string, over: Partial<OrderCommand> = {}): OrderCommand => ({
  clientOrderId,
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  qty: 0.1,
  price: 100,
  timeInForce: 'GTX',
  reduceOnly: false,
  ...over,
});

describe('PaperVenue', () => {
  it('passes market data on and answers after entry + response latency in wall-clock time', async () => {
    const { source, venue, heard, market } = await paper(new ConstantLatency(30_000, 20_000));
    source.market(snapshot('BTCUSDT', 100));
    expect(market).toHaveLength(1);
    const sent = nowUs();
    venue.submit(order('a'));
    await until(() => heard.length > 0, 2000, 'the ack');
    const { report, at } = heard[0]!;
    expect(report.kind).toBe('accepted');
    // Matched at a = sent + 30 ms (quiet market: + 20 ms wait), heard at a + 20 ms.
    expect(report.exchTs - sent).toBeGreaterThanOrEqual(30_000);
    expect(report.exchTs - sent).toBeLessThan(33_000);
    expect(at - report.exchTs).toBeGreaterThanOrEqual(19_000);
    expect(await venue.openOrders(['BTCUSDT'])).toMatchObject([
      { clientOrderId: 'a', qty: 0.1, filledQty: 0 },
    ]);
    await venue.close();
    expect(source.closes).toBe(1);
  });

  it('a resting order fills as maker on a trade through it; the account follows', async () => {
    const { source, venue, heard } = await paper(new ConstantLatency(1_000, 1_000));
    source.market(snapshot('BTCUSDT', 100));
    venue.submit(order('a'));
    await until(() => heard.some((h) => h.report.kind === 'accepted'), 2000, 'ack');
    source.market(trade('BTCUSDT', 99.9, 1, 'sell'));
    await until(() => heard.some((h) => h.report.kind === 'fill'), 2000, 'fill');
    expect(heard.find((h) => h.report.kind === 'fill')!.report).toMatchObject({
      price: 100,
      qty: 0.1,
      liquidity: 'maker',
      leavesQty: 0,
    });
    expect(await venue.positions(['BTCUSDT'])).toMatchObject([
      { symbol: 'BTCUSDT', qty: 0.1, entryPrice: 100 },
    ]);
    expect(await venue.openOrders(['BTCUSDT'])).toEqual([]);
    await venue.close();
  });

  it('matches in exchange time: an event stamped after a command reaches the exchange is matched after it', async () => {
    // GTX buy at 100 arrives at t + 10 ms. A diff moving the ask to 100 crosses it: if the diff
    // is later in exchange time the order rests first and fills as maker; if earlier, the GTX
    // would cross on arrival and is rejected.
    for (const later of [true, false]) {
      const { source, venue, heard } = await paper(new ConstantLatency(10_000, 1_000), 5_000_000);
      source.market(snapshot('BTCUSDT', 99.9)); // bid 99.9, ask 100.0
      const sent = nowUs();
      venue.submit(order('a', { price: 99.9 }));
      await sleep(25);
      const ask = diff('BTCUSDT', [], [[99.9, 2]]);
      source.market({ ...ask, exchTs: later ? sent + 15_000 : sent + 5_000 });
      if (!later) source.market(trade('BTCUSDT', 99.9, 0.001, 'buy', 0)); // the feed passes the arrival
      await until(() => heard.length >= (later ? 2 : 1), 2000, 'reports');
      expect(heard.map((h) => h.report.kind)).toEqual(later ? ['accepted', 'fill'] : ['rejected']);
      await venue.close();
    }
  });

  it('the recorded model refuses a request as the recorded exchange did', async () => {
    const refusing: LatencyModel = { entry: () => 5_000, response: () => 5_000, rejection: () => 7_000 };
    const { venue, heard } = await paper(refusing);
    const sent = nowUs();
    venue.submit(order('a'));
    venue.cancel({ clientOrderId: 'b', symbol: 'BTCUSDT' });
    await until(() => heard.length === 2, 2000, 'refusals');
    expect(heard.map((h) => [h.report.kind, 'reason' in h.report ? h.report.reason : undefined])).toEqual([
      ['rejected', RECORDED_REJECTION],
      ['cancelRejected', RECORDED_REJECTION],
    ]);
    expect(heard[0]!.at - sent).toBeGreaterThanOrEqual(6_000);
    await venue.close();
  });

  it('resumes a paper position: reduce-only orders are accepted against it', async () => {
    const { source, venue, heard } = await paper(new ConstantLatency(1_000, 1_000));
    venue.resume([{ symbol: 'BTCUSDT', qty: 0.3, avg_entry_price: 95 }]);
    expect(await venue.positions(['BTCUSDT'])).toMatchObject([{ qty: 0.3, entryPrice: 95 }]);
    source.market(snapshot('BTCUSDT', 100));
    venue.submit(
      order('x', { side: 'sell', type: 'market', price: Number.NaN, timeInForce: 'IOC', reduceOnly: true }),
    );
    await until(() => heard.some((h) => h.report.kind === 'fill'), 2000, 'fill');
    expect(await venue.positions(['BTCUSDT'])).toMatchObject([{ qty: 0.2, entryPrice: 95 }]);
    await venue.close();
  });

  it('passes gaps on', async () => {
    const { source, venue, gaps } = await paper(new ConstantLatency(1_000, 1_000));
    const g = {
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      stream: 'depth',
      fromTs: 1,
      toTs: 2,
      reason: 'x',
    };
    source.gap(g);
    expect(gaps).toEqual([g]);
    await venue.close();
  });
});
