export * from './compute-metrics.js';
export * from './execute-run.js';
export * from './order-ledger.js';
export * from './round-trips.js';
export * from './run-metrics.js';
export * from './run-recorder.js';
export * from './run-schema.js';
export * from './write-run-store.js';
