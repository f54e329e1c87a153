import type { OrderRequest, OrderType, TimeInForce } from '../orders/order-request.js';

/**
 * One rung of a ladder: an absolute `price`, or `offsetTicks` from the plan's reference price.
 * A positive offset is on the passive side of the order: below the reference for a buy, above
 * it for a sell (so a long leg's scale-in ladder steps down and its scale-out ladder steps up).
 */
export type LadderLevel =
  | { readonly price: number; readonly qty: number }
  | { readonly offsetTicks: number; readonly qty: number };

/** Limit orders at several prices. */
export interface LadderPlan {
  readonly kind: 'ladder';
  readonly levels: readonly LadderLevel[];
  /**
   * Price the `offsetTicks` levels count from (rounded passively to the tick first). Required
   * for scale-in offsets; for scale-out it defaults to the leg's average entry price.
   */
  readonly reference?: number;
  readonly timeInForce?: TimeInForce;
}

/** One order for a fraction of the leg's current quantity. */
export interface FractionPlan {
  readonly kind: 'fraction';
  /** Fraction of the leg's current quantity, in (0, 1] for scale-out, > 0 for scale-in. */
  readonly fraction: number;
  /** Limit price; required when `type` is 'limit'. */
  readonly price?: number;
  /** Defaults to 'limit' when a price is given, else 'market'. */
  readonly type?: OrderType;
  readonly timeInForce?: TimeInForce;
}

export type ScaleInPlan = LadderPlan | FractionPlan;
export type ScaleOutPlan = LadderPlan | FractionPlan;

/** Builds the un-rounded order drafts a plan describes (the leg rounds and filters them). */
export type OrderDraft = Omit<OrderRequest, 'symbol' | 'side' | 'tag' | 'reduceOnly'>;

export function ladderDrafts(
  plan: LadderPlan,
  reference: number | undefined,
  levelPrice: (offsetTicks: number, reference: number) => number,
  what: string,
): OrderDraft[] {
  return plan.levels.map((level, i) => {
    if (!Number.isFinite(level.qty) || level.qty < 0) {
      throw new Error(`${what}: level ${i} qty must be a finite number ≥ 0, got ${level.qty}`);
    }
    let price: number;
    if ('price' in level) {
      price = level.price;
    } else {
      if (reference === undefined || !Number.isFinite(reference)) {
        throw new Error(`${what}: level ${i} uses offsetTicks but the plan has no reference price`);
      }
      price = levelPrice(level.offsetTicks, reference);
    }
    if (!Number.isFinite(price) || price <= 0) {
      throw new Error(`${what}: level ${i} price must be a positive number, got ${price}`);
    }
    const draft: OrderDraft = { type: 'limit', qty: level.qty, price };
    return plan.timeInForce === undefined ? draft : { ...draft, timeInForce: plan.timeInForce };
  });
}

export function fractionDraft(plan: FractionPlan, legQty: number, what: string): OrderDraft {
  if (!Number.isFinite(plan.fraction) || plan.fraction <= 0) {
    throw new Error(`${what}: fraction must be a positive number, got ${plan.fraction}`);
  }
  const type: OrderType = plan.type ?? (plan.price === undefined ? 'market' : 'limit');
  if (type === 'limit' && (plan.price === undefined || !Number.isFinite(plan.price) || plan.price <= 0)) {
    throw new Error(`${what}: a limit fraction plan needs a positive price, got ${plan.price}`);
  }
  let draft: OrderDraft = { type, qty: legQty * plan.fraction };
  if (type === 'limit') draft = { ...draft, price: plan.price };
  if (plan.timeInForce !== undefined) draft = { ...draft, timeInForce: plan.timeInForce };
  return draft;
}
