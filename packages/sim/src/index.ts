export * from './fees/fee-model.js';
export * from './latency/constant-latency.js';
export type * from './latency/latency-model.js';
export * from './latency/parse-latency.js';
export * from './matching/sim-exchange.js';
export * from './queue/parse-queue.js';
export type * from './queue/queue-model.js';
export * from './queue/risk-averse-queue.js';
