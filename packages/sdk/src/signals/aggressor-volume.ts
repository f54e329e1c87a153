import type { Trade } from '../events/market.js';
import type { Micros } from '../time.js';
import type { Indicator, Signal } from './signal.js';
import { TimeWindow } from './time-window.js';
import type { TradeClock } from './trade-flow-imbalance.js';

/**
 * Aggressor volume over a sliding event-time window (same window semantics as
 * `TradeFlowImbalance`): `buyVolume`, `sellVolume`, and `value` = net (buy − sell) volume.
 * `value` is `null` until the first trade; an emptied window reads 0.
 */
export class AggressorVolume implements Indicator, Signal {
  private readonly window: TimeWindow;
  private seen = false;

  constructor(
    readonly windowUs: Micros,
    readonly clock: TradeClock = 'localTs',
  ) {
    this.window = new TimeWindow(windowUs);
  }

  update(trade: Trade): number | null {
    return this.updateRaw(trade[this.clock], trade.qty, trade.side === 'buy' ? 1 : -1);
  }

  updateRaw(ts: Micros, qty: number, side: 1 | -1): number | null {
    this.seen = true;
    if (side > 0) this.window.push(ts, qty, 0);
    else this.window.push(ts, 0, qty);
    return this.value;
  }

  valueAt(now: Micros): number | null {
    this.window.evict(now);
    return this.value;
  }

  get buyVolume(): number {
    return this.window.sumA;
  }
  get sellVolume(): number {
    return this.window.sumB;
  }
  get value(): number | null {
    return this.seen ? this.window.sumA - this.window.sumB : null;
  }
  get isReady(): boolean {
    return this.seen;
  }
  reset(): void {
    this.window.clear();
    this.seen = false;
  }
}
