import type { Instrument, RejectReason } from '@botplatform/sdk';
import { BinanceError } from '../binance-error.js';

/**
 * Binance's messages for the codes the simulated exchange answers with (USD-M "Error Codes";
 * -4164 as Binance words it on the wire). Codes absent here keep the sim's own message,
 * which the exchange-reasons module already takes from Binance where it matters.
 */
const MESSAGES: Readonly<Record<number, string>> = {
  [-1102]: 'A mandatory parameter was not sent, was empty/null, or malformed.',
  [-1111]: 'Precision is over the maximum defined for this asset.',
  [-1115]: 'Invalid timeInForce.',
  [-1116]: 'Invalid orderType.',
  [-1117]: 'Invalid side.',
  [-1121]: 'Invalid symbol.',
  [-2022]: 'ReduceOnly Order is rejected.',
  [-4001]: 'Price less than 0.',
  [-4003]: 'Quantity less than zero.',
  [-4004]: 'Quantity less than min quantity.',
  [-4005]: 'Quantity greater than max quantity.',
  [-4014]: 'Price not increased by tick size.',
  [-4023]: 'Qty not increased by step size.',
};

/** The Binance error for a refusal of the simulated exchange. */
export function rejectError(reason: RejectReason, inst: Instrument | undefined): BinanceError {
  const code = reason.exchangeCode ?? fallbackCode(reason);
  if (code === -4164 && inst !== undefined) {
    return new BinanceError(
      400,
      code,
      `Order's notional must be no smaller than ${inst.minNotional} (unless you choose reduce only).`,
    );
  }
  return new BinanceError(400, code, MESSAGES[code] ?? reason.message);
}

/** Codes for the sim's refusals that carry none (modify checks Binance words differently). */
function fallbackCode(reason: RejectReason): number {
  switch (reason.code) {
    case 'MODIFY_REJECTED':
    case 'INVALID_REQUEST':
      return -1130;
    case 'RATE_LIMITED':
      return -1003;
    default:
      return -2010;
  }
}
