import type { TimeInForce } from '@botplatform/sdk';
import type { QueuePosition } from '../queue/queue-model.js';

/**
 * One order inside the simulated exchange, from acceptance until it closes. Quantities are in
 * lots (see lots.ts); `leaves = qtyLots − filledLots`. The queue model's state lives here too,
 * so queue updates allocate nothing. `price`, `priceTicks` and `qtyLots` change only by a modify.
 */
export class SimOrder implements QueuePosition {
  filledLots = 0;
  /** False once filled, canceled or expired. */
  open = true;
  /** True while it sits in its symbol's resting list (GTC / GTX remainder). */
  resting = false;
  queueAhead = 0;
  queueTraded = 0;

  constructor(
    readonly clientOrderId: string,
    readonly exchangeOrderId: string,
    /** Instrument index. */
    readonly sym: number,
    /** 1 buy, -1 sell. */
    readonly side: 1 | -1,
    /** Limit price as sent or last modified (NaN for market orders): the price of every maker fill. */
    public price: number,
    /** `Math.round(price / tickSize)`; NaN for market orders. */
    public priceTicks: number,
    /** Total quantity (filled part included); a modify may change it. */
    public qtyLots: number,
    readonly timeInForce: TimeInForce,
    readonly reduceOnly: boolean,
  ) {}

  get leavesLots(): number {
    return this.qtyLots - this.filledLots;
  }
}
