import type { Micros } from '../time.js';

/**
 * Read-only view of an L2 book. Index 0 is the best level. Accessors return NaN (prices) or
 * 0 (quantities) past the last level, so hot code can read without allocating or branching
 * on undefined.
 */
export interface OrderBookView {
  readonly symbol: string;
  readonly tickSize: number;
  /** seq of the last applied depth message. */
  readonly seq: number;
  readonly exchTs: Micros;
  readonly localTs: Micros;
  readonly bidLevels: number;
  readonly askLevels: number;
  bestBid(): number;
  bestAsk(): number;
  bestBidQty(): number;
  bestAskQty(): number;
  /** (bestBid + bestAsk) / 2, NaN when a side is empty. */
  mid(): number;
  spread(): number;
  bidPrice(i: number): number;
  bidQty(i: number): number;
  askPrice(i: number): number;
  askQty(i: number): number;
  /** Resting quantity at exactly `price` on a side (1 bid, -1 ask); 0 if none. */
  qtyAt(side: 1 | -1, price: number): number;
  /** Sum of quantity over the best `n` levels of a side. */
  depth(side: 1 | -1, n: number): number;
  /** Sum of quantity of a side's levels within `band` (price distance) of that side's best. */
  depthWithin(side: 1 | -1, band: number): number;
  /** The best `n` levels as `[price, qty]` pairs (allocates; for convenience, not hot paths). */
  levels(side: 1 | -1, n: number): Array<[number, number]>;
  isCrossed(): boolean;
}
