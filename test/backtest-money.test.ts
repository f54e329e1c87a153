import { runBacktest, TickStoreWriter } from '@botplatform/runner';
import { defineStrategy, type MarketEvent, type Order, z } from '@botplatform/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingStrategy, type Seen } from './support/recording-strategy.js';
import { silentLogger } from './support/silent-logger.js';
import { BTC, mark, snapshot, T0, tempDir, writeStore } from './support/tick-store.js';

let cleanup = () => {};
afterEach(() => cleanup());

const funding = (
  exchTs: number,
  localTs: number,
  markPrice: number,
  rate: number,
  nextFundingTs: number,
): MarketEvent => ({
  ...(mark(exchTs, localTs, markPrice) as Extract<MarketEvent, { type: 'markPrice' }>),
  fundingRate: rate,
  nextFundingTs,
});

describe('funding in a backtest', () => {
  it('settles on the position at the funding time from the last mark before it (positive rate: longs pay)', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const F = T0 + 1_000_000; // the funding time announced by the marks
    const data = await writeStore(`${tmp.dir}/f.duckdb`, [
      snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]]),
      funding(T0 + 500_000, T0 + 500_100, 100.05, 0.001, F),
      funding(T0 + 900_000, T0 + 900_100, 100, 0.001, F), // the last mark before F
      funding(T0 + 1_100_000, T0 + 1_100_100, 101, 0.0002, F + 8 * 3_600_000_000), // after F: settles
      funding(T0 + 2_000_000, T0 + 2_000_000, 101, 0.0002, F + 8 * 3_600_000_000),
    ]);
    const log: Seen[] = [];
    const { summary } = await runBacktest({
      // IOC buy 1 @100.1 at local T0+100 → taker fill at exchange T0+1 100: long 1.
      strategy: recordingStrategy(
        [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100.1, qty: 1, timeInForce: 'IOC' }],
        log,
      ),
      params: {},
      dataPath: data,
      latency: 'constant:1000:2000',
      queue: 'risk-averse',
      logger: silentLogger,
    });
    // Funding at F on +1: 1 × 100 (mark before F) × 0.001 = 0.1 paid.
    expect(summary.funding).toBe(0.1);
    // Taker fee 0.0005 × 100.1 = 0.05005; unrealized at the last mark 101: 1 × (101 − 100.1) = 0.9.
    expect(summary.fees).toBe(0.05005);
    expect(summary.unrealized_pnl).toBeCloseTo(0.9, 10);
    expect(summary.net_pnl).toBeCloseTo(0.9 - 0.05005 - 0.1, 10);
  });
});

describe('recorded latency in a backtest', () => {
  it('replays the recorded legs and the exchange refusals of the order_latency table', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const path = `${tmp.dir}/r.duckdb`;
    const w = await TickStoreWriter.open(path);
    await w.addInstrument(BTC);
    w.append(snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]]));
    w.append(mark(T0 + 2_000_000, T0 + 2_000_100, 100.05));
    w.append(mark(T0 + 3_000_000, T0 + 3_000_100, 100.05));
    // A request at T0 took 3 000 µs to the exchange and 4 000 µs back; one at T0+2 s was refused
    // (exch_ts 0) and its answer came 5 000 µs after it was sent.
    w.appendOrderLatency({
      exchange: BTC.exchange,
      symbol: BTC.symbol,
      reqTs: T0,
      exchTs: T0 + 3_000,
      respTs: T0 + 7_000,
    });
    w.appendOrderLatency({
      exchange: BTC.exchange,
      symbol: BTC.symbol,
      reqTs: T0 + 2_000_000,
      exchTs: 0,
      respTs: T0 + 2_005_000,
    });
    await w.close();

    const updates: Array<{ now: number; order: Order }> = [];
    const strategy = defineStrategy({
      name: 'two-orders',
      params: z.object({}),
      create(ctx) {
        let n = 0;
        const post = () =>
          ctx.placeOrder({
            symbol: 'BTCUSDT',
            side: 'buy',
            type: 'limit',
            price: 99,
            qty: 1,
            timeInForce: 'GTX',
          });
        return {
          onBook: () => {
            if (n++ === 0) post(); // at T0+100: nearest sample is the T0 one
          },
          onMarkPrice: (m) => {
            if (m.localTs === T0 + 2_000_100) post(); // nearest sample is the refusal
          },
          onOrderUpdate: (order) => updates.push({ now: ctx.now(), order }),
        };
      },
    });
    await runBacktest({
      strategy,
      params: {},
      dataPath: path,
      latency: 'recorded',
      queue: 'risk-averse',
      logger: silentLogger,
    });
    // Order 1: sent T0+100, at the exchange T0+3 100, ack back T0+7 100.
    expect(updates[0]).toMatchObject({ now: T0 + 7_100, order: { clientOrderId: 'bp-1', status: 'new' } });
    // Order 2: sent T0+2 000 100, refused as recorded, heard 5 000 µs later.
    expect(updates[1]).toMatchObject({
      now: T0 + 2_005_100,
      order: { clientOrderId: 'bp-2', status: 'rejected', reason: { code: 'VENUE_ERROR' } },
    });
  });
});
