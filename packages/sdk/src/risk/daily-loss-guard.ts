import { type Micros, US_PER_DAY } from '../time.js';
import { fmt, RISK_OK, type RiskResult, riskDenied } from './risk-decision.js';

/**
 * Daily loss limit. Equity is remembered at the first observation of each UTC day (the kernel
 * reports equity on fills and book moves while a position is open, and at every check); once
 * it falls `limit` below that, the guard halts new risk until the next UTC day. The halt is
 * latched: a recovery within the day does not lift it. Reduce-only orders always pass.
 */
export class DailyLossGuard {
  private day = Number.NaN;
  private dayStartEquity = 0;
  private halted = false;

  constructor(readonly limit: number) {}

  observe(now: Micros, equity: number): void {
    const day = Math.floor(now / US_PER_DAY);
    if (day !== this.day) {
      this.day = day;
      this.dayStartEquity = equity;
      this.halted = false;
    }
    if (!this.halted && this.dayStartEquity - equity >= this.limit) this.halted = true;
  }

  check(now: Micros, equity: number, reduceOnly: boolean): RiskResult {
    this.observe(now, equity);
    if (!this.halted || reduceOnly) return RISK_OK;
    return riskDenied(
      'dailyLossLimit',
      `equity fell from ${fmt(this.dayStartEquity)} at the UTC day's start to ${fmt(equity)}, limit ${this.limit}: new risk halted until the next UTC day (reduce-only allowed)`,
    );
  }

  get isHalted(): boolean {
    return this.halted;
  }
}
