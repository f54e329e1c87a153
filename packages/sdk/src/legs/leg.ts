import { adjustOrder } from '../instrument/adjust-order.js';
import type { Instrument } from '../instrument/instrument.js';
import { priceToTicks, roundToStep, ticksToPrice } from '../instrument/price-grid.js';
import type { Fill } from '../orders/fill.js';
import type { OrderRequest } from '../orders/order-request.js';
import {
  type BubbleExit,
  type BubbleState,
  checkBubbleConfig,
  initialBubbleState,
  stepBubble,
} from './bubble-exit.js';
import { directionSign, entrySide, exitSide, type LegDirection } from './leg-direction.js';
import { LEG_STATE_VERSION, type LegState, parseLegState } from './leg-state.js';
import {
  fractionDraft,
  type LadderPlan,
  ladderDrafts,
  type OrderDraft,
  type ScaleInPlan,
  type ScaleOutPlan,
} from './scale-plan.js';

export interface LegOptions {
  readonly id: string;
  readonly symbol: string;
  readonly direction: LegDirection;
  readonly instrument: Instrument;
}

/**
 * One directional position component of a strategy, driven by the fills of orders tagged with
 * its id. Average-cost accounting, as the run's Portfolio does it (contract size c, d = +1 long,
 * −1 short, q ≥ 0 the leg's quantity):
 *   adding:    avg' = (q·avg + qty·price) / (q + qty)
 *   reducing:  realized += closed · (price − avg) · d · c
 *   unrealized(mark) = q · (mark − avg) · d · c
 *   totalPnl(mark)   = realized + unrealized − fees − funding
 * Quantities are snapped to the instrument's step (no float dust).
 *
 * Over-close: a leg never flips through zero. A reducing fill larger than the leg closes it
 * (realizing PnL on the leg's quantity only) and the rest is *excess*: it is not booked on the
 * leg, it is reported in `lastExcessQty` (that fill's excess, 0 for a fill without one) and
 * accumulated in `excessQty`. The account then holds that excess in the opposite direction, outside
 * any leg; the strategy decides what to do with it. The fill's whole fee is charged to the leg.
 */
export class Leg {
  readonly id: string;
  readonly symbol: string;
  readonly direction: LegDirection;
  readonly instrument: Instrument;
  private _qty = 0;
  private _avg = Number.NaN;
  private _realized = 0;
  private _fees = 0;
  private _funding = 0;
  private _excess = 0;
  private _lastExcess = 0;
  private _bubble: BubbleExit | null = null;
  private readonly _bubbleState: BubbleState = initialBubbleState();

  constructor(opts: LegOptions) {
    if (typeof opts.id !== 'string' || opts.id === '') throw new Error('Leg: id must be a non-empty string');
    if (opts.direction !== 'long' && opts.direction !== 'short') {
      throw new Error(`Leg ${opts.id}: direction must be 'long' or 'short', got ${String(opts.direction)}`);
    }
    if (opts.instrument.symbol !== opts.symbol) {
      throw new Error(
        `Leg ${opts.id}: symbol ${opts.symbol} does not match instrument ${opts.instrument.symbol}`,
      );
    }
    const { tickSize, stepSize, contractSize, minQty } = opts.instrument;
    for (const [name, v] of [
      ['tickSize', tickSize],
      ['stepSize', stepSize],
      ['contractSize', contractSize],
    ] as const) {
      if (!Number.isFinite(v) || v <= 0)
        throw new Error(`Leg ${opts.id}: instrument ${name} must be > 0, got ${v}`);
    }
    if (!Number.isFinite(minQty) || minQty < 0) {
      throw new Error(`Leg ${opts.id}: instrument minQty must be ≥ 0, got ${minQty}`);
    }
    this.id = opts.id;
    this.symbol = opts.symbol;
    this.direction = opts.direction;
    this.instrument = opts.instrument;
  }

  /** Quantity held, ≥ 0. */
  get qty(): number {
    return this._qty;
  }

  /** Quantity signed by direction: positive for a long leg, negative for a short one. */
  get signedQty(): number {
    return this._qty === 0 ? 0 : directionSign(this.direction) * this._qty;
  }

  get isFlat(): boolean {
    return this._qty === 0;
  }

  /** Average entry price of the open quantity; NaN when flat. */
  get avgEntryPrice(): number {
    return this._avg;
  }

  /** Realized PnL in quote currency, before fees and funding. */
  get realizedPnl(): number {
    return this._realized;
  }

  /** Fees charged by this leg's fills (negative = rebates). */
  get fees(): number {
    return this._fees;
  }

  /** Funding attributed to this leg (positive = paid, negative = received). */
  get funding(): number {
    return this._funding;
  }

  /** Total quantity of reducing fills beyond flat, over the leg's life (see class doc). */
  get excessQty(): number {
    return this._excess;
  }

  /** Excess of the last applied fill (0 when it had none). */
  get lastExcessQty(): number {
    return this._lastExcess;
  }

  /** Unrealized PnL at `mark` in quote currency; 0 when flat. */
  unrealizedPnl(mark: number): number {
    if (this._qty === 0) return 0;
    return directionSign(this.direction) * this._qty * (mark - this._avg) * this.instrument.contractSize;
  }

  /** realized + unrealized(mark) − fees − funding. */
  totalPnl(mark: number): number {
    return this._realized + this.unrealizedPnl(mark) - this._fees - this._funding;
  }

  /** Attributes funding to the leg (positive = paid, negative = received). */
  addFunding(amount: number): void {
    if (!Number.isFinite(amount))
      throw new Error(`Leg ${this.id}: funding amount must be finite, got ${amount}`);
    this._funding += amount;
  }

  /**
   * Applies a fill if its tag is this leg's id; returns false (and changes nothing) otherwise.
   * Throws on a tagged fill for another symbol or with a non-positive quantity.
   */
  onFill(fill: Fill): boolean {
    if (fill.tag !== this.id) return false;
    if (fill.symbol !== this.symbol) {
      throw new Error(
        `Leg ${this.id}: fill for ${fill.symbol} tagged with this leg, which trades ${this.symbol}`,
      );
    }
    if (!(fill.qty > 0) || !Number.isFinite(fill.qty) || !(fill.price > 0) || !Number.isFinite(fill.price)) {
      throw new Error(
        `Leg ${this.id}: fill needs a positive qty and price, got qty ${fill.qty} price ${fill.price}`,
      );
    }
    const c = this.instrument.contractSize;
    this._fees += fill.fee;
    this._lastExcess = 0;
    if (fill.side === entrySide(this.direction)) {
      this._avg =
        this._qty === 0
          ? fill.price
          : (this._qty * this._avg + fill.qty * fill.price) / (this._qty + fill.qty);
      this._qty = this.snap(this._qty + fill.qty);
      return true;
    }
    const remaining = this.snap(this._qty - fill.qty);
    const closed = remaining > 0 ? fill.qty : this._qty;
    if (closed > 0) this._realized += closed * (fill.price - this._avg) * directionSign(this.direction) * c;
    if (remaining > 0) {
      this._qty = remaining;
    } else {
      this._lastExcess = 0 - remaining;
      this._excess = this.snap(this._excess - remaining);
      this._qty = 0;
      this._avg = Number.NaN;
      this.resetBubble();
    }
    return true;
  }

  /**
   * Orders that add to the leg (side = entry side, not reduce-only, tagged with the leg id,
   * clientOrderId left to the kernel). Prices are rounded passively to the tick (buy down,
   * sell up), quantities down to the step; a level whose rounded quantity is 0 or below the
   * instrument's minQty is dropped. Min notional is not checked (validateOrder does that).
   * Ladder offsets need `plan.reference`; a fraction plan sizes from the current quantity.
   */
  scaleIn(plan: ScaleInPlan): OrderRequest[] {
    const what = `Leg ${this.id} scaleIn`;
    const side = entrySide(this.direction);
    const drafts =
      plan.kind === 'ladder'
        ? this.ladder(plan, plan.reference, side, what)
        : [fractionDraft(plan, this._qty, what)];
    return this.finish(drafts, side, false, Number.POSITIVE_INFINITY);
  }

  /**
   * Reduce-only orders that take quantity off the leg (side = exit side). Rounding and minQty
   * filtering as for scaleIn. The total never exceeds the leg's quantity: ladder levels are
   * capped in order (a later level gets what is left), and a fraction is of the current
   * quantity, rounded down to the step (a fraction ≥ 1 is the whole leg). A flat leg, or a
   * quantity below minQty after rounding, gives no order (an empty array). Ladder offsets count
   * from `plan.reference`, by default the average entry price.
   */
  scaleOut(plan: ScaleOutPlan): OrderRequest[] {
    if (this._qty === 0) return [];
    const what = `Leg ${this.id} scaleOut`;
    const side = exitSide(this.direction);
    const drafts =
      plan.kind === 'ladder'
        ? this.ladder(plan, plan.reference ?? this._avg, side, what)
        : [fractionDraft(plan, this._qty, what)];
    if (plan.kind === 'fraction' && plan.fraction >= 1) drafts[0] = { ...drafts[0]!, qty: this._qty };
    return this.finish(drafts, side, true, this._qty);
  }

  /** Reduce-only market order for the whole leg; empty when flat. */
  exitOrders(): OrderRequest[] {
    if (this._qty === 0) return [];
    return [
      {
        symbol: this.symbol,
        side: exitSide(this.direction),
        type: 'market',
        qty: this._qty,
        reduceOnly: true,
        tag: this.id,
      },
    ];
  }

  /** The bubble exit configuration (see bubble-exit.ts for the definition); null = off. Setting it resets the tracker. */
  get bubble(): BubbleExit | null {
    return this._bubble;
  }

  set bubble(cfg: BubbleExit | null) {
    if (cfg !== null) checkBubbleConfig(cfg);
    this._bubble = cfg === null ? null : { activation: cfg.activation, giveBack: cfg.giveBack };
    this.resetBubble();
  }

  /** The tracker's state (read-only copy). */
  get bubbleState(): Readonly<BubbleState> {
    return { ...this._bubbleState };
  }

  /** Disarms the tracker (e.g. after the exit order was rejected, to let it re-arm). */
  resetBubble(): void {
    const s = this._bubbleState;
    s.armed = false;
    s.peak = 0;
    s.triggered = false;
  }

  /**
   * Feeds the mark to the bubble exit; returns the exit orders (one reduce-only market order for
   * the whole leg) on the call that triggers it, else null. Null when no bubble is configured.
   */
  checkBubble(mark: number): OrderRequest[] | null {
    if (this._bubble === null) return null;
    const fire = stepBubble(this._bubble, this._bubbleState, this.unrealizedPnl(mark), this._qty === 0);
    return fire ? this.exitOrders() : null;
  }

  /** The full state as plain JSON (version 1); `Leg.fromJSON` restores it exactly. */
  toJSON(): LegState {
    const { maxQty, ...inst } = this.instrument;
    const instrument =
      maxQty === undefined ? { ...inst } : { ...inst, maxQty: Number.isFinite(maxQty) ? maxQty : null };
    return {
      version: LEG_STATE_VERSION,
      id: this.id,
      symbol: this.symbol,
      direction: this.direction,
      instrument,
      qty: this._qty,
      avgEntryPrice: this._qty === 0 ? null : this._avg,
      realizedPnl: this._realized,
      fees: this._fees,
      funding: this._funding,
      excessQty: this._excess,
      lastExcessQty: this._lastExcess,
      bubble: this._bubble === null ? null : { ...this._bubble },
      bubbleState: { ...this._bubbleState },
    };
  }

  /** Restores a leg from `toJSON()` output; throws a clear Error on a corrupt or other-version state. */
  static fromJSON(json: unknown): Leg {
    const s = parseLegState(json);
    const { maxQty, ...inst } = s.instrument;
    const instrument: Instrument =
      maxQty === undefined ? inst : { ...inst, maxQty: maxQty === null ? Number.POSITIVE_INFINITY : maxQty };
    const leg = new Leg({ id: s.id, symbol: s.symbol, direction: s.direction, instrument });
    leg._qty = s.qty;
    leg._avg = s.avgEntryPrice ?? Number.NaN;
    leg._realized = s.realizedPnl;
    leg._fees = s.fees;
    leg._funding = s.funding;
    leg._excess = s.excessQty;
    leg._lastExcess = s.lastExcessQty;
    leg._bubble = s.bubble === null ? null : { ...s.bubble };
    Object.assign(leg._bubbleState, s.bubbleState);
    return leg;
  }

  private ladder(
    plan: LadderPlan,
    reference: number | undefined,
    side: 'buy' | 'sell',
    what: string,
  ): OrderDraft[] {
    const tick = this.instrument.tickSize;
    const dir = side === 'buy' ? -1 : 1; // passive side: below for a buy, above for a sell
    return ladderDrafts(
      plan,
      reference,
      (offsetTicks, ref) => {
        const base = roundToStep(ref, tick, side === 'buy' ? 'down' : 'up');
        return ticksToPrice(priceToTicks(base, tick) + dir * offsetTicks, tick);
      },
      what,
    );
  }

  private finish(
    drafts: OrderDraft[],
    side: 'buy' | 'sell',
    reduceOnly: boolean,
    cap: number,
  ): OrderRequest[] {
    const out: OrderRequest[] = [];
    let left = cap;
    for (const d of drafts) {
      const base: OrderRequest = {
        ...d,
        symbol: this.symbol,
        side,
        qty: Math.min(d.qty, left),
        tag: this.id,
      };
      const req = adjustOrder(this.instrument, reduceOnly ? { ...base, reduceOnly: true } : base);
      if (req.qty <= 0 || req.qty < this.instrument.minQty) continue;
      out.push(req);
      if (Number.isFinite(left)) left = this.snap(left - req.qty);
    }
    return out;
  }

  private snap(q: number): number {
    const s = roundToStep(q, this.instrument.stepSize, 'nearest');
    return s === 0 ? 0 : s;
  }
}
