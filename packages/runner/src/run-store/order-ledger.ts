import {
  type Fill,
  type Micros,
  type Order,
  type OrderStatus,
  QuantRatioTracker,
  type QuantRulesConfig,
  type RejectReason,
  riskConfigSchema,
} from '@botplatform/sdk';

/**
 * Every state change of every order, as the strategy saw them, one column per field (row i
 * across them): a long run has hundreds of thousands, and a snapshot object kept per change
 * would hold tens of MB.
 */
export interface OrderEventColumns {
  readonly clientOrderId: string[];
  readonly ts: number[];
  readonly status: OrderStatus[];
  readonly filledQty: number[];
  readonly price: number[];
  readonly qty: number[];
  readonly reason: (RejectReason | undefined)[];
}

export interface QuantRatioPeaks {
  unfilled: number | null;
  cancelWithin5s: number | null;
  iocFokExpiry: number | null;
}

/** Reject codes our side gives before an order leaves (the exchange never saw these orders). */
const LOCAL_CODES = new Set([
  'RISK_DENIED',
  'PRICE_PRECISION',
  'QTY_PRECISION',
  'QTY_TOO_SMALL',
  'QTY_TOO_LARGE',
  'NOTIONAL_TOO_SMALL',
  'INVALID_PRICE',
  'INVALID_QTY',
  'INVALID_REQUEST',
  'UNKNOWN_SYMBOL',
]);

/**
 * Every order of the run with its whole state history, the local time of its first fill, and
 * the exchange's quantitative-trading ratios it drove: the same rolling-window tracker the
 * RiskEngine uses (Binance's defaults), read after every change; a peak counts only once the
 * window holds the exchange's minimum number of orders, as the exchange itself judges.
 */
export class OrderLedger {
  readonly latest = new Map<string, Order>();
  readonly firstFillTs = new Map<string, Micros>();
  readonly events: OrderEventColumns = {
    clientOrderId: [],
    ts: [],
    status: [],
    filledQty: [],
    price: [],
    qty: [],
    reason: [],
  };
  private readonly sent = new Set<string>();
  private readonly quantCfg: QuantRulesConfig;
  private readonly quant: QuantRatioTracker;
  readonly peaks: QuantRatioPeaks = { unfilled: null, cancelWithin5s: null, iocFokExpiry: null };

  constructor() {
    this.quantCfg = riskConfigSchema.parse({ quantRules: {} }).quantRules!;
    this.quant = new QuantRatioTracker(this.quantCfg, () => {});
  }

  onUpdate(o: Order): void {
    const id = o.clientOrderId;
    const prev = this.latest.get(id);
    this.latest.set(id, o);
    const e = this.events;
    e.clientOrderId.push(id);
    e.ts.push(o.updatedTs);
    e.status.push(o.status);
    e.filledQty.push(o.filledQty);
    e.price.push(o.price);
    e.qty.push(o.qty);
    e.reason.push(o.reason);
    const now = o.updatedTs;
    const isLimit = o.type === 'limit';
    if (!this.sent.has(id) && reachedVenue(o)) {
      this.sent.add(id);
      this.quant.onSent(o.symbol, o.timeInForce, isLimit, o.createdTs);
    }
    if (prev?.status !== o.status) {
      if (o.status === 'canceled') this.quant.onCanceled(o.symbol, o.timeInForce, now - o.createdTs, now);
      if (o.status === 'expired') this.quant.onExpired(o.symbol, o.timeInForce, isLimit, now);
    }
    this.readPeaks(o.symbol, now);
  }

  onFill(f: Fill): void {
    const first = !this.firstFillTs.has(f.clientOrderId);
    if (first) this.firstFillTs.set(f.clientOrderId, f.localTs);
    this.quant.onFill(f.symbol, f.price * f.qty, first, f.localTs);
    this.readPeaks(f.symbol, f.localTs);
  }

  /** Orders that reached the exchange (not refused on our side before leaving). */
  reachedVenue(): Order[] {
    return [...this.latest.values()].filter(reachedVenue);
  }

  private readPeaks(symbol: string, now: Micros): void {
    const r = this.quant.ratios(symbol, now);
    if (r.orders < this.quantCfg.minOrders) return;
    const p = this.peaks;
    p.unfilled = maxOf(p.unfilled, r.unfilledRatio);
    p.cancelWithin5s = maxOf(p.cancelWithin5s, r.gtcCancelRatio);
    p.iocFokExpiry = maxOf(p.iocFokExpiry, r.iocExpiryRatio);
  }
}

function reachedVenue(o: Order): boolean {
  if (o.status === 'pending') return false;
  return !(o.status === 'rejected' && o.reason !== undefined && LOCAL_CODES.has(o.reason.code));
}

function maxOf(a: number | null, b: number): number | null {
  if (Number.isNaN(b)) return a;
  return a === null || b > a ? b : a;
}
