import type { Micros } from '../time.js';
import { fmt, RISK_OK, type RiskResult, riskDenied } from './risk-decision.js';

/**
 * Consecutive-loss limit with cool-down. A round trip is a symbol's position going from flat
 * back to flat (a flip through zero closes one and opens the next); its PnL is the change of
 * realized PnL − fees − funding over the trip. `maxLosses` losing trips in a row start a
 * cool-down of `coolDownUs` during which new risk is denied (reduce-only passes); a trip with
 * PnL ≥ 0 resets the count, and so does the start of a cool-down.
 */
export class ConsecutiveLossGuard {
  private losses = 0;
  private coolDownUntil = Number.NEGATIVE_INFINITY;
  private lastPnl = 0;

  constructor(
    readonly maxLosses: number,
    readonly coolDownUs: Micros,
  ) {}

  onRoundTrip(pnl: number, now: Micros): void {
    if (pnl >= 0) {
      this.losses = 0;
      return;
    }
    this.lastPnl = pnl;
    if (++this.losses >= this.maxLosses) {
      this.losses = 0;
      this.coolDownUntil = now + this.coolDownUs;
    }
  }

  check(now: Micros, reduceOnly: boolean): RiskResult {
    if (now >= this.coolDownUntil || reduceOnly) return RISK_OK;
    return riskDenied(
      'consecutiveLosses',
      `${this.maxLosses} losing round trips in a row (last ${fmt(this.lastPnl)}): new risk paused until ${this.coolDownUntil} µs`,
    );
  }

  get streak(): number {
    return this.losses;
  }
}

/**
 * Detects round trips per symbol from positions after each fill. `net` is the symbol's
 * realized PnL − fees − funding after the fill.
 */
export class RoundTripTracker {
  private readonly qty = new Map<string, number>();
  private readonly lastNet = new Map<string, number>();
  private readonly tripStart = new Map<string, number>();

  constructor(private readonly onTrip: (symbol: string, pnl: number) => void) {}

  onFill(symbol: string, qtyAfter: number, netAfter: number): void {
    const before = this.qty.get(symbol) ?? 0;
    const netBefore = this.lastNet.get(symbol) ?? 0;
    this.qty.set(symbol, qtyAfter);
    this.lastNet.set(symbol, netAfter);
    if (before === 0) {
      if (qtyAfter !== 0) this.tripStart.set(symbol, netBefore);
      return;
    }
    if (qtyAfter === 0 || Math.sign(qtyAfter) !== Math.sign(before)) {
      this.onTrip(symbol, netAfter - (this.tripStart.get(symbol) ?? 0));
      if (qtyAfter !== 0) this.tripStart.set(symbol, netAfter);
    }
  }
}
