import type { Side } from '../events/side.js';
import type { Micros } from '../time.js';

/**
 * What the risk rules may read: a read-only view of the account, the books and the clock,
 * supplied by the kernel. Every method is cheap; none allocates.
 */
export interface RiskStateView {
  /** Kernel (event) time in µs. */
  now(): Micros;
  /** Signed position in base quantity (0 when flat). */
  positionQty(symbol: string): number;
  /** Remaining (unfilled) quantity of open orders on one side of a symbol. */
  openOrderQty(symbol: string, side: Side): number;
  /** Open orders, of one symbol or of all. */
  openOrderCount(symbol?: string): number;
  /** Symbols with a non-zero position. */
  openPositionCount(): number;
  /** Mid price of the symbol's book; NaN when one side is empty. */
  mid(symbol: string): number;
  /** The symbol's realized PnL − fees − funding so far, in quote currency. */
  netPnl(symbol: string): number;
  /** Account equity in quote currency (realized + unrealized − fees − funding). */
  equity(): number;
}
