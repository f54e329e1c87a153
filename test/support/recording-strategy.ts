import {
  defineStrategy,
  type Fill,
  type Order,
  type OrderRequest,
  type StrategyContext,
  z,
} from '@botplatform/sdk';

export interface Seen {
  readonly what: string;
  /** ctx.now() when the callback ran. */
  readonly now: number;
  /** The event's own localTs, where it has one. */
  readonly localTs?: number;
  /** ctx.position(symbol).qty when the callback ran. */
  readonly position: number;
  readonly detail?: unknown;
}

/**
 * A test strategy that places `orders` on its first book and records every callback with the
 * local time it ran at, so tests can check what the strategy knew and when.
 */
export function recordingStrategy(orders: readonly OrderRequest[], log: Seen[]) {
  return defineStrategy({
    name: 'recorder',
    params: z.object({}),
    create(ctx: StrategyContext) {
      let placed = false;
      const pos = () => ctx.position('BTCUSDT').qty;
      const seen = (what: string, localTs?: number, detail?: unknown) =>
        log.push({
          what,
          now: ctx.now(),
          position: pos(),
          ...(localTs !== undefined ? { localTs } : {}),
          ...(detail !== undefined ? { detail } : {}),
        });
      return {
        onBook(book) {
          seen('book', book.localTs, { bid: book.bestBid(), ask: book.bestAsk() });
          if (placed) return;
          placed = true;
          for (const o of orders) seen('placed', undefined, ctx.placeOrder(o));
        },
        onTrade(t) {
          seen('trade', t.localTs, { price: t.price, qty: t.qty, exchTs: t.exchTs });
        },
        onMarkPrice(m) {
          seen('mark', m.localTs);
        },
        onOrderUpdate(o: Order) {
          seen('order', undefined, o);
        },
        onFill(f: Fill) {
          seen('fill', f.localTs, f);
        },
      };
    },
  });
}
