import { decimalsOf, type Instrument } from '@botplatform/sdk';
import type { RateLimitOptions } from './rate-limiter.js';

/**
 * `GET /fapi/v1/exchangeInfo` for the loopback's instruments, in USD-M's shape ("Exchange
 * Information"): rateLimits from the configured limits, and per symbol the filters the
 * simulated exchange enforces (PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, MIN_NOTIONAL); the
 * PERCENT_PRICE and MAX_NUM_ORDERS filters are left out because nothing here enforces them.
 */
export function exchangeInfoBody(
  instruments: readonly Instrument[],
  limits: RateLimitOptions,
  serverTime: number,
) {
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limits.weightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: limits.ordersPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: instruments.map(symbolBody),
  };
}

function symbolBody(inst: Instrument) {
  const pd = decimalsOf(inst.tickSize);
  const qd = decimalsOf(inst.stepSize);
  const price = (x: number) => x.toFixed(pd);
  const qty = (x: number) => x.toFixed(qd);
  const maxQty = qty(inst.maxQty ?? 1_000_000);
  const base = inst.symbol.endsWith('USDT') ? inst.symbol.slice(0, -4) : inst.symbol;
  return {
    symbol: inst.symbol,
    pair: inst.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: base,
    quoteAsset: 'USDT',
    marginAsset: 'USDT',
    pricePrecision: pd,
    quantityPrecision: qd,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: price(inst.tickSize),
        maxPrice: price(10_000_000),
        tickSize: price(inst.tickSize),
      },
      {
        filterType: 'LOT_SIZE',
        minQty: qty(inst.minQty || inst.stepSize),
        maxQty,
        stepSize: qty(inst.stepSize),
      },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: qty(inst.minQty || inst.stepSize),
        maxQty,
        stepSize: qty(inst.stepSize),
      },
      { filterType: 'MIN_NOTIONAL', notional: String(inst.minNotional) },
    ],
    orderTypes: ['LIMIT', 'MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}
