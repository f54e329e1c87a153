// The live Binance USD-M adapter. The connection pieces it is built on are re-exported here
// too, so the package index needs one line for both.
export * from '../../connection/reconnecting-ws.js';
export * from '../../connection/scheduler.js';
export * from '../../connection/sliding-window-limiter.js';
export * from './binance-futures-exchange.js';
export * from './endpoints.js';
export * from './market-stream.js';
export * from './order-params.js';
export * from './order-tracker.js';
export * from './rate-limiter.js';
export * from './redact.js';
export * from './rest-bodies.js';
export * from './rest-client.js';
export * from './rest-error.js';
export * from './server-clock.js';
export * from './stream-names.js';
export * from './user-messages.js';
export * from './user-reports.js';
export * from './user-stream.js';
export * from './ws-api.js';
