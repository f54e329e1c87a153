import type { TimeInForce } from '@botplatform/sdk';
import type { WireDecimals } from '../market/wire-decimal.js';

export type WireOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';

/** One order as the loopback reports it on REST, the WebSocket API and the user stream. */
export class OrderRecord {
  executedQty = 0;
  cumQuote = 0;
  status: WireOrderStatus = 'NEW';
  updateTime: number;

  constructor(
    readonly orderId: number,
    readonly clientOrderId: string,
    readonly symbol: string,
    readonly side: 'BUY' | 'SELL',
    readonly type: 'LIMIT' | 'MARKET',
    readonly timeInForce: TimeInForce,
    /** NaN for market orders; a modify changes it. */
    public price: number,
    /** Total quantity; a modify changes it. */
    public origQty: number,
    readonly reduceOnly: boolean,
    /** Creation time, ms. */
    readonly time: number,
  ) {
    this.updateTime = time;
  }

  get open(): boolean {
    return this.status === 'NEW' || this.status === 'PARTIALLY_FILLED';
  }

  get avgPrice(): number {
    return this.executedQty > 0 ? this.cumQuote / this.executedQty : 0;
  }

  get leavesQty(): number {
    return Math.max(0, this.origQty - this.executedQty);
  }
}

/**
 * The REST / WebSocket API order body (USD-M New Order, Cancel Order, Modify Order, Query
 * Order responses); `withTime` adds `time`, which Query Order and Current Open Orders carry.
 */
export function orderJson(o: OrderRecord, d: WireDecimals, withTime = false) {
  const body = {
    clientOrderId: o.clientOrderId,
    cumQty: d.qty(o.executedQty),
    cumQuote: d.quote(o.cumQuote),
    executedQty: d.qty(o.executedQty),
    orderId: o.orderId,
    avgPrice: d.price(o.avgPrice),
    origQty: d.qty(o.origQty),
    price: d.price(Number.isNaN(o.price) ? 0 : o.price),
    reduceOnly: o.reduceOnly,
    side: o.side,
    positionSide: 'BOTH',
    status: o.status,
    stopPrice: d.price(0),
    closePosition: false,
    symbol: o.symbol,
    ...(withTime ? { time: o.time } : {}),
    timeInForce: o.timeInForce,
    type: o.type,
    origType: o.type,
    updateTime: o.updateTime,
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'NONE',
    goodTillDate: 0,
  };
  return body;
}
