export { Prng } from './prng.js';
export {
  generateSyntheticMarket,
  type SyntheticEvent,
  type SyntheticInstrumentEvent,
  type SyntheticMarketOptions,
} from './synthetic-market.js';
export { resolveSyntheticOptions, SYNTHETIC_DEFAULTS, syntheticInstrument } from './synthetic-options.js';
export { toNormalizedLines, writeSyntheticDataset } from './write-synthetic.js';
