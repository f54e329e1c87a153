import type { Micros } from '../time.js';
import type { Liquidity } from './fill.js';
import type { RejectReason } from './reject-reason.js';

/**
 * What a venue (simulated or live) reports about one order, in exchange time. The
 * ExecutionEngine turns these into order-state changes and fills once they arrive locally.
 */
export type ExecutionReport =
  | {
      readonly kind: 'accepted';
      readonly clientOrderId: string;
      readonly exchangeOrderId: string;
      readonly exchTs: Micros;
    }
  | {
      readonly kind: 'rejected';
      readonly clientOrderId: string;
      readonly reason: RejectReason;
      readonly exchTs: Micros;
    }
  | {
      readonly kind: 'fill';
      readonly clientOrderId: string;
      readonly price: number;
      readonly qty: number;
      readonly fee: number;
      readonly liquidity: Liquidity;
      /** Quantity still open after this fill. */
      readonly leavesQty: number;
      readonly exchTs: Micros;
    }
  | { readonly kind: 'canceled'; readonly clientOrderId: string; readonly exchTs: Micros }
  | {
      readonly kind: 'expired';
      readonly clientOrderId: string;
      readonly reason: RejectReason;
      readonly exchTs: Micros;
    }
  | {
      readonly kind: 'cancelRejected';
      readonly clientOrderId: string;
      readonly reason: RejectReason;
      readonly exchTs: Micros;
    }
  | {
      readonly kind: 'modified';
      readonly clientOrderId: string;
      readonly price: number;
      /** New total quantity; leaves = qty − filled. */
      readonly qty: number;
      readonly exchTs: Micros;
    }
  | {
      readonly kind: 'modifyRejected';
      readonly clientOrderId: string;
      readonly reason: RejectReason;
      readonly exchTs: Micros;
    }
  | FundingReport;

/**
 * Funding settled on a position at a funding time (Binance ACCOUNT_UPDATE, reason FUNDING_FEE).
 * `amount` is what we paid: positionQty × markPrice × rate × contractSize; negative = received.
 * A positive rate makes longs pay shorts.
 */
export interface FundingReport {
  readonly kind: 'funding';
  readonly symbol: string;
  readonly markPrice: number;
  readonly rate: number;
  readonly positionQty: number;
  readonly amount: number;
  /** The funding time. */
  readonly exchTs: Micros;
}

/** Reports about one order (every kind but funding). */
export type OrderReport = Exclude<ExecutionReport, FundingReport>;

export type ExecutionReportKind = ExecutionReport['kind'];
