export * from './connection/backoff.js';
export * from './connection/token-bucket.js';
