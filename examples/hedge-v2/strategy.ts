/**
 * hedge-v2: a two-leg trend strategy on one perpetual-futures symbol.
 *
 * Trend filter (indicators on the mid, sampled once per `sampleMs` by ctx.signals.sampled):
 *   up   = EMA(fast) > EMA(slow), MACD histogram > 0, 50 < RSI < rsiOverbought
 *   down = the mirror image; otherwise no new entries (decide.ts: trendOf).
 * Entry trigger (every book update): order-book imbalance over the best `obiLevels` levels
 *   leans the trend's way by ≥ obiThreshold → open the *main* leg in the trend's direction with
 *   one small entry order: a limit IOC at the opposite touch (entryMode 'ioc') or a post-only
 *   limit at our own touch (entryMode 'post', re-placed only when the touch moved requoteTicks).
 * Hedge: once the main leg holds a position, the opposite leg opens once per cycle with
 *   hedgeRatio × the main leg's quantity (IOC at the touch).
 * Per leg, on every book update:
 *   - hard stop: the mid is stopTicks against the leg's average entry → cancel, exit (market);
 *   - bubble exit: leg.bubble = { activation, giveBack } (a trailing take-profit on the leg's
 *     unrealized PnL) → leg.checkBubble(mid) returns the exit order when it fires;
 *   - scale-out: the n-th time the mid is n × scaleOutStepTicks in the leg's favour, take
 *     scaleOutFraction of the leg off (market, reduce-only), at most maxScaleOuts times;
 *   - scale-in: a ladder of ladderLevels limit orders every ladderStepTicks on the adverse side
 *     of the average entry (leg.scaleIn), kept within maxLegQty; replaced only when the average
 *     entry moved requoteTicks (e.g. after a rung filled).
 * When the main leg is flat again the hedge leg is closed too, and entries pause for cooldownMs.
 *
 * Every order a leg plan produces carries `tag: leg.id`; the kernel applies the fills of those
 * orders to the leg. After every fill and every end of an order the legs' toJSON() and the
 * strategy's own small state are written to ctx.state, which a restart hands back to create()
 * (legs: ctx.legs.restore); the kernel restores the indicators bound through ctx.signals itself.
 * A restart at a moment without open orders continues with exactly the decisions the
 * uninterrupted run makes (test/hedge-v2.e2e.test.ts).
 */
import {
  defineStrategy,
  EMA,
  isTerminal,
  type JsonValue,
  type Leg,
  type LegDirection,
  MACD,
  type Order,
  type OrderBookView,
  type OrderRequest,
  RSI,
  roundToStep,
  type StrategyContext,
  z,
} from '@botplatform/sdk';
import {
  entryDirection,
  hitStop,
  needsReplace,
  opposite,
  scaleInLevels,
  scaleOutDue,
  type Trend,
  trendOf,
} from './decide.js';

export const paramsSchema = z
  .object({
    /** Symbol to trade; defaults to the run's first symbol. */
    symbol: z.string().min(1).optional(),
    /** Indicator sampling period, ms of local time. */
    sampleMs: z.number().int().positive().default(1_000),
    emaFast: z.number().int().min(1).default(20),
    emaSlow: z.number().int().min(2).default(60),
    rsiPeriod: z.number().int().min(1).default(14),
    /** An up trend needs RSI below this (a down trend above 100 − this). */
    rsiOverbought: z.number().gt(50).max(100).default(70),
    macdFast: z.number().int().min(1).default(12),
    macdSlow: z.number().int().min(2).default(26),
    macdSignal: z.number().int().min(1).default(9),
    /** Book levels per side in the OBI trigger. */
    obiLevels: z.number().int().min(1).default(5),
    /** |OBI| the book must lean the trend's way by to enter. */
    obiThreshold: z.number().min(0).max(1).default(0.3),
    /** Main leg's entry size, base units. */
    entryQty: z.number().positive().default(0.02),
    /** 'ioc': limit IOC at the opposite touch (takes); 'post': post-only limit at our touch (makes). */
    entryMode: z.enum(['ioc', 'post']).default('ioc'),
    /** Hedge leg size as a fraction of the main leg (entry, ladder and max size alike). */
    hedgeRatio: z.number().gt(0).max(1).default(0.5),
    /** Largest quantity the main leg may hold, base units (the hedge: hedgeRatio × this). */
    maxLegQty: z.number().positive().default(0.08),
    /** Scale-in rungs below (long) / above (short) the average entry. */
    ladderLevels: z.number().int().min(0).default(3),
    ladderStepTicks: z.number().int().min(1).default(20),
    /** Quantity per scale-in rung (main leg), base units. */
    ladderQty: z.number().positive().default(0.02),
    /** The n-th scale-out is due n × this many ticks in the leg's favour. */
    scaleOutStepTicks: z.number().int().min(1).default(30),
    scaleOutFraction: z.number().gt(0).max(1).default(0.25),
    maxScaleOuts: z.number().int().min(0).default(2),
    /** Bubble exit: arm at this unrealized profit, quote currency. */
    bubbleActivation: z.number().positive().default(0.2),
    /** Bubble exit: exit after giving back this fraction of the peak profit. */
    bubbleGiveBack: z.number().gt(0).max(1).default(0.4),
    /** Hard stop per leg, ticks against its average entry. */
    stopTicks: z.number().int().min(1).default(100),
    /** Replace a working order only when its anchor price moved this many ticks. */
    requoteTicks: z.number().int().min(1).default(3),
    /** After a leg's order is rejected (e.g. by a risk limit), place nothing for that leg for this long, ms. */
    retryMs: z.number().min(0).default(2_000),
    /** Pause after a cycle ends, ms. */
    cooldownMs: z.number().min(0).default(30_000),
  })
  .refine((p) => p.emaFast < p.emaSlow, { message: 'emaFast must be < emaSlow', path: ['emaFast'] })
  .refine((p) => p.macdFast < p.macdSlow, { message: 'macdFast must be < macdSlow', path: ['macdFast'] })
  .refine((p) => p.stopTicks > p.ladderLevels * p.ladderStepTicks, {
    message: 'stopTicks must lie beyond the last scale-in rung (ladderLevels × ladderStepTicks)',
    path: ['stopTicks'],
  });

export type HedgeV2Params = z.output<typeof paramsSchema>;

const DIRECTIONS: readonly LegDirection[] = ['long', 'short'];
const STATE_KEY = 'hedgeV2';

const perLeg = z.object({ long: z.number(), short: z.number() });
/**
 * The strategy's own state, kept in ctx.state[STATE_KEY] next to the legs' JSON; validated when
 * a restart hands it back (the legs' JSON is checked by Leg.fromJSON).
 */
const savedStateSchema = z.object({
  /** Direction of the main leg of the current cycle; null between cycles. */
  mainDir: z.enum(['long', 'short']).nullable(),
  /** The hedge of the current cycle has been opened (it is not reopened after it exits). */
  hedgeOpened: z.boolean(),
  /** Scale-outs done on each leg's current position. */
  scaleOuts: perLeg,
  /** No new cycle before this local time, µs. */
  cooldownUntil: z.number(),
  /** Per leg, no new orders before this local time, µs (back-off after a rejection). */
  blockedUntil: perLeg,
  legs: z.object({ long: z.custom<JsonValue>(), short: z.custom<JsonValue>() }),
});
type SavedState = z.output<typeof savedStateSchema>;

function readSavedState(value: JsonValue | undefined): SavedState | undefined {
  if (value === undefined) return undefined;
  const parsed = savedStateSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `hedge-v2: saved state ctx.state.${STATE_KEY} is invalid (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); delete it to start fresh`,
    );
  return parsed.data;
}

/** Orders in flight for one leg (not saved: after a restart they are cancelled and re-planned). */
interface Working {
  entryId: string | undefined;
  /** Price of a post-only entry, to re-place it only on a meaningful move. */
  entryPrice: number;
  ladderIds: string[];
  /** Average entry the ladder was planned from; undefined = no ladder placed. */
  ladderAnchor: number | undefined;
  scaleOutId: string | undefined;
  exitId: string | undefined;
  /** An exit decided while a scale-out was in flight: sent once that scale-out has ended. */
  exitAfterScaleOut: string | undefined;
}

const noWork = (): Working => ({
  entryId: undefined,
  entryPrice: Number.NaN,
  ladderIds: [],
  ladderAnchor: undefined,
  scaleOutId: undefined,
  exitId: undefined,
  exitAfterScaleOut: undefined,
});

export default defineStrategy({
  name: 'hedge-v2',
  params: paramsSchema,
  create(ctx: StrategyContext, p: HedgeV2Params) {
    const symbol = p.symbol ?? ctx.symbols[0];
    if (symbol === undefined)
      throw new Error('hedge-v2: the run has no symbols; pass --symbols or params.symbol');
    const legId = (d: LegDirection) => `hedge-v2:${d}`;

    // ---- signals ---------------------------------------------------------------------------
    const every = { everyUs: p.sampleMs * 1_000 };
    const emaFast = ctx.signals.sampled(symbol, new EMA(p.emaFast), every);
    const emaSlow = ctx.signals.sampled(symbol, new EMA(p.emaSlow), every);
    const rsi = ctx.signals.sampled(symbol, new RSI(p.rsiPeriod), every);
    const macd = ctx.signals.sampled(symbol, new MACD(p.macdFast, p.macdSlow, p.macdSignal), every);
    const obi = ctx.signals.obi(symbol, { levels: p.obiLevels });

    // ---- state: restored from ctx.state after a live restart, else fresh ---------------------
    const saved = readSavedState(ctx.state[STATE_KEY]);
    const st: Omit<SavedState, 'legs'> = {
      mainDir: saved?.mainDir ?? null,
      hedgeOpened: saved?.hedgeOpened ?? false,
      scaleOuts: { long: saved?.scaleOuts.long ?? 0, short: saved?.scaleOuts.short ?? 0 },
      cooldownUntil: saved?.cooldownUntil ?? Number.NEGATIVE_INFINITY,
      blockedUntil: { long: saved?.blockedUntil.long ?? 0, short: saved?.blockedUntil.short ?? 0 },
    };

    /** A saved leg (after a restart) is restored and registered with the kernel; else a new one. */
    const makeLeg = (d: LegDirection): Leg => {
      const json = saved?.legs[d];
      return json !== undefined && json !== null
        ? ctx.legs.restore(json) // Leg.fromJSON + registration: the kernel applies its fills again
        : ctx.legs.create({ id: legId(d), symbol, direction: d });
    };
    const legs: Record<LegDirection, Leg> = { long: makeLeg('long'), short: makeLeg('short') };
    for (const d of DIRECTIONS) {
      if (legs[d].bubble === null)
        legs[d].bubble = { activation: p.bubbleActivation, giveBack: p.bubbleGiveBack };
    }
    const work: Record<LegDirection, Working> = { long: noWork(), short: noWork() };
    /** Whether any order adding to the leg (entry or rung, cancels in flight included) is still open. */
    const hasOpenAdds = (d: LegDirection): boolean =>
      ctx.openOrders(symbol).some((o) => o.tag === legId(d) && o.side === (d === 'long' ? 'buy' : 'sell'));
    const blocked = (d: LegDirection) => ctx.now() < st.blockedUntil[d];

    const legOf = (tag: string | undefined): LegDirection | undefined =>
      tag === legId('long') ? 'long' : tag === legId('short') ? 'short' : undefined;
    /** Hedge sizes are the main leg's, times hedgeRatio. */
    const scale = (d: LegDirection) => (d === st.mainDir ? 1 : p.hedgeRatio);

    const save = (): void => {
      const legsJson = { long: legs.long.toJSON(), short: legs.short.toJSON() };
      const value = {
        ...st,
        blockedUntil: { ...st.blockedUntil },
        scaleOuts: { ...st.scaleOuts },
        cooldownUntil: Number.isFinite(st.cooldownUntil) ? st.cooldownUntil : 0,
        legs: legsJson,
      };
      ctx.state[STATE_KEY] = value as unknown as JsonValue; // LegState is plain JSON
    };

    /**
     * Places leg-plan orders (tag = leg id kept) and returns the ids of those not rejected up front.
     *
     * One change: `reduceOnly` is dropped. Both legs trade the same symbol, and a one-way futures
     * account nets them into one position (long 0.02 + short hedge 0.01 = +0.01), so a reduce-only
     * buy closing the short hedge would be rejected (the account is net long) and a reduce-only
     * sell of the whole long leg would be cut to the net 0.01. Without the flag the exit does
     * exactly what the leg needs; the leg never plans more than it holds (scaleOut and exitOrders
     * are capped at its quantity) and one exit at a time is in flight.
     */
    const place = (reqs: readonly OrderRequest[]): string[] => {
      const ids: string[] = [];
      const { minNotional, contractSize } = ctx.instrument(symbol);
      for (const planned of reqs) {
        const { reduceOnly: _netted, ...req } = planned;
        const price = req.price ?? ctx.book(symbol).mid();
        if (req.qty * price * contractSize < minNotional) continue; // the exchange would reject it
        const o = ctx.placeOrder(req);
        if (o.status !== 'rejected') ids.push(o.clientOrderId);
      }
      return ids;
    };

    const cancelWorking = (d: LegDirection, keepExit = true): void => {
      const w = work[d];
      for (const id of [w.entryId, w.scaleOutId, ...w.ladderIds]) if (id !== undefined) ctx.cancelOrder(id);
      if (!keepExit && w.exitId !== undefined) ctx.cancelOrder(w.exitId);
      work[d] = { ...noWork(), exitId: keepExit ? w.exitId : undefined };
    };

    /**
     * Cancels the leg's other orders and sends its exit (once while one is in flight). Exits
     * are not reduce-only (see `place`), so one must never overlap a scale-out that may still
     * fill: a scale-out in flight is cancelled first, and the exit, sized from the leg as it
     * then is, goes out when that scale-out has ended (manageLeg).
     */
    const exitLeg = (d: LegDirection, orders: readonly OrderRequest[], reason: string): void => {
      if (work[d].exitId !== undefined || orders.length === 0) return;
      const w = work[d];
      if (w.scaleOutId !== undefined) {
        for (const id of [w.entryId, w.scaleOutId, ...w.ladderIds]) if (id !== undefined) ctx.cancelOrder(id);
        w.exitAfterScaleOut = reason;
        return;
      }
      ctx.log.info({ leg: legId(d), qty: legs[d].qty, avg: legs[d].avgEntryPrice, reason }, 'hedge-v2 exit');
      cancelWorking(d);
      work[d].exitId = place(orders)[0];
    };

    // ---- entries ---------------------------------------------------------------------------
    /** One entry order for a flat leg: IOC at the opposite touch or post-only at our touch. */
    const enter = (d: LegDirection, qty: number, mode: 'ioc' | 'post', book: OrderBookView): void => {
      if (blocked(d)) return;
      const w = work[d];
      const price =
        mode === 'ioc'
          ? d === 'long'
            ? book.bestAsk()
            : book.bestBid()
          : d === 'long'
            ? book.bestBid()
            : book.bestAsk();
      if (w.entryId !== undefined) {
        // At most one working entry: a post-only entry is re-placed only on a meaningful move.
        if (mode === 'ioc' || !needsReplace(w.entryPrice, price, book.tickSize, p.requoteTicks)) return;
        ctx.cancelOrder(w.entryId);
        w.entryId = undefined;
      }
      const leg = legs[d];
      const orders = leg.scaleIn({
        kind: 'ladder',
        levels: [{ price, qty: Math.min(qty, p.maxLegQty * scale(d)) }],
        timeInForce: mode === 'ioc' ? 'IOC' : 'GTX',
      });
      w.entryId = place(orders)[0];
      w.entryPrice = price;
    };

    const trend = (): Trend | null =>
      trendOf(
        {
          emaFast: emaFast.value,
          emaSlow: emaSlow.value,
          rsi: rsi.value,
          macdHistogram: macd.value?.histogram ?? null,
        },
        p.rsiOverbought,
      );

    let lastTrend: Trend | null | undefined;
    const manageCycle = (book: OrderBookView): void => {
      const t = trend();
      if (t !== lastTrend) {
        ctx.emit('trend', t === 'up' ? 1 : t === 'down' ? -1 : 0);
        lastTrend = t;
      }
      if (st.mainDir === null || legs[st.mainDir].isFlat) {
        // Between cycles, or the main entry has not filled yet.
        const want = ctx.now() < st.cooldownUntil ? null : entryDirection(t, obi.value, p.obiThreshold);
        const pending = st.mainDir;
        if (pending !== null && want !== pending && work[pending].entryId !== undefined) {
          ctx.cancelOrder(work[pending].entryId); // the trigger is gone: withdraw the post-only entry
          work[pending].entryId = undefined;
        }
        if (want === null || !legs.long.isFlat || !legs.short.isFlat) return; // a new cycle starts flat
        if (st.mainDir !== want) {
          st.mainDir = want;
          st.hedgeOpened = false;
          save();
        }
        enter(want, p.entryQty, p.entryMode, book);
        return;
      }
      // The main leg is open: open the hedge once per cycle.
      const main = legs[st.mainDir];
      const h = opposite(st.mainDir);
      if (!st.hedgeOpened && !main.isFlat && legs[h].isFlat && work[h].entryId === undefined) {
        const qty = roundToStep(main.qty * p.hedgeRatio, main.instrument.stepSize, 'down');
        if (qty >= main.instrument.minQty && qty > 0) {
          enter(h, qty, 'ioc', book);
          if (work[h].entryId !== undefined) {
            st.hedgeOpened = true;
            save();
          }
        }
      }
    };

    // ---- per-leg management ------------------------------------------------------------------
    const manageLeg = (d: LegDirection, mid: number, tick: number): void => {
      const leg = legs[d];
      const w = work[d];
      if (leg.isFlat || w.exitId !== undefined || blocked(d)) return;
      if (w.exitAfterScaleOut !== undefined) {
        if (w.scaleOutId === undefined) exitLeg(d, leg.exitOrders(), w.exitAfterScaleOut);
        return;
      }
      if (st.mainDir === null) {
        exitLeg(d, leg.exitOrders(), 'open outside a cycle'); // e.g. a hedge whose exit did not fill
        return;
      }
      const avg = leg.avgEntryPrice;

      if (hitStop(d, avg, mid, tick, p.stopTicks)) {
        exitLeg(d, leg.exitOrders(), 'stop');
        return;
      }
      const bubble = leg.checkBubble(mid);
      if (bubble !== null) {
        exitLeg(d, bubble, 'bubble');
        return;
      }
      if (
        w.scaleOutId === undefined &&
        scaleOutDue(d, avg, mid, tick, p.scaleOutStepTicks, st.scaleOuts[d], p.maxScaleOuts)
      ) {
        const [id] = place(leg.scaleOut({ kind: 'fraction', fraction: p.scaleOutFraction }));
        if (id !== undefined) {
          w.scaleOutId = id;
          st.scaleOuts[d]++;
          save();
        }
      }
      if (w.ladderAnchor !== undefined && needsReplace(w.ladderAnchor, avg, tick, p.requoteTicks)) {
        // Replace = cancel now, place the new ladder once the cancels are through (below), so a
        // rung filling while its cancel is in flight cannot push the leg past maxLegQty.
        for (const id of w.ladderIds) ctx.cancelOrder(id);
        w.ladderIds = [];
        w.ladderAnchor = undefined;
      }
      if (w.ladderAnchor === undefined && !hasOpenAdds(d)) {
        const k = scale(d);
        const levels = scaleInLevels(
          leg.qty,
          p.maxLegQty * k,
          p.ladderLevels,
          p.ladderStepTicks,
          p.ladderQty * k,
        );
        w.ladderIds =
          levels.length === 0 ? [] : place(leg.scaleIn({ kind: 'ladder', levels, reference: avg }));
        w.ladderAnchor = avg;
      }
    };

    /** A leg went flat: forget its orders; when it was the main leg, close the hedge and cool down. */
    const onLegFlat = (d: LegDirection): void => {
      cancelWorking(d, false);
      st.scaleOuts[d] = 0;
      if (d === st.mainDir) {
        const h = opposite(d);
        // exitLeg cancels the hedge's other orders itself; cancelling here first would forget
        // a scale-out still in flight, and the exit would then close more than the leg holds.
        exitLeg(h, legs[h].exitOrders(), 'main leg closed');
        st.mainDir = null;
        st.hedgeOpened = false;
        st.cooldownUntil = ctx.now() + p.cooldownMs * 1_000;
      }
    };

    const onOrderUpdate = (order: Order): void => {
      const d = legOf(order.tag);
      if (d === undefined || !isTerminal(order.status)) return;
      const w = work[d];
      const id = order.clientOrderId;
      if (id === w.entryId) {
        w.entryId = undefined;
        if (d !== st.mainDir && order.filledQty === 0) st.hedgeOpened = false; // hedge missed: try again
      }
      if (id === w.scaleOutId) {
        w.scaleOutId = undefined;
        if (order.filledQty === 0) st.scaleOuts[d] = Math.max(0, st.scaleOuts[d] - 1);
      }
      if (id === w.exitId) {
        w.exitId = undefined;
        w.exitAfterScaleOut = undefined;
        if (!legs[d].isFlat) legs[d].resetBubble(); // let the bubble re-arm; the stop re-fires by itself
      }
      w.ladderIds = w.ladderIds.filter((x) => x !== id);
      if (order.status === 'rejected' && order.reason?.code !== 'POST_ONLY_WOULD_CROSS') {
        st.blockedUntil[d] = ctx.now() + p.retryMs * 1_000; // no retry storm against a limit
        ctx.log.warn({ order: id, tag: order.tag, reason: order.reason }, 'hedge-v2 order rejected');
      }
      save(); // hedgeOpened, scaleOuts and blockedUntil may have changed
    };

    return {
      onStart() {
        // Orders left from before a restart are not tracked: cancel them and plan afresh.
        for (const o of ctx.openOrders(symbol))
          if (legOf(o.tag) !== undefined) ctx.cancelOrder(o.clientOrderId);
        ctx.log.info({ symbol, params: p, restored: saved !== undefined }, 'hedge-v2 started');
      },
      onStop() {
        ctx.cancelAll(symbol);
        save();
      },
      onBook(book, sym) {
        if (sym !== symbol || book.bidLevels === 0 || book.askLevels === 0) return;
        const mid = book.mid();
        for (const d of DIRECTIONS) manageLeg(d, mid, book.tickSize);
        manageCycle(book);
      },
      onOrderUpdate,
      onFill(fill) {
        const d = legOf(fill.tag);
        if (d === undefined) return;
        const leg = legs[d]; // the kernel has applied the fill to the leg already
        if (leg.lastExcessQty > 0) {
          ctx.log.warn(
            { leg: leg.id, excess: leg.lastExcessQty },
            'hedge-v2: fill closed more than the leg held',
          );
        }
        // The bubble's peak was for the larger leg; after a scale-out let it re-arm on the rest.
        if (fill.clientOrderId === work[d].scaleOutId) leg.resetBubble();
        if (leg.isFlat) onLegFlat(d);
        save();
      },
    };
  },
});
