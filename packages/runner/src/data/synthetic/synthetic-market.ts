import type { Instrument, MarketEvent } from '@botplatform/sdk';
import { MarketSimulator } from './market-simulator.js';
import {
  resolveSyntheticOptions,
  type SyntheticMarketOptions,
  syntheticInstrument,
} from './synthetic-options.js';

export type { SyntheticMarketOptions } from './synthetic-options.js';

/** The generator's first item: the instrument its events trade. */
export interface SyntheticInstrumentEvent {
  readonly type: 'instrument';
  readonly instrument: Instrument;
}

export type SyntheticEvent = MarketEvent | SyntheticInstrumentEvent;

/**
 * A deterministic synthetic perpetual-futures market: first the instrument, then depth
 * (a snapshot, then 100 ms diffs chained by `prevSeq`), trades, book tickers and mark prices
 * in non-decreasing `localTs` order, each stream with realistic feed latency. The same
 * options give the identical sequence. See market-simulator.ts for the model.
 */
export function* generateSyntheticMarket(
  opts: SyntheticMarketOptions,
): Generator<SyntheticEvent, void, undefined> {
  const o = resolveSyntheticOptions(opts);
  yield { type: 'instrument', instrument: syntheticInstrument(o) };
  const sim = new MarketSimulator(o);
  const merger = sim.merger;
  for (;;) {
    const running = sim.step();
    const horizon = running ? sim.now : Number.POSITIVE_INFINITY;
    for (let ev = merger.next(horizon); ev !== undefined; ev = merger.next(horizon)) yield ev;
    if (!running) return;
  }
}
