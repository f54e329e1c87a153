import type { Fill } from '@botplatform/sdk';

/**
 * A fill as the `fills` columns of the run store and the live state file hold it (the state
 * file puts its `epoch` first): client_order_id, symbol, side, price, qty, fee, liquidity,
 * exch_ts, local_ts, tag, position_after.
 */
export function fillRow(f: Fill, positionAfter: number): (string | number | null)[] {
  return [
    f.clientOrderId,
    f.symbol,
    f.side,
    f.price,
    f.qty,
    f.fee,
    f.liquidity,
    f.exchTs,
    f.localTs,
    f.tag ?? null,
    positionAfter,
  ];
}
