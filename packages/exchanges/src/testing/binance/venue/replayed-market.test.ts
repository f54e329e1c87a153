import type { Instrument, MarketEvent } from '@botplatform/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openSocket, type RawSocket, sleepMs } from '../loopback.test-support.js';
import { type BinanceLoopback, startBinanceLoopback } from '../start-binance-loopback.js';

const INST: Instrument = {
  exchange: 'binance-futures',
  symbol: 'ETHUSDT',
  tickSize: 0.01,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};
const T0 = Date.UTC(2023, 10, 14, 22, 13, 20) * 1000;
const base = { exchange: 'binance-futures', symbol: 'ETHUSDT' } as const;

/** A market source the test feeds by hand, as a tick-store replay would, event by event. */
class Feed implements AsyncIterable<MarketEvent> {
  private readonly queue: MarketEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  push(...evs: MarketEvent[]): void {
    this.queue.push(...evs);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<MarketEvent> {
    for (;;) {
      const ev = this.queue.shift();
      if (ev !== undefined) yield ev;
      else if (this.ended) return;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

let feed: Feed;
let lb: BinanceLoopback;
let user: RawSocket;
beforeAll(async () => {
  feed = new Feed();
  lb = await startBinanceLoopback({ market: feed, instruments: [INST], speed: Number.POSITIVE_INFINITY });
  feed.push({
    ...base,
    type: 'depth',
    exchTs: T0,
    localTs: T0 + 3000,
    seq: 1,
    prevSeq: 0,
    isSnapshot: true,
    bids: [
      [2000, 2],
      [1999.99, 5],
    ],
    asks: [
      [2000.01, 3],
      [2000.02, 4],
    ],
  });
  await sleepMs(50);
  const k = (await call(lb, 'POST', '/fapi/v1/listenKey')).body as { listenKey: string };
  user = await openSocket(`${lb.wsUrl}/private/ws?listenKey=${k.listenKey}`);
});
afterAll(async () => {
  user.close();
  await lb.close();
});

describe('a replayed market (async iterable of SDK events)', () => {
  it("runs the loopback clock on the data's exchange time", async () => {
    const t = await call(lb, 'GET', '/fapi/v1/time');
    expect((t.body as { serverTime: number }).serverTime).toBe(T0 / 1000);
  });

  it('a resting order queues behind the level and fills as maker when trades reach it', async () => {
    const placed = await call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTX',
        quantity: '1.000',
        price: '2000.00',
        newClientOrderId: 'maker-1',
      },
      true,
    );
    expect(placed.body).toMatchObject({ status: 'NEW', timeInForce: 'GTX' });
    // 1.5 sold at 2000.00: still 0.5 of the 2 ahead of us (risk-averse queue): no fill.
    feed.push({
      ...base,
      type: 'trade',
      exchTs: T0 + 1000,
      localTs: T0 + 4000,
      tradeId: 1,
      price: 2000,
      qty: 1.5,
      side: 'sell',
    });
    await sleepMs(50);
    expect(
      (await call(lb, 'GET', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: 'maker-1' }, true))
        .body,
    ).toMatchObject({
      status: 'NEW',
    });
    // 0.9 more: 0.5 clears the queue, 0.4 fills us.
    feed.push({
      ...base,
      type: 'trade',
      exchTs: T0 + 2000,
      localTs: T0 + 5000,
      tradeId: 2,
      price: 2000,
      qty: 0.9,
      side: 'sell',
    });
    const fill = await user.next((j) => (j.o as { x?: string } | undefined)?.x === 'TRADE');
    expect(fill).toMatchObject({
      T: (T0 + 2000) / 1000,
      o: {
        c: 'maker-1',
        X: 'PARTIALLY_FILLED',
        l: '0.400',
        z: '0.400',
        L: '2000.00',
        m: true,
        n: '0.16000000',
      },
    });
    // A trade through the price fills the rest.
    feed.push({
      ...base,
      type: 'trade',
      exchTs: T0 + 3000,
      localTs: T0 + 6000,
      tradeId: 3,
      price: 1999.99,
      qty: 0.1,
      side: 'sell',
    });
    const rest = await user.next((j) => (j.o as { X?: string } | undefined)?.X === 'FILLED');
    expect(rest).toMatchObject({ o: { l: '0.600', z: '1.000', ap: '2000.00', m: true } });
    const pos = await call(lb, 'GET', '/fapi/v3/positionRisk', {}, true);
    expect(pos.body).toMatchObject([{ symbol: 'ETHUSDT', positionAmt: '1.000', entryPrice: '2000.00' }]);
  });

  it('funding settles on the position at the funding time: ACCOUNT_UPDATE with reason FUNDING_FEE', async () => {
    const mark = (exchTs: number) => ({
      ...base,
      type: 'markPrice' as const,
      exchTs,
      localTs: exchTs + 3000,
      markPrice: 2000,
      indexPrice: 2000,
      fundingRate: 0.0001,
      nextFundingTs: T0 + 5000,
    });
    feed.push(mark(T0 + 4000), mark(T0 + 6000));
    const ev = await user.next((j) => (j.a as { m?: string } | undefined)?.m === 'FUNDING_FEE');
    // 1.000 long × 2000 × 0.0001 = 0.2 paid.
    expect(ev).toMatchObject({ T: (T0 + 5000) / 1000, a: { B: [{ a: 'USDT', bc: '-0.20000000' }], P: [] } });
  });

  it('a GTX that would cross is refused with -5022; marketDone settles when the data ends', async () => {
    const r = await call(
      lb,
      'POST',
      '/fapi/v1/order',
      {
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTX',
        quantity: '1.000',
        price: '2000.01',
      },
      true,
    );
    expect(r.body).toMatchObject({ code: -5022 });
    feed.end();
    await lb.marketDone;
  });
});
