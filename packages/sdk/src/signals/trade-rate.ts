import type { Trade } from '../events/market.js';
import { type Micros, US_PER_SECOND } from '../time.js';
import type { Indicator, Signal } from './signal.js';
import { TimeWindow } from './time-window.js';
import type { TradeClock } from './trade-flow-imbalance.js';

/**
 * Trade rate in trades per second over a sliding event-time window (same window semantics as
 * `TradeFlowImbalance`): count in the window / window length. Ready once a full window has
 * elapsed since the first trade (`now − firstTs >= windowUs`); before that the rate would be
 * understated, so `value` is `null`.
 */
export class TradeRate implements Indicator, Signal {
  private readonly window: TimeWindow;
  private firstTs = Number.NaN;
  private now = Number.NaN;

  constructor(
    readonly windowUs: Micros,
    readonly clock: TradeClock = 'localTs',
  ) {
    this.window = new TimeWindow(windowUs);
  }

  update(trade: Trade): number | null {
    return this.updateRaw(trade[this.clock]);
  }

  updateRaw(ts: Micros): number | null {
    if (Number.isNaN(this.firstTs)) this.firstTs = ts;
    this.window.push(ts, 1, 0);
    this.now = this.window.latestTs;
    return this.value;
  }

  valueAt(now: Micros): number | null {
    this.window.evict(now);
    if (!(now <= this.now)) this.now = now;
    return this.value;
  }

  /** Trades currently in the window. */
  get count(): number {
    return this.window.count;
  }
  get value(): number | null {
    return this.isReady ? (this.window.count * US_PER_SECOND) / this.windowUs : null;
  }
  get isReady(): boolean {
    return this.now - this.firstTs >= this.windowUs;
  }
  reset(): void {
    this.window.clear();
    this.firstTs = Number.NaN;
    this.now = Number.NaN;
  }
}
