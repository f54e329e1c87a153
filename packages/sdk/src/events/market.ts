import type { Micros } from '../time.js';
import type { Side } from './side.js';

/**
 * Normalized market events: one shape per kind whatever the exchange (quirks stay in the
 * adapters). Every event carries both clocks: `exchTs` when the exchange produced it and
 * `localTs` when this process received it. They are never mixed: the simulated exchange acts
 * at `exchTs`, the strategy sees the event at `localTs`.
 */
export interface MarketEventBase {
  readonly exchange: string;
  readonly symbol: string;
  readonly exchTs: Micros;
  readonly localTs: Micros;
}

/** One trade; `side` is the aggressor's side. */
export interface Trade extends MarketEventBase {
  readonly type: 'trade';
  readonly tradeId: number;
  readonly price: number;
  readonly qty: number;
  readonly side: Side;
}

/** A price level as `[price, qty]`; qty is the absolute level size, 0 removes the level. */
export type Level = readonly [price: number, qty: number];

/**
 * A depth message: a full snapshot (`isSnapshot`, replaces the book) or a diff of absolute
 * level sizes. `prevSeq` is the `seq` of the message this one follows (Binance `pu`).
 */
export interface DepthUpdate extends MarketEventBase {
  readonly type: 'depth';
  readonly seq: number;
  readonly prevSeq: number;
  readonly isSnapshot: boolean;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

/** Best bid and offer, as the exchange's book-ticker stream reports it. */
export interface BookTicker extends MarketEventBase {
  readonly type: 'bookTicker';
  readonly seq: number;
  readonly bidPrice: number;
  readonly bidQty: number;
  readonly askPrice: number;
  readonly askQty: number;
}

/** Mark price with the funding that settles at `nextFundingTs`. */
export interface MarkPrice extends MarketEventBase {
  readonly type: 'markPrice';
  readonly markPrice: number;
  readonly indexPrice: number;
  readonly fundingRate: number;
  readonly nextFundingTs: Micros;
}

export interface OpenInterest extends MarketEventBase {
  readonly type: 'openInterest';
  readonly openInterest: number;
}

export type MarketEvent = Trade | DepthUpdate | BookTicker | MarkPrice | OpenInterest;
export type MarketEventType = MarketEvent['type'];
