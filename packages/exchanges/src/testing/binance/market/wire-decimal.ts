import { decimalsOf, type Instrument } from '@botplatform/sdk';

/**
 * Binance sends prices and sizes as exact decimal strings with the symbol's precision
 * ("43187.00", "0.100"). Values on the tick / step grid format exactly with toFixed.
 */
export interface WireDecimals {
  price(x: number): string;
  qty(x: number): string;
  /** price × qty amounts (cumQuote, notional): price decimals + qty decimals. */
  quote(x: number): string;
}

export function wireDecimals(inst: Instrument): WireDecimals {
  const pd = decimalsOf(inst.tickSize);
  const qd = decimalsOf(inst.stepSize);
  const cd = Math.min(pd + qd, 8);
  return {
    price: (x) => fixed(x, pd),
    qty: (x) => fixed(x, qd),
    quote: (x) => fixed(x, cd),
  };
}

/** Fees, PnL and balances: 8 decimals, as Binance reports USDT amounts. */
export const money = (x: number): string => fixed(x, 8);

function fixed(x: number, d: number): string {
  if (!Number.isFinite(x)) return (0).toFixed(d);
  const s = x.toFixed(d);
  // -0.00 reads as a sign error on the wire.
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}
