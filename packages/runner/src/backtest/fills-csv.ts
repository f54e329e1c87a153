import type { Fill } from '@botplatform/sdk';

export const FILLS_CSV_HEADER = 'client_order_id,symbol,side,price,qty,fee,liquidity,exch_ts,local_ts';

/** One CSV line per fill; numbers in JS shortest round-trip form so two runs compare byte for byte. */
export function fillToCsv(f: Fill): string {
  return `${csvField(f.clientOrderId)},${csvField(f.symbol)},${f.side},${f.price},${f.qty},${f.fee},${f.liquidity},${f.exchTs},${f.localTs}`;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
