import type { Micros } from '@botplatform/sdk';
import { z } from 'zod';

/**
 * Field schemas shared by the Binance USD-M wire messages. Binance sends prices, sizes and
 * rates as decimal strings ("63921.70") and times as integer milliseconds; these turn them
 * into the numbers and µs timestamps of the SDK's events, refusing anything else.
 */

const UNSIGNED_DECIMAL = /^\d+(\.\d+)?$/;
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

/** A non-negative decimal string as a number (sizes, open interest). */
export const sizeField = z
  .string()
  .regex(UNSIGNED_DECIMAL, 'expected a non-negative decimal string')
  .transform(Number);

/** A decimal string > 0 as a number (prices). */
export const priceField = sizeField.refine((x) => x > 0, 'expected a price > 0');

/** A signed decimal string as a number (funding rates). */
export const rateField = z.string().regex(SIGNED_DECIMAL, 'expected a decimal string').transform(Number);

/**
 * An update or trade id. Futures depth ids are past 10^13 and grow; above 2^53 a JS number
 * would silently round, so such an id is refused rather than mis-sequenced.
 */
export const idField = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Milliseconds since the epoch, as µs. */
export const millisField = z
  .number()
  .int()
  .nonnegative()
  .max(Number.MAX_SAFE_INTEGER / 1000)
  .transform((ms): Micros => ms * 1000);

export const symbolField = z.string().min(1);

/** `[price, qty]` with qty the absolute level size (0 removes the level). */
export const levelField = z.tuple([priceField, sizeField]);
