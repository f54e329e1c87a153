import { type Instrument, type OrderRequest, type RejectReason, validateOrder } from '@botplatform/sdk';

export type RiskDecision = { readonly ok: true } | { readonly ok: false; readonly reason: RejectReason };

/**
 * Every order passes here before it leaves, in backtest and live alike. It applies the
 * exchange's own filters (tick, step, min qty, min notional) so a bad order is refused
 * locally with the same reason the exchange would give, without spending a request.
 * Position, rate and loss limits plug in here as further checks.
 */
export class RiskEngine {
  check(inst: Instrument, req: OrderRequest, refPrice: number): RiskDecision {
    const v = validateOrder(inst, req, Number.isNaN(refPrice) ? undefined : refPrice);
    return v.ok ? { ok: true } : { ok: false, reason: v.reason };
  }
}
