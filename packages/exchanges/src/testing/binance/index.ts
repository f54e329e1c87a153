export type { BinanceLoopbackFaults } from './loopback-faults.js';
export {
  type GeneratedMarketOptions as LoopbackMarketOptions,
  generatedInstrument as loopbackMarketInstrument,
  generateMarket as generateLoopbackMarket,
} from './market/generated-market.js';
export {
  BINANCE_RATE_LIMITS as BINANCE_LOOPBACK_LIMITS,
  type RateLimitOptions as BinanceLoopbackLimits,
} from './rest/rate-limiter.js';
export {
  type BinanceLoopback,
  type BinanceLoopbackOptions,
  LOOPBACK_API_KEY,
  LOOPBACK_API_SECRET,
  startBinanceLoopback,
} from './start-binance-loopback.js';
