import type { BookTicker, MarkPrice, Trade } from '@botplatform/sdk';
import type { BinanceDepthDiff } from './messages/depth-update.js';

/** Market events a Binance USD-M stream frame can carry, normalized. */
export type BinanceMarketEvent = Trade | BookTicker | MarkPrice | BinanceDepthDiff;

/** Request id of a control frame, as the client sent it. */
export type BinanceRequestId = number | string | null;

/**
 * One parsed frame of a USD-M market-stream socket. `stream` is the combined-stream name
 * (`btcusdt@depth@100ms`) or undefined for a raw `/ws` stream.
 */
export type BinanceMessage =
  | { readonly kind: 'market'; readonly stream: string | undefined; readonly event: BinanceMarketEvent }
  | { readonly kind: 'ack'; readonly id: BinanceRequestId; readonly result: unknown }
  | { readonly kind: 'error'; readonly id: BinanceRequestId; readonly code: number; readonly msg: string }
  | {
      readonly kind: 'unknown';
      readonly stream: string | undefined;
      /** The frame's `e`, when it has one (e.g. `kline`, `24hrMiniTicker`). */
      readonly eventType: string | undefined;
      readonly reason: string;
    };
