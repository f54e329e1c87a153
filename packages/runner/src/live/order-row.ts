import { type Order, type RejectCode, rejectReason } from '@botplatform/sdk';
import type { OrderRow } from './state-schema.js';

/** An order as the state file recorded it (NULL prices are NaN, as in the SDK). */
export function orderOfRow(r: OrderRow): Order {
  return {
    clientOrderId: r.client_order_id,
    ...(r.exchange_order_id !== null ? { exchangeOrderId: r.exchange_order_id } : {}),
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    price: r.price ?? Number.NaN,
    qty: r.qty,
    filledQty: r.filled_qty,
    avgFillPrice: r.avg_fill_price ?? Number.NaN,
    status: r.status,
    reduceOnly: r.reduce_only,
    ...(r.tag !== null ? { tag: r.tag } : {}),
    createdTs: r.created_ts,
    updatedTs: r.updated_ts,
    ...(r.reason_code !== null
      ? {
          reason: rejectReason(
            r.reason_code as RejectCode,
            r.reason_message ?? '',
            r.reason_exchange_code ?? undefined,
          ),
        }
      : {}),
  };
}
