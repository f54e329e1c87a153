import { z } from 'zod';
import type { OrderBookView } from '../book/order-book-view.js';
import type { BookTicker, MarkPrice, OpenInterest, Trade } from '../events/market.js';
import type { Fill } from '../orders/fill.js';
import type { Order } from '../orders/order.js';
import type { StrategyContext } from './context.js';

/** The callbacks a strategy implements; all optional, all synchronous, run to completion. */
export interface Strategy {
  onStart?(): void;
  onStop?(): void;
  onTrade?(trade: Trade): void;
  /** After a depth message has been applied to the local book. */
  onBook?(book: OrderBookView, symbol: string): void;
  onBookTicker?(quote: BookTicker): void;
  onMarkPrice?(mark: MarkPrice): void;
  onOpenInterest?(oi: OpenInterest): void;
  /** Every state change of one of our orders. */
  onOrderUpdate?(order: Order): void;
  onFill?(fill: Fill): void;
  onTimer?(name: string): void;
}

/** Any zod schema whose parsed output is an object of params. */
export type ParamsSchema = z.ZodType<Record<string, unknown>>;

export interface StrategyDefinition<S extends ParamsSchema = ParamsSchema> {
  readonly name: string;
  readonly params: S;
  create(ctx: StrategyContext, params: z.output<S>): Strategy;
}

const BRAND = Symbol.for('botplatform.strategy');

export interface DefinedStrategy<S extends ParamsSchema = ParamsSchema> extends StrategyDefinition<S> {
  readonly [BRAND]: true;
}

/**
 * Declares a strategy module's default export. `params` is a zod schema: the runner
 * validates user params against it (defaults applied) before `create` is called.
 */
export function defineStrategy<S extends ParamsSchema>(def: StrategyDefinition<S>): DefinedStrategy<S> {
  if (typeof def !== 'object' || def === null) throw new TypeError('defineStrategy: expected an object');
  if (typeof def.name !== 'string' || def.name.length === 0) {
    throw new TypeError('defineStrategy: `name` must be a non-empty string');
  }
  if (!(def.params instanceof z.ZodType)) {
    throw new TypeError(`defineStrategy(${def.name}): \`params\` must be a zod schema (z.object({...}))`);
  }
  if (typeof def.create !== 'function') {
    throw new TypeError(`defineStrategy(${def.name}): \`create(ctx, params)\` must be a function`);
  }
  return Object.freeze({ ...def, [BRAND]: true as const });
}

/**
 * Whether a value is a strategy definition. Checks the shape, not only the brand, so a module
 * built against another copy of the SDK is still recognised.
 */
export function isStrategyDefinition(value: unknown): value is StrategyDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StrategyDefinition>;
  return (
    typeof v.name === 'string' &&
    typeof v.create === 'function' &&
    typeof v.params === 'object' &&
    v.params !== null &&
    typeof (v.params as { safeParse?: unknown }).safeParse === 'function'
  );
}

export type ParamsResult =
  | { readonly ok: true; readonly params: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

/** Validates raw params against a strategy's schema; the message names each bad field. */
export function parseParams(def: StrategyDefinition, raw: unknown): ParamsResult {
  const result = def.params.safeParse(raw ?? {});
  if (result.success) return { ok: true, params: result.data };
  const issues = result.error.issues.map(
    (i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`,
  );
  return { ok: false, message: issues.join('; ') };
}
