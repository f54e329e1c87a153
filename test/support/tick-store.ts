import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TickStoreWriter } from '@botplatform/runner';
import type { Instrument, MarketEvent } from '@botplatform/sdk';

export const T0 = 1_700_000_000_000_000;

export const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'botp-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes hand-built events (any order: the writer sorts by localTs on close) to a new tick store. */
export async function writeStore(
  path: string,
  events: readonly MarketEvent[],
  instruments: readonly Instrument[] = [BTC],
): Promise<string> {
  const w = await TickStoreWriter.open(path);
  for (const inst of instruments) await w.addInstrument(inst);
  for (const e of events) w.append(e);
  await w.close();
  return path;
}

const base = { exchange: BTC.exchange, symbol: BTC.symbol } as const;

export const snapshot = (
  exchTs: number,
  localTs: number,
  bids: Array<[number, number]>,
  asks: Array<[number, number]>,
  seq = 1,
): MarketEvent => ({
  ...base,
  type: 'depth',
  exchTs,
  localTs,
  seq,
  prevSeq: seq - 1,
  isSnapshot: true,
  bids,
  asks,
});

export const diff = (
  exchTs: number,
  localTs: number,
  seq: number,
  bids: Array<[number, number]>,
  asks: Array<[number, number]>,
): MarketEvent => ({
  ...base,
  type: 'depth',
  exchTs,
  localTs,
  seq,
  prevSeq: seq - 1,
  isSnapshot: false,
  bids,
  asks,
});

export const trade = (
  exchTs: number,
  localTs: number,
  side: 'buy' | 'sell',
  price: number,
  qty: number,
  tradeId: number,
): MarketEvent => ({
  ...base,
  type: 'trade',
  exchTs,
  localTs,
  tradeId,
  price,
  qty,
  side,
});

export const mark = (exchTs: number, localTs: number, markPrice: number): MarketEvent => ({
  ...base,
  type: 'markPrice',
  exchTs,
  localTs,
  markPrice,
  indexPrice: markPrice,
  fundingRate: 0.0001,
  nextFundingTs: T0 + 8 * 3_600_000_000,
});
