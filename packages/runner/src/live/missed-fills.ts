import type { ExecutionReport, Micros } from '@botplatform/sdk';
import type { VenueFill } from './reconcilable-exchange.js';

export type FillReport = Extract<ExecutionReport, { kind: 'fill' }>;

/** Quantities are sums of exchange decimals: equal within this. */
const QTY_EPS = 1e-9;

/**
 * The fills of one order that the state file does not hold, as the reports the exchange would
 * have sent: its executions in trade-id order, minus the first `seenQty` (what the state
 * already recorded, the oldest executions). `leavesQty` counts down from the order's `qty`.
 *
 * Returns undefined when the executions do not account for exactly `filledQty` or the seen
 * quantity does not end on an execution boundary: the exchange's list is then incomplete (old
 * trades aged out, a page missing) and guessing would invent fills.
 */
export function missedFillReports(
  clientOrderId: string,
  qty: number,
  seenQty: number,
  filledQty: number,
  fills: readonly VenueFill[],
): FillReport[] | undefined {
  const sorted = [...fills].sort((a, b) => a.tradeId - b.tradeId);
  const total = sorted.reduce((s, f) => s + f.qty, 0);
  if (Math.abs(total - filledQty) > QTY_EPS) return undefined;
  let cum = 0;
  const out: FillReport[] = [];
  for (const f of sorted) {
    const before = cum;
    cum += f.qty;
    if (cum <= seenQty + QTY_EPS) continue;
    if (before < seenQty - QTY_EPS) return undefined; // the state saw part of one execution
    out.push({
      kind: 'fill',
      clientOrderId,
      price: f.price,
      qty: f.qty,
      fee: f.fee,
      liquidity: f.liquidity,
      leavesQty: Math.max(0, round9(qty - cum)),
      exchTs: f.exchTs,
    });
  }
  if (cum < seenQty - QTY_EPS) return undefined; // the state holds more than the exchange filled
  return out;
}

/** Signed quantity of a list of fills of one order (buys +, sells −). */
export function signedQty(side: 'buy' | 'sell', fills: readonly FillReport[]): number {
  const q = fills.reduce((s, f) => s + f.qty, 0);
  return side === 'buy' ? q : -q;
}

/** The latest exchange time among reports (0 for none). */
export function lastExchTs(reports: readonly { readonly exchTs: Micros }[]): Micros {
  return reports.reduce((m, r) => Math.max(m, r.exchTs), 0);
}

const round9 = (x: number): number => Math.round(x * 1e9) / 1e9;
