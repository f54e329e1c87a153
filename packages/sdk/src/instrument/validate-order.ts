import type { OrderRequest } from '../orders/order-request.js';
import { type RejectCode, type RejectReason, rejectReason } from '../orders/reject-reason.js';
import type { Instrument } from './instrument.js';
import { decimalsOf, isOnGrid } from './price-grid.js';

export type OrderValidation = { readonly ok: true } | { readonly ok: false; readonly reason: RejectReason };

const OK: OrderValidation = Object.freeze({ ok: true });

/**
 * Binance USD-M error codes for each filter, so a local rejection reads like the venue's
 * (the simulated exchange uses this function to reject exactly as the real one does).
 */
const BINANCE = {
  badSymbol: -1121,
  invalidTif: -1115,
  invalidOrderType: -1116,
  invalidSide: -1117,
  mandatoryParam: -1102,
  badPrecision: -1111,
  priceLessThanZero: -4001,
  qtyLessThanZero: -4003,
  qtyLessThanMinQty: -4004,
  qtyGreaterThanMaxQty: -4005,
  priceNotIncreasedByTick: -4014,
  qtyNotIncreasedByStep: -4023,
  minNotional: -4164,
} as const;

const TIME_IN_FORCE = new Set(['GTC', 'IOC', 'FOK', 'GTX']);

/** Fraction of a limit by which a float-noisy value may miss it and still pass (0.1 × 3 vs 0.3). */
const LIMIT_TOLERANCE = 1e-9;

const reject = (code: RejectCode, message: string, exchangeCode: number): OrderValidation => ({
  ok: false,
  reason: rejectReason(code, message, exchangeCode),
});

/** Shortest readable form of a computed value (drops float noise such as 4.999999999999999). */
const num = (x: number): string => String(Number(x.toPrecision(12)));

/**
 * Checks an order request against the instrument's filters, in this fixed order:
 * symbol, type / time in force, quantity, price, tick grid, step grid, min / max quantity,
 * min notional. Returns the first failure.
 *
 * Notional is `price × qty × contractSize`; market orders use `refPrice` (e.g. the opposite
 * best price) when given and skip the check otherwise. Reduce-only orders are exempt from
 * min notional, as on Binance ("unless you choose reduce only").
 */
export function validateOrder(inst: Instrument, req: OrderRequest, refPrice?: number): OrderValidation {
  const sym = inst.symbol;
  if (req.symbol !== sym) {
    return reject(
      'UNKNOWN_SYMBOL',
      `symbol ${req.symbol} does not match instrument ${sym}`,
      BINANCE.badSymbol,
    );
  }
  if (req.side !== 'buy' && req.side !== 'sell') {
    return reject(
      'INVALID_REQUEST',
      `side ${String(req.side)} is not buy or sell for ${sym}`,
      BINANCE.invalidSide,
    );
  }
  if (req.type !== 'limit' && req.type !== 'market') {
    return reject(
      'INVALID_REQUEST',
      `order type ${String(req.type)} is not limit or market for ${sym}`,
      BINANCE.invalidOrderType,
    );
  }
  const tif = req.timeInForce;
  if (tif !== undefined && !TIME_IN_FORCE.has(tif)) {
    return reject(
      'INVALID_REQUEST',
      `time in force ${String(tif)} is not GTC, IOC, FOK or GTX for ${sym}`,
      BINANCE.invalidTif,
    );
  }
  if (req.type === 'market' && tif === 'GTX') {
    return reject(
      'INVALID_REQUEST',
      `a market order cannot be post-only (GTX) for ${sym}`,
      BINANCE.invalidTif,
    );
  }

  const qty = req.qty;
  if (typeof qty !== 'number' || !Number.isFinite(qty) || qty <= 0) {
    return reject(
      'INVALID_QTY',
      `qty ${String(qty)} must be a finite number > 0 for ${sym}`,
      BINANCE.qtyLessThanZero,
    );
  }

  const isLimit = req.type === 'limit';
  const price = req.price;
  if (isLimit) {
    if (typeof price !== 'number' || !Number.isFinite(price)) {
      return reject(
        'INVALID_PRICE',
        `limit order needs a finite price, got ${String(price)} for ${sym}`,
        BINANCE.mandatoryParam,
      );
    }
    if (price <= 0) {
      return reject('INVALID_PRICE', `price ${price} must be > 0 for ${sym}`, BINANCE.priceLessThanZero);
    }
    if (!isOnGrid(price, inst.tickSize)) {
      return reject(
        'PRICE_PRECISION',
        `price ${price} is not a multiple of tick size ${inst.tickSize} for ${sym}`,
        BINANCE.priceNotIncreasedByTick,
      );
    }
  }

  if (!isOnGrid(qty, inst.stepSize)) {
    // Binance answers -1111 when the quantity has more decimals than allowed, -4023 otherwise.
    const code =
      decimalsOf(qty) > decimalsOf(inst.stepSize) ? BINANCE.badPrecision : BINANCE.qtyNotIncreasedByStep;
    return reject(
      'QTY_PRECISION',
      `qty ${qty} is not a multiple of step size ${inst.stepSize} for ${sym}`,
      code,
    );
  }
  if (qty < inst.minQty - LIMIT_TOLERANCE * inst.stepSize) {
    return reject(
      'QTY_TOO_SMALL',
      `qty ${qty} is below min qty ${inst.minQty} for ${sym}`,
      BINANCE.qtyLessThanMinQty,
    );
  }
  const maxQty = inst.maxQty;
  if (maxQty !== undefined && qty > maxQty + LIMIT_TOLERANCE * inst.stepSize) {
    return reject(
      'QTY_TOO_LARGE',
      `qty ${qty} is above max qty ${maxQty} for ${sym}`,
      BINANCE.qtyGreaterThanMaxQty,
    );
  }

  const notionalPrice = isLimit ? price : refPrice;
  if (
    req.reduceOnly !== true &&
    inst.minNotional > 0 &&
    typeof notionalPrice === 'number' &&
    Number.isFinite(notionalPrice) &&
    notionalPrice > 0
  ) {
    const cs = inst.contractSize;
    const notional = notionalPrice * qty * cs;
    if (notional < inst.minNotional * (1 - LIMIT_TOLERANCE)) {
      const terms = `price ${notionalPrice} × qty ${qty}${cs === 1 ? '' : ` × contract size ${cs}`}`;
      return reject(
        'NOTIONAL_TOO_SMALL',
        `notional ${num(notional)} (${terms}) is below min notional ${inst.minNotional} for ${sym}`,
        BINANCE.minNotional,
      );
    }
  }
  return OK;
}
