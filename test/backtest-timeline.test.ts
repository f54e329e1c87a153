import { runBacktest } from '@botplatform/runner';
import type { Fill, Order } from '@botplatform/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingStrategy, type Seen } from './support/recording-strategy.js';
import { silentLogger } from './support/silent-logger.js';
import { diff, mark, snapshot, T0, tempDir, trade, writeStore } from './support/tick-store.js';

// Every scenario: entry latency 1 000 µs, response latency 2 000 µs.
const LATENCY = 'constant:1000:2000';
let cleanup = () => {};
afterEach(() => cleanup());

async function run(
  events: Parameters<typeof writeStore>[1],
  orders: Parameters<typeof recordingStrategy>[0],
) {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  const data = await writeStore(`${tmp.dir}/t.duckdb`, events);
  const log: Seen[] = [];
  const result = await runBacktest({
    strategy: recordingStrategy(orders, log),
    params: {},
    dataPath: data,
    latency: LATENCY,
    queue: 'risk-averse',
    logger: silentLogger,
  });
  const fills = log.filter((s) => s.what === 'fill').map((s) => s.detail as Fill);
  const updates = log
    .filter((s) => s.what === 'order')
    .map((s) => ({ now: s.now, order: s.detail as Order }));
  return { result, log, fills, updates };
}

describe('backtest timeline: queue position, latency, no look-ahead', () => {
  it('advances the queue by trades at the price, fills only the excess, and reports each fill at exch_ts + response', async () => {
    const { fills, log, updates, result } = await run(
      [
        snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]]),
        trade(T0 + 2_000, T0 + 2_500, 'sell', 100, 3, 1),
        trade(T0 + 3_000, T0 + 3_400, 'sell', 100, 4, 2),
        trade(T0 + 4_000, T0 + 4_100, 'sell', 100, 1, 3),
        mark(T0 + 10_000, T0 + 10_000, 100.05),
      ],
      [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100, qty: 3, timeInForce: 'GTX' }],
    );
    // Sent at local T0+100 (first book) → at the exchange at T0+1 100, behind the 5 resting at 100.
    // Ack: exch T0+1 100 + 2 000 → local T0+3 100.
    expect(updates[0]).toMatchObject({ now: T0 + 3_100, order: { status: 'new' } });
    // Trade 1 (sell 3 @100, exch T0+2 000): ahead 5 → 2, nothing reaches us.
    // Trade 2 (sell 4 @100, exch T0+3 000): 2 clear the queue, the excess 2 fill us → local T0+5 000.
    // Trade 3 (sell 1 @100, exch T0+4 000): fills the last 1 → local T0+6 000.
    expect(fills.map((f) => [f.qty, f.price, f.liquidity, f.exchTs, f.localTs])).toEqual([
      [2, 100, 'maker', T0 + 3_000, T0 + 5_000],
      [1, 100, 'maker', T0 + 4_000, T0 + 6_000],
    ]);
    // Maker fee 0.0002 × 100 × 2 = 0.04, then × 1 = 0.02.
    expect(fills.map((f) => f.fee)).toEqual([0.04, 0.02]);
    // No look-ahead: the strategy saw trade 2 at its local time with no position yet, although the
    // exchange had already filled 2; the position changed only when each fill report arrived.
    const t2 = log.find((s) => s.what === 'trade' && s.localTs === T0 + 3_400)!;
    expect(t2).toMatchObject({ now: T0 + 3_400, position: 0 });
    expect(log.find((s) => s.what === 'fill' && s.now === T0 + 5_000)?.position).toBe(2);
    expect(updates.at(-1)).toMatchObject({
      now: T0 + 6_000,
      order: { status: 'filled', filledQty: 3, avgFillPrice: 100 },
    });
    expect(result.summary).toMatchObject({
      fills: 2,
      orders: 1,
      volume: 300,
      fees: 0.06,
      final_position: { BTCUSDT: 3 },
    });
  });

  it('lets every callback run at its event local time, never earlier', async () => {
    const { log } = await run(
      [
        snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]]),
        trade(T0 + 200, T0 + 9_000, 'buy', 100.1, 1, 1), // a feed spike: 8.8 ms late
        trade(T0 + 1_000, T0 + 1_200, 'sell', 100, 1, 2),
      ],
      [],
    );
    for (const s of log.filter((x) => x.localTs !== undefined)) expect(s.now).toBe(s.localTs);
    expect(log.map((s) => s.now)).toEqual([...log.map((s) => s.now)].sort((a, b) => a - b));
    expect(log.filter((s) => s.what === 'trade').map((s) => s.localTs)).toEqual([T0 + 1_200, T0 + 9_000]);
  });

  it('matches in exchange time even when the feed delivers an event late (latency spike)', async () => {
    const { fills, log } = await run(
      [
        snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]]),
        // Happened at the exchange at T0+1 200, after our order arrived (T0+1 100), but reaches us at T0+9 000.
        trade(T0 + 1_200, T0 + 9_000, 'sell', 100, 5, 1),
        trade(T0 + 1_500, T0 + 1_600, 'sell', 100, 2, 2),
        trade(T0 + 2_000, T0 + 2_100, 'sell', 100, 3, 3),
        mark(T0 + 20_000, T0 + 20_000, 100.05),
      ],
      [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100, qty: 1, timeInForce: 'GTX' }],
    );
    // In exchange time: arrival T0+1 100 behind 5; the late trade (sell 5 at T0+1 200) clears
    // the queue; sell 2 at T0+1 500 fills our 1 → local T0+3 500. Replaying in file (local)
    // order instead would fill at T0+2 000 (after 2 + 3 cleared the queue).
    expect(fills.map((f) => [f.qty, f.exchTs, f.localTs])).toEqual([[1, T0 + 1_500, T0 + 3_500]]);
    // …and the strategy learns of the late trade only at T0+9 000, long after its fill.
    expect(log.find((s) => s.what === 'trade' && s.localTs === T0 + 9_000)).toMatchObject({ position: 1 });
  });

  it('rejects a post-only order that would cross, as Binance does (-5022), heard at arrival + response', async () => {
    const { updates, fills } = await run(
      [snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]]), mark(T0 + 10_000, T0 + 10_000, 100.05)],
      [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100.1, qty: 1, timeInForce: 'GTX' }],
    );
    expect(fills).toEqual([]);
    // Sent T0+100 → exchange T0+1 100 → rejection local T0+3 100.
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      now: T0 + 3_100,
      order: { status: 'rejected', reason: { code: 'POST_ONLY_WOULD_CROSS', exchangeCode: -5022 } },
    });
  });

  it('walks the book as taker for an IOC, one fill per level at the level price', async () => {
    const { fills, updates } = await run(
      [
        snapshot(
          T0,
          T0 + 100,
          [[100, 5]],
          [
            [100.1, 1],
            [100.2, 2],
          ],
        ),
        mark(T0 + 10_000, T0 + 10_000, 100.05),
      ],
      [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100.2, qty: 2, timeInForce: 'IOC' }],
    );
    // Arrives T0+1 100: takes 1 @100.1 and 1 @100.2; taker fee 0.0005 × price × qty.
    expect(fills.map((f) => [f.price, f.qty, f.liquidity, f.fee, f.localTs])).toEqual([
      [100.1, 1, 'taker', 0.05005, T0 + 3_100],
      [100.2, 1, 'taker', 0.0501, T0 + 3_100],
    ]);
    expect(updates.at(-1)?.order).toMatchObject({ status: 'filled', filledQty: 2, avgFillPrice: 100.15 });
  });

  it('refuses an order that breaks the exchange filters locally, after the callback returns, without sending it', async () => {
    const { updates, result } = await run(
      [snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]]), mark(T0 + 10_000, T0 + 10_000, 100.05)],
      // 0.001 × 100 = 0.1 notional < min notional 5.
      [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: 100, qty: 0.001, timeInForce: 'GTX' }],
    );
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      now: T0 + 100,
      order: { status: 'rejected', reason: { code: 'NOTIONAL_TOO_SMALL', exchangeCode: -4164 } },
    });
    expect(result.summary).toMatchObject({ orders: 1, orders_rejected: 1, fills: 0 });
  });
});

describe('backtest on gapped data', () => {
  it('counts each break of the depth prevSeq chain in the summary and reports where', async () => {
    const { result } = await run(
      [
        snapshot(T0, T0 + 100, [[100, 5]], [[100.1, 5]], 10),
        diff(T0 + 200, T0 + 300, 11, [[100, 6]], []), // prevSeq 10: follows the snapshot
        diff(T0 + 400, T0 + 500, 14, [[100, 7]], []), // prevSeq 13: messages 12–13 were lost
        diff(T0 + 600, T0 + 700, 15, [[100, 8]], []), // still out of sync: the same gap
        mark(T0 + 10_000, T0 + 10_000, 100.05),
      ],
      [],
    );
    expect(result.summary.depth_gaps).toBe(1);
    expect(result.gaps).toEqual([{ symbol: 'BTCUSDT', localTs: T0 + 500, bookSeq: 11, prevSeq: 13 }]);
  });
});
