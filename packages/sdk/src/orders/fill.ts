import type { Side } from '../events/side.js';
import type { Micros } from '../time.js';

export type Liquidity = 'maker' | 'taker';

/** One execution of one of our orders. `fee` is in quote currency; negative is a rebate. */
export interface Fill {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly qty: number;
  readonly fee: number;
  readonly liquidity: Liquidity;
  /** Exchange time of the match. */
  readonly exchTs: Micros;
  /** Local time the fill report arrived. */
  readonly localTs: Micros;
  readonly tag?: string;
}
