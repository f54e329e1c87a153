import { type Instrument, instrumentSchema, type MarketEvent } from '@botplatform/sdk';
import { z } from 'zod';

/**
 * The lines of a normalized event file (`botp import normalized`): one JSON object per line,
 * the SDK's event types serialized with a `type` tag, timestamps as integer µs. Fields the
 * schema does not name are ignored, so files from newer producers still import.
 */

const micros = z.number().int().nonnegative();
const seq = z.number().int();
const price = z.number().finite().positive();
const size = z.number().finite().nonnegative();
const level = z.tuple([price, size]);

const eventBase = {
  exchange: z.string().min(1),
  symbol: z.string().min(1),
  exchTs: micros,
  localTs: micros,
};

export const instrumentLineSchema = instrumentSchema.extend({ type: z.literal('instrument') });

export const tradeLineSchema = z.object({
  type: z.literal('trade'),
  ...eventBase,
  tradeId: seq,
  price,
  qty: z.number().finite().positive(),
  side: z.enum(['buy', 'sell']),
});

export const depthLineSchema = z.object({
  type: z.literal('depth'),
  ...eventBase,
  seq,
  prevSeq: seq,
  isSnapshot: z.boolean().default(false),
  bids: z.array(level),
  asks: z.array(level),
});

export const bookTickerLineSchema = z.object({
  type: z.literal('bookTicker'),
  ...eventBase,
  /** Not every exchange numbers its book-ticker updates. */
  seq: seq.default(0),
  bidPrice: price,
  bidQty: size,
  askPrice: price,
  askQty: size,
});

export const markPriceLineSchema = z.object({
  type: z.literal('markPrice'),
  ...eventBase,
  markPrice: price,
  indexPrice: price,
  fundingRate: z.number().finite(),
  nextFundingTs: micros,
});

export const openInterestLineSchema = z.object({
  type: z.literal('openInterest'),
  ...eventBase,
  openInterest: size,
});

/** Each line type's schema, by its `type` tag. */
export const normalizedLineSchemas = {
  instrument: instrumentLineSchema,
  trade: tradeLineSchema,
  depth: depthLineSchema,
  bookTicker: bookTickerLineSchema,
  markPrice: markPriceLineSchema,
  openInterest: openInterestLineSchema,
} as const;

export type NormalizedLineType = keyof typeof normalizedLineSchemas;
export const NORMALIZED_LINE_TYPES = Object.keys(normalizedLineSchemas) as NormalizedLineType[];

export const normalizedLineSchema = z.discriminatedUnion('type', [
  instrumentLineSchema,
  tradeLineSchema,
  depthLineSchema,
  bookTickerLineSchema,
  markPriceLineSchema,
  openInterestLineSchema,
]);
export type NormalizedLine = z.output<typeof normalizedLineSchema>;

/** What a validated line holds: an instrument declaration or a market event. */
export type NormalizedRecord =
  | { readonly kind: 'instrument'; readonly instrument: Instrument }
  | { readonly kind: 'event'; readonly event: MarketEvent };

export function isNormalizedLineType(type: unknown): type is NormalizedLineType {
  return typeof type === 'string' && Object.hasOwn(normalizedLineSchemas, type);
}

/** Strips the line's `type` tag where the SDK type has none (instruments). */
export function toNormalizedRecord(line: NormalizedLine): NormalizedRecord {
  if (line.type === 'instrument') {
    const { type: _type, ...instrument } = line;
    return { kind: 'instrument', instrument };
  }
  return { kind: 'event', event: line };
}
