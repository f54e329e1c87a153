import type { QueuePosition } from './queue-model.js';
import { TradeQueue } from './trade-queue.js';

/** `--queue` help line for prob-power:<n>. */
export const PROB_POWER_QUEUE_HELP =
  'prob-power:<n>  a level decrease not explained by trades is split, p = behindⁿ / (behindⁿ + aheadⁿ) of it behind the order and the rest ahead (n > 0)';

/** `--queue` help line for prob-log. */
export const PROB_LOG_QUEUE_HELP =
  'prob-log  as prob-power with f(x) = ln(1 + x): p = ln(1 + behind) / (ln(1 + behind) + ln(1 + ahead))';

/**
 * Probabilistic queue position (hftbacktest's ProbQueueModel, after
 * https://quant.stackexchange.com/q/3782): cancellations are assumed to come from anywhere in
 * the queue, more likely from the longer side. With f the model's weight function:
 *
 *   accept:               ahead = levelQty
 *   trade q at the price: reached = max(0, q − ahead);  ahead = max(0, ahead − q)
 *   level prev → new:     Δ = prev − new − traded       (traded = trade volume at the price
 *                                                         since the last depth update there;
 *                                                         reset to 0 by every level change)
 *                         behind = max(prev − ahead, 0)
 *                         p = f(behind) / (f(behind) + f(ahead))   (1 when both are 0)
 *     if Δ > 0:           ahead' = clamp(ahead − (1 − p)·Δ + min(behind − p·Δ, 0), 0, new)
 *     else:               ahead' = min(ahead, new)     (an increase joins behind the order)
 *
 * p is the probability that a cancellation was behind us: the (1 − p) share ahead of us moves
 * us forward, and what the behind share cannot absorb (behind − p·Δ < 0) came from ahead too.
 * Since both added terms are ≤ 0, these models are never behind RiskAverseQueue's estimate.
 */
export abstract class ProbQueue extends TradeQueue {
  /** The weight f(x) of a queue segment of x lots (f(0) = 0, increasing). */
  protected abstract weight(x: number): number;

  /** p = f(behind) / (f(behind) + f(ahead)); 1 when both weigh 0. */
  probBehind(ahead: number, behind: number): number {
    const fb = this.weight(behind);
    const sum = fb + this.weight(ahead);
    return sum > 0 ? fb / sum : 1;
  }

  onLevelChange(pos: QueuePosition, prevQty: number, newQty: number): void {
    const cap = Math.max(newQty, 0);
    const ahead = pos.queueAhead;
    const delta = prevQty - newQty - pos.queueTraded;
    pos.queueTraded = 0;
    let next = ahead;
    if (delta > 0) {
      const behind = Math.max(prevQty - ahead, 0);
      const p = this.probBehind(ahead, behind);
      next = ahead - (1 - p) * delta + Math.min(behind - p * delta, 0);
      if (next < 0) next = 0;
    }
    pos.queueAhead = Math.min(next, cap);
  }
}

/** {@link ProbQueue} with f(x) = xⁿ: `prob-power:<n>`. Larger n puts cancellations more on the longer side. */
export class ProbPowerQueue extends ProbQueue {
  readonly name: string;

  constructor(readonly n: number) {
    super();
    if (!(Number.isFinite(n) && n > 0)) {
      throw new RangeError(`ProbPowerQueue: n must be a finite number > 0, got ${n}`);
    }
    this.name = `prob-power:${n}`;
  }

  protected weight(x: number): number {
    return x ** this.n;
  }
}

/** {@link ProbQueue} with f(x) = ln(1 + x): `prob-log`. */
export class ProbLogQueue extends ProbQueue {
  readonly name = 'prob-log';

  protected weight(x: number): number {
    return Math.log1p(x);
  }
}
