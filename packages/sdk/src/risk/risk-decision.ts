import { type RejectReason, rejectReason } from '../orders/reject-reason.js';

/** Which risk rule refused an order; carried in the message of a `RISK_DENIED` reason as `[rule]`. */
export type RiskRule =
  | 'maxPositionQty'
  | 'maxPositionNotional'
  | 'maxOpenOrders'
  | 'maxOrderNotional'
  | 'priceBand'
  | 'dailyLossLimit'
  | 'consecutiveLosses'
  | 'maxOpenPositions'
  | 'orderRate10s'
  | 'orderRate60s'
  | 'unfilledRatio'
  | 'gtcCancelRatio'
  | 'iocExpiryRatio'
  | 'dustRatio';

export type RiskResult = { readonly ok: true } | { readonly ok: false; readonly reason: RejectReason };

export const RISK_OK: RiskResult = Object.freeze({ ok: true });

/** A `RISK_DENIED` refusal whose message starts with `[rule]`. */
export const riskDenied = (rule: RiskRule, message: string): RiskResult => ({
  ok: false,
  reason: rejectReason('RISK_DENIED', `[${rule}] ${message}`),
});

/** The rule named by a `RISK_DENIED` reason; undefined for any other reason. */
export function riskRuleOf(reason: RejectReason | undefined): RiskRule | undefined {
  if (reason?.code !== 'RISK_DENIED') return undefined;
  const m = /^\[(\w+)\]/.exec(reason.message);
  return m ? (m[1] as RiskRule) : undefined;
}

/** Shortest readable form of a computed value (drops float noise). */
export const fmt = (x: number): string => String(Number(x.toPrecision(10)));
