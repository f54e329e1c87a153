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
    };

export type ExecutionReportKind = ExecutionReport['kind'];
