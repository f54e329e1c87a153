import {
  type CancelCommand,
  formatDecimal,
  type Instrument,
  type ModifyCommand,
  type OrderCommand,
} from '@botplatform/sdk';
import type { QueryValue } from '../sign.js';

/**
 * SDK order commands as USD-M request parameters (the same for POST /fapi/v1/order and the
 * WebSocket API's order.place). Prices and quantities are written as exact decimal strings on
 * the instrument's tick and step grid (Binance takes DECIMAL parameters as strings); GTX is
 * Binance's own post-only time in force. The response type is ACK: fills arrive on the user
 * data stream, which is the one source of order state.
 */
export type BinanceParams = Record<string, QueryValue>;

export function newOrderParams(cmd: OrderCommand, inst: Instrument): BinanceParams {
  const p: BinanceParams = {
    symbol: cmd.symbol,
    side: cmd.side === 'buy' ? 'BUY' : 'SELL',
    type: cmd.type === 'limit' ? 'LIMIT' : 'MARKET',
    quantity: formatDecimal(cmd.qty, inst.stepSize),
  };
  if (cmd.type === 'limit') {
    p.price = formatDecimal(cmd.price, inst.tickSize);
    p.timeInForce = cmd.timeInForce;
  }
  if (cmd.reduceOnly) p.reduceOnly = 'true';
  p.newClientOrderId = cmd.clientOrderId;
  p.newOrderRespType = 'ACK';
  return p;
}

export function cancelOrderParams(cmd: CancelCommand): BinanceParams {
  return { symbol: cmd.symbol, origClientOrderId: cmd.clientOrderId };
}

/** PUT /fapi/v1/order and order.modify: USD-M needs side, quantity and price, all three. */
export function modifyOrderParams(cmd: ModifyCommand, inst: Instrument): BinanceParams {
  return {
    symbol: cmd.symbol,
    origClientOrderId: cmd.clientOrderId,
    side: cmd.side === 'buy' ? 'BUY' : 'SELL',
    quantity: formatDecimal(cmd.qty, inst.stepSize),
    price: formatDecimal(cmd.price, inst.tickSize),
  };
}
