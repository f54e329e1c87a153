import { z } from 'zod';

/** A tradable contract and the exchange's filters on its orders. */
export interface Instrument {
  readonly exchange: string;
  readonly symbol: string;
  /** Price grid (Binance PRICE_FILTER.tickSize). */
  readonly tickSize: number;
  /** Quantity grid (Binance LOT_SIZE.stepSize). */
  readonly stepSize: number;
  readonly minQty: number;
  /** Minimum price × qty × contractSize (Binance MIN_NOTIONAL.notional). */
  readonly minNotional: number;
  /** Fee rates as fractions of notional; a negative maker fee is a rebate. */
  readonly makerFee: number;
  readonly takerFee: number;
  /** Quote value of one unit of qty at price 1 (1 for linear USDT-margined contracts). */
  readonly contractSize: number;
  /** Largest quantity one order may carry; Infinity when the exchange sets none. */
  readonly maxQty?: number;
}

const positive = z.number().finite().positive();

/** Validates instrument metadata coming from outside (files, exchangeInfo, flags). */
export const instrumentSchema = z.object({
  exchange: z.string().min(1),
  symbol: z.string().min(1),
  tickSize: positive,
  stepSize: positive,
  minQty: z.number().finite().nonnegative().default(0),
  minNotional: z.number().finite().nonnegative().default(0),
  makerFee: z.number().finite().gt(-0.01).lt(0.01).default(0.0002),
  takerFee: z.number().finite().gt(-0.01).lt(0.01).default(0.0005),
  contractSize: positive.default(1),
  maxQty: positive.optional(),
});

export type InstrumentInput = z.input<typeof instrumentSchema>;
