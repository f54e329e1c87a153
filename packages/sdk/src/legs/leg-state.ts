import { z } from 'zod';
import type { LegDirection } from './leg-direction.js';

/** The current version of a leg's serialized state. */
export const LEG_STATE_VERSION = 1;

/**
 * A leg's full state as plain JSON (`Leg.toJSON()`). Numbers are stored as-is: JSON keeps a
 * finite double exactly, so a round trip is exact. The two non-finite values are encoded as
 * null: `avgEntryPrice` (NaN when flat) and `instrument.maxQty` (Infinity = no limit; an absent
 * maxQty stays absent).
 */
export interface LegState {
  readonly version: 1;
  readonly id: string;
  readonly symbol: string;
  readonly direction: LegDirection;
  readonly instrument: {
    readonly exchange: string;
    readonly symbol: string;
    readonly tickSize: number;
    readonly stepSize: number;
    readonly minQty: number;
    readonly minNotional: number;
    readonly makerFee: number;
    readonly takerFee: number;
    readonly contractSize: number;
    readonly maxQty?: number | null;
  };
  readonly qty: number;
  readonly avgEntryPrice: number | null;
  readonly realizedPnl: number;
  readonly fees: number;
  readonly funding: number;
  readonly excessQty: number;
  readonly lastExcessQty: number;
  readonly bubble: { readonly activation: number; readonly giveBack: number } | null;
  readonly bubbleState: { readonly armed: boolean; readonly peak: number; readonly triggered: boolean };
}

const num = z.number();
const positive = z.number().positive();
const nonneg = z.number().nonnegative();

const legStateSchema = z.strictObject({
  version: z.literal(LEG_STATE_VERSION),
  id: z.string().min(1),
  symbol: z.string().min(1),
  direction: z.enum(['long', 'short']),
  instrument: z.strictObject({
    exchange: z.string(),
    symbol: z.string().min(1),
    tickSize: positive,
    stepSize: positive,
    minQty: nonneg,
    minNotional: nonneg,
    makerFee: num,
    takerFee: num,
    contractSize: positive,
    maxQty: positive.nullable().optional(),
  }),
  qty: nonneg,
  avgEntryPrice: positive.nullable(),
  realizedPnl: num,
  fees: num,
  funding: num,
  excessQty: nonneg,
  lastExcessQty: nonneg,
  bubble: z.strictObject({ activation: positive, giveBack: z.number().gt(0).lte(1) }).nullable(),
  bubbleState: z.strictObject({ armed: z.boolean(), peak: num, triggered: z.boolean() }),
});

const describe = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * Validates a serialized leg state. Throws an Error naming the problem: not an object, a
 * `version` other than 1, a missing field, a field of the wrong type or out of range, an
 * unknown field, or inconsistent fields (an open leg without an entry price and vice versa).
 */
export function parseLegState(json: unknown): LegState {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`leg state must be a JSON object (from Leg.toJSON()), got ${describe(json)}`);
  }
  const obj = json as Record<string, unknown>;
  const id = typeof obj.id === 'string' ? ` of leg ${JSON.stringify(obj.id)}` : '';
  if (obj.version !== LEG_STATE_VERSION) {
    const v = 'version' in obj ? describe(obj.version) : 'missing';
    throw new Error(
      `leg state${id}: version ${v} is not supported (expected ${LEG_STATE_VERSION}); ` +
        'discard the saved state and rebuild the leg from the exchange position, or migrate it',
    );
  }
  const res = legStateSchema.safeParse(json);
  if (!res.success) {
    const problems = res.error.issues.map((issue) => {
      const where = issue.path.map(String).join('.') || '(root)';
      if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')} in ${where}`;
      if (valueAt(json, issue.path) === undefined) return `missing field ${where}`;
      return `${where}: ${issue.message}`;
    });
    throw new Error(`invalid leg state${id}: ${problems.join('; ')}`);
  }
  const s = res.data;
  if (s.qty > 0 && s.avgEntryPrice === null) {
    throw new Error(`invalid leg state${id}: qty ${s.qty} is open but avgEntryPrice is null`);
  }
  if (s.qty === 0 && s.avgEntryPrice !== null) {
    throw new Error(`invalid leg state${id}: the leg is flat but avgEntryPrice is ${s.avgEntryPrice}`);
  }
  if (s.instrument.symbol !== s.symbol) {
    throw new Error(
      `invalid leg state${id}: symbol ${s.symbol} does not match instrument ${s.instrument.symbol}`,
    );
  }
  return s as LegState;
}
