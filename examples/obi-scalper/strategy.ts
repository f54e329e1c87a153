/**
 * OBI scalper: a post-only market maker that leans on order-book and trade-flow imbalance.
 *
 * Signal (on every book update of a symbol):
 *   obi    = (bidVol − askVol) / (bidVol + askVol) over the best `levels` levels of each side
 *   flow   = (buyVol − sellVol) / (buyVol + sellVol) of the trades of the last `flowWindowMs`
 *            (event time: trade.localTs, so backtest and live agree)
 *   signal = (1 − flowWeight)·obi + flowWeight·flow, in [−1, 1]; emitted as "signal".
 *
 * Quoting: post-only limit orders (GTX), so we always earn the maker fee, never pay the taker's.
 *   - The quotes' centre is skewed toward the signal: mid + signal·skewTicks. The bid sits
 *     edgeTicks below it (rounded down), the ask edgeTicks above (rounded up), never through
 *     the opposite touch.
 *   - |signal| < threshold (neutral book): quote both sides and earn the spread.
 *     signal ≥ threshold: quote only the bid (buy into the pressure); ≤ −threshold: only the ask.
 *   - Inventory: a side is quoted only while the position plus every open order on that side
 *     stays within ±maxPosition.
 *   - An order is replaced (cancel + new order) only when its desired price has moved by
 *     ≥ requoteTicks or it was filled, never on every tick. A quote rejected with
 *     POST_ONLY_WOULD_CROSS (the book moved while it was in flight) is normal: it is simply
 *     placed again on the next book update.
 *
 * Risk (checked on every book update):
 *   - Stop: when the position's unrealized loss per unit reaches stopTicks ticks, cancel all,
 *     flatten with a reduce-only market order and pause quoting for cooldownMs.
 *   - Max loss: when total PnL (realized + unrealized − fees − funding) reaches −maxLossQuote,
 *     the same, and no new quotes while the loss stays beyond the limit (a kill switch).
 */
import {
  defineStrategy,
  isTerminal,
  type Order,
  type OrderBookView,
  roundToStep,
  type Side,
  type StrategyContext,
  ticksToPrice,
  z,
} from '@botplatform/sdk';
import { needsRequote, planQuotes } from './quoting.js';
import { bookObi, combineSignal, TradeFlowWindow } from './signals.js';

export const paramsSchema = z.object({
  /** Book levels per side in the imbalance. */
  levels: z.number().int().min(1).default(5),
  /** |signal| from which only the favoured side is quoted. */
  threshold: z.number().min(0).max(1).default(0.3),
  /** Trade-flow window, ms of event time. */
  flowWindowMs: z.number().positive().default(2_000),
  /** Weight of trade flow in the signal (the rest is book imbalance). */
  flowWeight: z.number().min(0).max(1).default(0.3),
  /** Size of each quote, base units. */
  qty: z.number().positive().default(0.01),
  /** Largest |position| the quotes may lead to, base units. */
  maxPosition: z.number().positive().default(0.05),
  /** Shift of the quotes' centre at |signal| = 1, ticks. */
  skewTicks: z.number().min(0).default(2),
  /** Distance of each quote from the centre, ticks (0.5 joins the touch on a 1-tick spread). */
  edgeTicks: z.number().min(0).default(0.5),
  /** Replace a resting quote only when its desired price moved this many ticks. */
  requoteTicks: z.number().int().min(1).default(2),
  /** Stop when the open position is this many ticks under water. */
  stopTicks: z.number().positive().default(30),
  /** Stop (and stay out) when total PnL reaches minus this, quote currency. */
  maxLossQuote: z.number().positive().default(100),
  /** Pause after a stop, ms. */
  cooldownMs: z.number().min(0).default(10_000),
});

export type ObiScalperParams = z.output<typeof paramsSchema>;

const SIDES: readonly Side[] = ['buy', 'sell'];

/** One resting quote of ours. */
interface Quote {
  readonly clientOrderId: string;
  readonly ticks: number;
  /** Partly filled: replace it on the next book update. */
  filled: boolean;
}

/** What the strategy tracks per symbol. */
interface SymbolState {
  readonly flow: TradeFlowWindow;
  readonly quotes: Record<Side, Quote | undefined>;
  /** The reduce-only market order flattening the position, while in flight. */
  flattenId: string | undefined;
  /** Local time (µs) until which quoting is paused after a stop. */
  pausedUntil: number;
  /** The max-loss stop has tripped. */
  halted: boolean;
}

export default defineStrategy({
  name: 'obi-scalper',
  params: paramsSchema,
  create(ctx: StrategyContext, p: ObiScalperParams) {
    const states = new Map<string, SymbolState>();

    const stateOf = (symbol: string): SymbolState => {
      let st = states.get(symbol);
      if (!st) {
        st = {
          flow: new TradeFlowWindow(p.flowWindowMs * 1_000),
          quotes: { buy: undefined, sell: undefined },
          flattenId: undefined,
          pausedUntil: Number.NEGATIVE_INFINITY,
          halted: false,
        };
        states.set(symbol, st);
      }
      return st;
    };

    /** Sends a reduce-only market order for the whole position, unless one is in flight. */
    const flatten = (symbol: string, st: SymbolState): void => {
      const pos = ctx.position(symbol).qty;
      if (pos === 0 || st.flattenId !== undefined) return;
      const order = ctx.placeOrder({
        symbol,
        side: pos > 0 ? 'sell' : 'buy',
        type: 'market',
        qty: Math.abs(pos),
        reduceOnly: true,
        tag: 'flatten',
      });
      if (order.status !== 'rejected') st.flattenId = order.clientOrderId;
    };

    /** Cancels every order, flattens and pauses quoting for the cooldown. */
    const stop = (symbol: string, st: SymbolState, reason: string, details: object): void => {
      ctx.log.info({ symbol, ...details }, `obi-scalper stop: ${reason}`);
      ctx.cancelAll(symbol);
      st.quotes.buy = undefined;
      st.quotes.sell = undefined;
      flatten(symbol, st);
      st.pausedUntil = ctx.now() + p.cooldownMs * 1_000;
      ctx.setTimer(`resume:${symbol}`, st.pausedUntil);
    };

    /** Applies the stops; true when the strategy must not quote now. */
    const riskBlocks = (symbol: string, st: SymbolState, mid: number, tickSize: number): boolean => {
      const pos = ctx.position(symbol);
      if (ctx.now() < st.pausedUntil) {
        flatten(symbol, st); // a flatten that filled only partly is sent again
        return true;
      }
      const unrealized = pos.qty === 0 ? 0 : pos.qty * (mid - pos.avgEntryPrice);
      const totalPnl = pos.realizedPnl - pos.fees - pos.funding + unrealized;
      if (totalPnl <= -p.maxLossQuote) {
        if (!st.halted) {
          st.halted = true;
          ctx.log.warn(
            { symbol, totalPnl, maxLossQuote: p.maxLossQuote },
            'obi-scalper halted: max loss reached',
          );
          stop(symbol, st, 'max loss reached', { totalPnl });
        } else {
          flatten(symbol, st);
        }
        return true;
      }
      const lossPerUnit = pos.qty === 0 ? 0 : Math.sign(pos.qty) * (pos.avgEntryPrice - mid);
      if (lossPerUnit >= p.stopTicks * tickSize) {
        stop(symbol, st, 'position stop', { position: pos.qty, entry: pos.avgEntryPrice, mid });
        return true;
      }
      return false;
    };

    /** Room for a new order on `side` within ±maxPosition, counting the position and open orders. */
    const room = (symbol: string, side: Side, stepSize: number): number => {
      const sign = side === 'buy' ? 1 : -1;
      let exposure = sign * ctx.position(symbol).qty;
      for (const o of ctx.openOrders(symbol)) if (o.side === side) exposure += o.qty - o.filledQty;
      return Math.max(0, roundToStep(p.maxPosition - exposure, stepSize, 'down'));
    };

    /** Keeps one quote on `side` at `desired` ticks (or none): replaces it only when needed. */
    const manageSide = (symbol: string, st: SymbolState, side: Side, desired: number | undefined): void => {
      const current = st.quotes[side];
      if (current) {
        const keep =
          desired !== undefined && !current.filled && !needsRequote(current.ticks, desired, p.requoteTicks);
        if (keep) return;
        ctx.cancelOrder(current.clientOrderId);
        st.quotes[side] = undefined;
      }
      if (desired === undefined) return;
      const inst = ctx.instrument(symbol);
      const price = ticksToPrice(desired, inst.tickSize);
      const qty = Math.min(p.qty, room(symbol, side, inst.stepSize));
      if (qty < inst.minQty || qty * price * inst.contractSize < inst.minNotional) return;
      const order = ctx.placeOrder({
        symbol,
        side,
        type: 'limit',
        price,
        qty,
        timeInForce: 'GTX',
        tag: 'quote',
      });
      if (order.status !== 'rejected')
        st.quotes[side] = { clientOrderId: order.clientOrderId, ticks: desired, filled: false };
    };

    const update = (book: OrderBookView, symbol: string): void => {
      if (book.bidLevels === 0 || book.askLevels === 0) return;
      const st = stateOf(symbol);
      const tickSize = book.tickSize;
      const signal = combineSignal(bookObi(book, p.levels), st.flow.value(ctx.now()), p.flowWeight);
      ctx.emit(ctx.symbols.length > 1 ? `signal.${symbol}` : 'signal', signal);
      if (riskBlocks(symbol, st, book.mid(), tickSize)) return;
      const plan = planQuotes({
        bestBidTicks: Math.round(book.bestBid() / tickSize),
        bestAskTicks: Math.round(book.bestAsk() / tickSize),
        signal,
        threshold: p.threshold,
        skewTicks: p.skewTicks,
        edgeTicks: p.edgeTicks,
      });
      manageSide(symbol, st, 'buy', plan.bid);
      manageSide(symbol, st, 'sell', plan.ask);
    };

    /** Forgets a quote or flatten order once it is done; a post-only cross is retried on the next book. */
    const onOrderUpdate = (order: Order): void => {
      if (!isTerminal(order.status)) return;
      const st = stateOf(order.symbol);
      if (order.clientOrderId === st.flattenId) st.flattenId = undefined;
      for (const side of SIDES) {
        if (st.quotes[side]?.clientOrderId === order.clientOrderId) st.quotes[side] = undefined;
      }
      if (order.status === 'rejected' && order.reason?.code !== 'POST_ONLY_WOULD_CROSS') {
        ctx.log.warn({ order: order.clientOrderId, tag: order.tag, reason: order.reason }, 'order rejected');
      }
    };

    return {
      onStart() {
        for (const symbol of ctx.symbols) stateOf(symbol);
        ctx.log.info({ params: p }, 'obi-scalper started');
      },
      onStop() {
        ctx.cancelAll();
      },
      onTrade(trade) {
        stateOf(trade.symbol).flow.add(trade.localTs, trade.side, trade.qty);
      },
      onBook(book, symbol) {
        update(book, symbol);
      },
      onOrderUpdate,
      onFill(fill) {
        const quote = stateOf(fill.symbol).quotes[fill.side];
        if (quote?.clientOrderId === fill.clientOrderId) quote.filled = true; // re-quote at a fresh price
        ctx.log.debug({ side: fill.side, price: fill.price, qty: fill.qty, tag: fill.tag }, 'fill');
      },
      onTimer(name) {
        if (!name.startsWith('resume:')) return;
        const symbol = name.slice('resume:'.length);
        ctx.log.info({ symbol }, 'obi-scalper resumes quoting');
        update(ctx.book(symbol), symbol);
      },
    };
  },
});
