import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Instrument, Level, MarketEvent } from '@botplatform/sdk';
import type { Gap } from '../gap.js';
import { TickStoreWriter } from '../tick-store-writer.js';

// Fixtures for the inspect tests: hand-built stores whose faults and figures are known.

export const T0 = 1_700_000_000_000_000;
export const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};
export const ETH: Instrument = { ...BTC, symbol: 'ETHUSDT', tickSize: 0.01 };

/** A temp folder and a fresh path in it per call. */
export function tempStores(prefix: string): { path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Event timestamps: local time and the feed latency that gives exchange time. */
const at = (inst: Instrument, localTs: number, latency: number) => ({
  exchange: inst.exchange,
  symbol: inst.symbol,
  localTs,
  exchTs: localTs - latency,
});

export const depth = (
  inst: Instrument,
  localTs: number,
  latency: number,
  seq: number,
  prevSeq: number,
  isSnapshot: boolean,
  bids: Level[],
  asks: Level[],
): MarketEvent => ({ type: 'depth', ...at(inst, localTs, latency), seq, prevSeq, isSnapshot, bids, asks });

export const trade = (inst: Instrument, localTs: number, latency: number, tradeId: number): MarketEvent => ({
  type: 'trade',
  ...at(inst, localTs, latency),
  tradeId,
  price: 100,
  qty: 1,
  side: 'buy',
});

export const ticker = (
  inst: Instrument,
  localTs: number,
  latency: number,
  seq: number,
  bidPrice: number,
  askPrice: number,
): MarketEvent => ({
  type: 'bookTicker',
  ...at(inst, localTs, latency),
  seq,
  bidPrice,
  bidQty: 1,
  askPrice,
  askQty: 1,
});

export interface StoreSpec {
  readonly instruments?: readonly Instrument[];
  readonly events: readonly MarketEvent[];
  readonly gaps?: readonly Gap[];
  /** SQL run through the writer after the events, before close (faults the writer would not make). */
  readonly sql?: readonly string[];
}

/** Writes a store through TickStoreWriter, as `botp import` and `botp record` do. */
export async function writeStore(path: string, spec: StoreSpec): Promise<string> {
  const w = await TickStoreWriter.open(path);
  try {
    for (const inst of spec.instruments ?? [BTC, ETH]) await w.addInstrument(inst);
    for (const e of spec.events) w.append(e);
    for (const g of spec.gaps ?? []) w.appendGap(g);
    await w.flush();
    for (const sql of spec.sql ?? []) await w.run(sql);
  } finally {
    await w.close();
  }
  return path;
}

/**
 * One fault of each row-level kind, in local-time order (row numbers in brackets):
 * BTC snapshot seq 10 [0–3], diff 11 [4], diff 13 with prev_seq 12 (chain break) [5], diff 14
 * bidding 100.2 over the 100.1 ask (crossed local book) [6], diff 15 uncrossing it [7–9],
 * book ticker bid 100.3 ≥ ask 100.2 [10], a sound ticker [11], a trade received 1000 µs before
 * its exch_ts (clock skew) [12], a trade whose exch_ts goes back 500 µs in the trade stream
 * [13]; ETH diff seq 5 before any snapshot [14], snapshot 6 [15–16], diff 7 [17].
 */
// biome-ignore format: one event per line reads as the table the comment describes
export const FAULTS: readonly MarketEvent[] = [
  depth(BTC, T0 + 1_000, 1_000, 10, 9, true, [[100, 1], [99.9, 2]], [[100.1, 1], [100.2, 2]]),
  depth(BTC, T0 + 2_000, 1_000, 11, 10, false, [[100, 1.5]], []),
  depth(BTC, T0 + 3_000, 1_000, 13, 12, false, [[99.9, 3]], []),
  depth(BTC, T0 + 4_000, 1_000, 14, 13, false, [[100.2, 1]], []),
  depth(BTC, T0 + 5_000, 1_000, 15, 14, false, [], [[100.1, 0], [100.2, 0], [100.3, 1]]),
  ticker(BTC, T0 + 6_000, 1_000, 1, 100.3, 100.2),
  ticker(BTC, T0 + 7_000, 1_000, 2, 100.2, 100.3),
  trade(BTC, T0 + 8_000, -1_000, 1),
  trade(BTC, T0 + 9_500, 1_000, 2),
  depth(ETH, T0 + 10_000, 1_000, 5, 4, false, [[10, 1]], []),
  depth(ETH, T0 + 11_000, 1_000, 6, 5, true, [[10, 1]], [[10.01, 1]]),
  depth(ETH, T0 + 12_000, 1_000, 7, 6, false, [[10, 2]], []),
];
