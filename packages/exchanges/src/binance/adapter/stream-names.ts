/**
 * USD-M market stream names (lowercase symbols, as Binance requires) and which routed
 * endpoint carries each. fstream.binance.com splits by path: `/public` carries the
 * high-frequency book streams (`@depth`, `@bookTicker`), `/market` the regular ones
 * (`@aggTrade`, `@markPrice`); a stream asked for on the wrong path is silently never
 * delivered (Binance "Market Data Streams": "fails silently rather than erroring").
 */

/** Diff-depth push interval: `@depth@100ms`, `@depth` (250 ms), `@depth@500ms`. */
export type DepthSpeed = '100ms' | '250ms' | '500ms';

/** Mark price push interval: `@markPrice@1s` or `@markPrice` (3 s). */
export type MarkPriceSpeed = '1s' | '3s';

export type StreamRoute = 'public' | 'market';

export const depthStream = (symbol: string, speed: DepthSpeed): string =>
  `${symbol.toLowerCase()}@depth${speed === '250ms' ? '' : `@${speed}`}`;
export const bookTickerStream = (symbol: string): string => `${symbol.toLowerCase()}@bookTicker`;
export const aggTradeStream = (symbol: string): string => `${symbol.toLowerCase()}@aggTrade`;
export const markPriceStream = (symbol: string, speed: MarkPriceSpeed): string =>
  `${symbol.toLowerCase()}@markPrice${speed === '1s' ? '@1s' : ''}`;

/** Streams one connection may carry (USD-M "A single connection can listen to a maximum of 1024 streams"). */
export const MAX_STREAMS_PER_CONNECTION = 1024;

/** The combined-stream URL of a routed base (`wss://fstream.binance.com/public` → `…/public/stream`). */
export const combinedStreamUrl = (base: string): string => `${base.replace(/\/+$/, '')}/stream`;
