export * from './config.js';
export * from './consecutive-loss-guard.js';
export * from './daily-loss-guard.js';
export * from './order-rate-limiter.js';
export * from './order-rules.js';
export * from './quant-ratio-tracker.js';
export * from './risk-decision.js';
export type * from './risk-state.js';
