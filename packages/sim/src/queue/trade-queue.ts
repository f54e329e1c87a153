import type { QueueModel, QueuePosition } from './queue-model.js';

/**
 * What every queue model agrees on; they differ only in how a level change moves the order.
 *
 *   accept:               ahead = levelQty,  traded = 0
 *   trade q at the price: reached = max(0, q − ahead);  ahead = max(0, ahead − q);  traded += q
 */
export abstract class TradeQueue implements QueueModel {
  abstract readonly name: string;

  onAccept(pos: QueuePosition, levelQty: number): void {
    pos.queueAhead = Math.max(levelQty, 0);
    pos.queueTraded = 0;
  }

  onTrade(pos: QueuePosition, tradeQty: number): number {
    const ahead = pos.queueAhead;
    pos.queueTraded += tradeQty;
    if (tradeQty > ahead) {
      pos.queueAhead = 0;
      return tradeQty - ahead;
    }
    pos.queueAhead = ahead - tradeQty;
    return 0;
  }

  abstract onLevelChange(pos: QueuePosition, prevQty: number, newQty: number): void;
}
