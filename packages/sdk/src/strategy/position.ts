/** Our position in one symbol as known locally (changes only when a fill report arrives). */
export interface Position {
  readonly symbol: string;
  /** Signed: positive long, negative short. */
  readonly qty: number;
  /** Average entry price of the open quantity; NaN when flat. */
  readonly avgEntryPrice: number;
  /** Realized PnL in quote currency, before fees and funding. */
  readonly realizedPnl: number;
  /** Fees paid (negative = rebates received). */
  readonly fees: number;
  /** Funding paid (negative = received). */
  readonly funding: number;
}
