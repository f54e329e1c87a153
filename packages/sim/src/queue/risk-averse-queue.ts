import type { QueuePosition } from './queue-model.js';
import { TradeQueue } from './trade-queue.js';

/** `--queue` help line for this model. */
export const RISK_AVERSE_QUEUE_HELP =
  'risk-averse  only trades at the price advance the order; a level decrease only caps the queue ahead: ahead = min(ahead, level)';

/**
 * The most conservative queue model (hftbacktest's RiskAverseQueueModel): only trades move the
 * order forward; cancellations are assumed to come from behind it.
 *
 *   accept:               ahead = levelQty
 *   trade q at the price: reached = max(0, q − ahead);  ahead = max(0, ahead − q)
 *   level prev → new:     ahead = min(ahead, new)      (a decrease only caps the queue at the
 *                                                        new level size; an increase is behind)
 */
export class RiskAverseQueue extends TradeQueue {
  readonly name = 'risk-averse';

  onLevelChange(pos: QueuePosition, _prevQty: number, newQty: number): void {
    const cap = Math.max(newQty, 0);
    if (pos.queueAhead > cap) pos.queueAhead = cap;
    pos.queueTraded = 0;
  }
}
