export { Prng } from './prng.js';
export {
  generateSyntheticMarket,
  type SyntheticEvent,
  type SyntheticInstrumentEvent,
  type SyntheticMarketOptions,
} from './synthetic-market.js';
export {
  resolveSyntheticOptions,
  SYNTHETIC_BENCH_OPTIONS,
  SYNTHETIC_DEFAULTS,
  syntheticInstrument,
} from './synthetic-options.js';
export { toNormalizedLines, type WriteSyntheticOptions, writeSyntheticDataset } from './write-synthetic.js';
