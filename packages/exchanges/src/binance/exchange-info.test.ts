import { describe, expect, it } from 'vitest';
import { BINANCE_FUTURES_VIP0_FEES, instrumentsFromExchangeInfo } from './exchange-info.js';

/**
 * The response example of "Exchange Information" (GET /fapi/v1/exchangeInfo) in Binance's
 * USDⓈ-M futures API documentation, as carried in openxapi/openxapi
 * specs/binance/openapi/umfutures/get_fapi_v1_exchangeInfo.yaml (commit 286a3745, schema
 * UmfuturesGetExchangeInfoV1Resp, `example`), unchanged.
 */
const DOCS_EXAMPLE = {
  exchangeFilters: [],
  rateLimits: [
    { interval: 'MINUTE', intervalNum: 1, limit: 2400, rateLimitType: 'REQUEST_WEIGHT' },
    { interval: 'MINUTE', intervalNum: 1, limit: 1200, rateLimitType: 'ORDERS' },
  ],
  serverTime: 1565613908500,
  assets: [
    { asset: 'BUSD', marginAvailable: true, autoAssetExchange: 0 },
    { asset: 'USDT', marginAvailable: true, autoAssetExchange: 0 },
    { asset: 'BNB', marginAvailable: false, autoAssetExchange: null },
  ],
  symbols: [
    {
      symbol: 'BLZUSDT',
      pair: 'BLZUSDT',
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1598252400000,
      status: 'TRADING',
      maintMarginPercent: '2.5000',
      requiredMarginPercent: '5.0000',
      baseAsset: 'BLZ',
      quoteAsset: 'USDT',
      marginAsset: 'USDT',
      pricePrecision: 5,
      quantityPrecision: 0,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      underlyingSubType: ['STORAGE'],
      settlePlan: 0,
      triggerProtect: '0.15',
      filters: [
        { filterType: 'PRICE_FILTER', maxPrice: '300', minPrice: '0.0001', tickSize: '0.0001' },
        { filterType: 'LOT_SIZE', maxQty: '10000000', minQty: '1', stepSize: '1' },
        { filterType: 'MARKET_LOT_SIZE', maxQty: '590119', minQty: '1', stepSize: '1' },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
        { filterType: 'MIN_NOTIONAL', notional: '5.0' },
        {
          filterType: 'PERCENT_PRICE',
          multiplierUp: '1.1500',
          multiplierDown: '0.8500',
          multiplierDecimal: 4,
        },
      ],
      OrderType: [
        'LIMIT',
        'MARKET',
        'STOP',
        'STOP_MARKET',
        'TAKE_PROFIT',
        'TAKE_PROFIT_MARKET',
        'TRAILING_STOP_MARKET',
      ],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
      liquidationFee: '0.010000',
      marketTakeBound: '0.30',
    },
  ],
  timezone: 'UTC',
};

describe('instrumentsFromExchangeInfo', () => {
  it("maps Binance's documented exchangeInfo example to an instrument", () => {
    expect(instrumentsFromExchangeInfo(DOCS_EXAMPLE, BINANCE_FUTURES_VIP0_FEES)).toEqual([
      {
        exchange: 'binance-futures',
        symbol: 'BLZUSDT',
        tickSize: 0.0001,
        stepSize: 1,
        minQty: 1,
        minNotional: 5,
        makerFee: 0.0002,
        takerFee: 0.0005,
        contractSize: 1,
        maxQty: 10000000,
      },
    ]);
  });

  it('takes the fee rates it is given (fees are not in exchangeInfo)', () => {
    const [inst] = instrumentsFromExchangeInfo(DOCS_EXAMPLE, { makerFee: -0.0001, takerFee: 0.0004 });
    expect(inst).toMatchObject({ makerFee: -0.0001, takerFee: 0.0004 });
  });

  it('ignores unknown filter types and fields, and treats a missing MIN_NOTIONAL as 0', () => {
    const json = {
      symbols: [
        {
          symbol: 'BTCUSDT',
          status: 'SETTLING',
          somethingNew: { a: 1 },
          filters: [
            { filterType: 'PRICE_FILTER', tickSize: '0.10', minPrice: '556.80', maxPrice: '4529764' },
            { filterType: 'LOT_SIZE', stepSize: '0.001', minQty: '0.001', maxQty: '1000' },
            { filterType: 'POSITION_RISK_CONTROL', positionControlSide: 'NONE' },
          ],
        },
      ],
    };
    expect(instrumentsFromExchangeInfo(json)[0]).toMatchObject({
      symbol: 'BTCUSDT',
      tickSize: 0.1,
      stepSize: 0.001,
      minQty: 0.001,
      minNotional: 0,
      maxQty: 1000,
    });
  });

  it('names the offending field of a malformed response', () => {
    const bad = {
      symbols: [{ symbol: 'X', filters: [{ filterType: 'PRICE_FILTER', tickSize: 'abc' }] }],
    };
    expect(() => instrumentsFromExchangeInfo(bad)).toThrow(
      /^not a Binance USD-M exchangeInfo response: symbols\.0\.filters\.0/,
    );
    expect(() => instrumentsFromExchangeInfo({ code: -1121, msg: 'Invalid symbol.' })).toThrow(/symbols/);
    const noLot = { symbols: [{ symbol: 'X', filters: [{ filterType: 'PRICE_FILTER', tickSize: '0.1' }] }] };
    expect(() => instrumentsFromExchangeInfo(noLot)).toThrow(/symbol X has no LOT_SIZE filter/);
  });
});
