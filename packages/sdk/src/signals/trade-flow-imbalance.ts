import type { Trade } from '../events/market.js';
import type { Micros } from '../time.js';
import type { Indicator, Signal } from './signal.js';
import { TimeWindow } from './time-window.js';

/** Which of a trade's clocks windows use; the strategy sees events at `localTs` (the default). */
export type TradeClock = 'localTs' | 'exchTs';

/**
 * Trade-flow imbalance over a sliding event-time window:
 * (buyVol − sellVol) / (buyVol + sellVol) of aggressor volume, in [−1, 1].
 * A trade is in the window at time `now` iff `ts > now − windowUs`; the window is evicted on
 * every update (now = the trade's time) and by `valueAt(now)`. `value` is as of the last
 * update or `valueAt`. `null` while the window holds no volume. O(1) amortised per update.
 */
export class TradeFlowImbalance implements Indicator, Signal {
  private readonly window: TimeWindow;

  constructor(
    readonly windowUs: Micros,
    readonly clock: TradeClock = 'localTs',
  ) {
    this.window = new TimeWindow(windowUs);
  }

  update(trade: Trade): number | null {
    return this.updateRaw(trade[this.clock], trade.qty, trade.side === 'buy' ? 1 : -1);
  }

  /** `side`: 1 buy aggressor, −1 sell aggressor. */
  updateRaw(ts: Micros, qty: number, side: 1 | -1): number | null {
    if (side > 0) this.window.push(ts, qty, 0);
    else this.window.push(ts, 0, qty);
    return this.value;
  }

  valueAt(now: Micros): number | null {
    this.window.evict(now);
    return this.value;
  }

  get value(): number | null {
    const buy = this.window.sumA;
    const sell = this.window.sumB;
    const total = buy + sell;
    if (!(total > 0)) return null;
    const v = (buy - sell) / total;
    return Math.min(1, Math.max(-1, v));
  }
  get isReady(): boolean {
    return this.value !== null;
  }
  reset(): void {
    this.window.clear();
  }
}
