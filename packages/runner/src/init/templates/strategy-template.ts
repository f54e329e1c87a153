/** The generated project's `src/strategy.ts`; `name` is the strategy's name. */
export function strategyTemplate(name: string): string {
  return `/**
 * ${name}: a small order-book-imbalance strategy, one position at a time per symbol.
 *
 * Signals (bound through ctx.signals, so the platform updates them before each callback,
 * identically in backtest and live):
 *   obi  = (bidVol − askVol) / (bidVol + askVol) over the best \`levels\` levels of each side
 *   flow = (buyVol − sellVol) / (buyVol + sellVol) of the trades of the last \`flowWindowMs\`
 *
 * Trading, with at most one working order per symbol so every decision sees a settled position:
 *   1. Flat: when obi ≥ threshold and flow > 0, bid at the best bid (a limit order that rests
 *      and earns the maker fee); when obi ≤ −threshold and flow < 0, offer at the best ask.
 *      An entry not filled within \`entryTimeoutMs\` is cancelled.
 *   2. In a position: a reduce-only take-profit \`takeProfitTicks\` beyond the average entry.
 *   3. Stop: when the mid is \`stopTicks\` against the entry, cancel the take-profit and, once
 *      the cancel is confirmed, close the rest with a reduce-only market order; then pause
 *      for \`cooldownMs\`.
 * Reduce-only exits can never flip the position; the run config's \`risk\` section
 * (botp.config.json) adds the platform's own limits on top, checked before every order leaves.
 */
import {
  defineStrategy,
  isTerminal,
  type Order,
  type OrderBookImbalance,
  type OrderBookView,
  type Side,
  type TradeFlowImbalance,
  z,
} from '@botplatform/sdk';

export const paramsSchema = z.object({
  /** Book levels per side in the imbalance. */
  levels: z.number().int().min(1).default(5),
  /** |obi| needed to enter, in (0, 1]. */
  threshold: z.number().gt(0).max(1).default(0.4),
  /** Trade-flow window, ms of event time. */
  flowWindowMs: z.number().positive().default(2_000),
  /** Entry size, base units. */
  qty: z.number().positive().default(0.01),
  /** Take profit this many ticks beyond the average entry (200 ticks of 0.1 ≈ two maker fees at 50,000). */
  takeProfitTicks: z.number().int().min(1).default(200),
  /** Stop when the mid is this many ticks against the average entry. */
  stopTicks: z.number().int().min(1).default(100),
  /** Cancel an entry not filled within this many ms. */
  entryTimeoutMs: z.number().positive().default(3_000),
  /** Pause after a stop, ms. */
  cooldownMs: z.number().min(0).default(5_000),
});

export type Params = z.output<typeof paramsSchema>;

/** What one symbol is doing; \`orderId\` is its single working order, if any. */
interface SymbolState {
  readonly obi: OrderBookImbalance;
  readonly flow: TradeFlowImbalance;
  orderId: string | undefined;
  role: 'entry' | 'takeProfit' | 'stop' | undefined;
  /** The take-profit is being cancelled to make way for a stop. */
  stopping: boolean;
  /** No new entry before this local time, µs. */
  cooldownUntil: number;
}

const US_PER_MS = 1_000;

export default defineStrategy({
  name: '${name}',
  params: paramsSchema,
  create(ctx, p) {
    const states = new Map<string, SymbolState>();
    for (const symbol of ctx.symbols) {
      states.set(symbol, {
        obi: ctx.signals.obi(symbol, { levels: p.levels }),
        flow: ctx.signals.tradeFlow(symbol, p.flowWindowMs * US_PER_MS),
        orderId: undefined,
        role: undefined,
        stopping: false,
        cooldownUntil: 0,
      });
    }
    const stateOf = (symbol: string): SymbolState => {
      const st = states.get(symbol);
      if (!st) throw new Error(\`no state for \${symbol}\`);
      return st;
    };

    const send = (st: SymbolState, role: NonNullable<SymbolState['role']>, order: Order): void => {
      if (order.status === 'rejected') return; // refused before it left: onOrderUpdate reports why
      st.orderId = order.clientOrderId;
      st.role = role;
    };

    const enter = (symbol: string, st: SymbolState, book: OrderBookView): void => {
      if (ctx.now() < st.cooldownUntil) return;
      const obi = st.obi.value;
      const flow = st.flow.valueAt(ctx.now());
      if (obi === null || flow === null) return; // still warming up
      let side: Side;
      if (obi >= p.threshold && flow > 0) side = 'buy';
      else if (obi <= -p.threshold && flow < 0) side = 'sell';
      else return;
      const price = side === 'buy' ? book.bestBid() : book.bestAsk();
      send(st, 'entry', ctx.placeOrder({ symbol, side, type: 'limit', price, qty: p.qty, tag: 'entry' }));
      ctx.setTimer(\`entry-timeout:\${symbol}\`, ctx.now() + p.entryTimeoutMs * US_PER_MS);
    };

    const manage = (symbol: string, st: SymbolState, book: OrderBookView): void => {
      const pos = ctx.position(symbol);
      const long = pos.qty > 0;
      const tick = ctx.instrument(symbol).tickSize;
      const against = (long ? pos.avgEntryPrice - book.mid() : book.mid() - pos.avgEntryPrice) / tick;
      if (st.role === 'takeProfit' && !st.stopping && against >= p.stopTicks) {
        st.stopping = true; // the stop goes out once the cancel is confirmed (onOrderUpdate)
        ctx.cancelOrder(st.orderId!);
        return;
      }
      if (st.orderId !== undefined) return;
      const sign = long ? 1 : -1;
      send(
        st,
        'takeProfit',
        ctx.placeOrder({
          symbol,
          side: long ? 'sell' : 'buy',
          type: 'limit',
          price: pos.avgEntryPrice + sign * p.takeProfitTicks * tick,
          qty: Math.abs(pos.qty),
          reduceOnly: true,
          tag: 'takeProfit',
        }),
      );
    };

    return {
      onBook(book, symbol) {
        if (book.bidLevels === 0 || book.askLevels === 0) return;
        const st = stateOf(symbol);
        if (ctx.position(symbol).qty !== 0) manage(symbol, st, book);
        else if (st.orderId === undefined) enter(symbol, st, book);
      },

      onTimer(name) {
        const [kind, symbol] = name.split(':');
        if (kind !== 'entry-timeout' || symbol === undefined) return;
        const st = stateOf(symbol);
        if (st.role === 'entry' && st.orderId !== undefined) ctx.cancelOrder(st.orderId);
      },

      onOrderUpdate(order) {
        const st = stateOf(order.symbol);
        if (order.clientOrderId !== st.orderId || !isTerminal(order.status)) return;
        if (order.status === 'rejected') {
          ctx.log.warn({ order: order.clientOrderId, reason: order.reason }, 'order rejected');
          st.cooldownUntil = ctx.now() + p.cooldownMs * US_PER_MS;
        }
        const role = st.role;
        st.orderId = undefined;
        st.role = undefined;
        if (role === 'stop') st.cooldownUntil = ctx.now() + p.cooldownMs * US_PER_MS;
        if (role === 'takeProfit' && st.stopping) {
          st.stopping = false;
          const pos = ctx.position(order.symbol);
          if (pos.qty === 0) return; // the take-profit filled before the cancel arrived
          send(
            st,
            'stop',
            ctx.placeOrder({
              symbol: order.symbol,
              side: pos.qty > 0 ? 'sell' : 'buy',
              type: 'market',
              qty: Math.abs(pos.qty),
              reduceOnly: true,
              tag: 'stop',
            }),
          );
        }
      },

      onFill(fill) {
        ctx.log.info({ side: fill.side, price: fill.price, qty: fill.qty, tag: fill.tag }, 'fill');
      },

      onStop() {
        ctx.cancelAll();
      },
    };
  },
});
`;
}
