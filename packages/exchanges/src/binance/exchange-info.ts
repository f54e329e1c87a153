import { type Instrument, instrumentSchema } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from './exchange-id.js';

/**
 * Binance's standard USD-M futures fee rates at VIP 0 (maker 0.02%, taker 0.05%). Fees are per
 * account and not in exchangeInfo, so these are the default and callers may override them.
 */
export const BINANCE_FUTURES_VIP0_FEES = { makerFee: 0.0002, takerFee: 0.0005 } as const;

/** Binance sends decimals as strings ("0.10") to keep them exact; numbers are accepted too. */
const decimal = z
  .union([z.string().trim().min(1), z.number()])
  .transform(Number)
  .pipe(z.number().finite().nonnegative());

const priceFilter = z.object({
  filterType: z.literal('PRICE_FILTER'),
  tickSize: decimal,
  minPrice: decimal.optional(),
  maxPrice: decimal.optional(),
});
const lotSize = z.object({
  filterType: z.literal('LOT_SIZE'),
  stepSize: decimal,
  minQty: decimal,
  maxQty: decimal,
});
const marketLotSize = z.object({
  filterType: z.literal('MARKET_LOT_SIZE'),
  stepSize: decimal,
  minQty: decimal,
  maxQty: decimal,
});
const minNotional = z.object({ filterType: z.literal('MIN_NOTIONAL'), notional: decimal });
const percentPrice = z.object({
  filterType: z.literal('PERCENT_PRICE'),
  multiplierUp: decimal,
  multiplierDown: decimal,
});
const KNOWN_FILTERS = new Set([
  'PRICE_FILTER',
  'LOT_SIZE',
  'MARKET_LOT_SIZE',
  'MIN_NOTIONAL',
  'PERCENT_PRICE',
]);

/**
 * One symbol filter. The known types must carry their fields; any other type (MAX_NUM_ORDERS,
 * MAX_NUM_ALGO_ORDERS, whatever Binance adds next) is kept by name only, as `{filterType:
 * 'OTHER', name}`, so the output is a discriminated union.
 */
export const exchangeInfoFilterSchema = z.union([
  z.discriminatedUnion('filterType', [priceFilter, lotSize, marketLotSize, minNotional, percentPrice]),
  z
    .looseObject({ filterType: z.string().refine((t) => !KNOWN_FILTERS.has(t)) })
    .transform((f) => ({ filterType: 'OTHER' as const, name: f.filterType })),
]);

/** One entry of `symbols`; fields this platform does not use are ignored. */
export const exchangeInfoSymbolSchema = z.object({
  symbol: z.string().min(1),
  status: z.string().optional(),
  contractType: z.string().optional(),
  filters: z.array(exchangeInfoFilterSchema),
});

/** The response of Binance USD-M `GET /fapi/v1/exchangeInfo` (only what instruments need). */
export const exchangeInfoSchema = z.object({ symbols: z.array(exchangeInfoSymbolSchema) });
export type ExchangeInfo = z.output<typeof exchangeInfoSchema>;
export type ExchangeInfoSymbol = z.output<typeof exchangeInfoSymbolSchema>;

export interface FeeRates {
  readonly makerFee: number;
  readonly takerFee: number;
}

/**
 * The instruments of a Binance USD-M exchangeInfo response (exchange id `binance-futures`), one
 * per symbol whatever its status (a backtest of last year's data needs delisted symbols too):
 * tickSize from PRICE_FILTER, stepSize/minQty/maxQty from LOT_SIZE (the limit-order rules;
 * MARKET_LOT_SIZE only narrows market orders), minNotional from MIN_NOTIONAL (0 when absent),
 * contractSize 1 (linear contracts), and the given fee rates. PERCENT_PRICE has no Instrument
 * field and is not modelled. Throws an Error naming the first offending field if `json` is not
 * such a response or a symbol lacks PRICE_FILTER or LOT_SIZE.
 */
export function instrumentsFromExchangeInfo(
  json: unknown,
  fees: FeeRates = BINANCE_FUTURES_VIP0_FEES,
): Instrument[] {
  const parsed = exchangeInfoSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new Error(`not a Binance USD-M exchangeInfo response: ${where}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.symbols.map((s) => instrumentOf(s, fees));
}

function instrumentOf(s: ExchangeInfoSymbol, fees: FeeRates): Instrument {
  let price: z.output<typeof priceFilter> | undefined;
  let lot: z.output<typeof lotSize> | undefined;
  let notional = 0;
  for (const f of s.filters) {
    if (f.filterType === 'PRICE_FILTER') price = f;
    else if (f.filterType === 'LOT_SIZE') lot = f;
    else if (f.filterType === 'MIN_NOTIONAL') notional = f.notional;
  }
  if (!price || !lot) {
    throw new Error(
      `not a Binance USD-M exchangeInfo response: symbol ${s.symbol} has no ${price ? 'LOT_SIZE' : 'PRICE_FILTER'} filter`,
    );
  }
  const checked = instrumentSchema.safeParse({
    exchange: BINANCE_FUTURES_ID,
    symbol: s.symbol,
    tickSize: price.tickSize,
    stepSize: lot.stepSize,
    minQty: lot.minQty,
    minNotional: notional,
    makerFee: fees.makerFee,
    takerFee: fees.takerFee,
    contractSize: 1,
    ...(lot.maxQty > 0 ? { maxQty: lot.maxQty } : {}),
  });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`exchangeInfo symbol ${s.symbol}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return checked.data;
}
