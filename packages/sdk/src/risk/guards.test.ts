import { describe, expect, it } from 'vitest';
import { US_PER_DAY, US_PER_HOUR, US_PER_SECOND } from '../time.js';
import { ConsecutiveLossGuard, RoundTripTracker } from './consecutive-loss-guard.js';
import { DailyLossGuard } from './daily-loss-guard.js';
import { OrderRateLimiter, SlidingWindowCounter } from './order-rate-limiter.js';
import { type RiskResult, riskRuleOf } from './risk-decision.js';

const rule = (r: RiskResult) => (r.ok ? 'ok' : riskRuleOf(r.reason));
/** 2023-11-14 00:00:00 UTC. */
const DAY = 19_675 * US_PER_DAY;

describe('DailyLossGuard', () => {
  it('halts new risk once equity is `limit` below the UTC day start; reduce-only still passes', () => {
    const g = new DailyLossGuard(100);
    g.observe(DAY + US_PER_HOUR, 1_000); // first observation of the day: the day's start
    expect(rule(g.check(DAY + 2 * US_PER_HOUR, 900.01, false))).toBe('ok'); // 99.99 down
    const r = g.check(DAY + 3 * US_PER_HOUR, 900, false); // exactly 100 down: halted
    expect(rule(r)).toBe('dailyLossLimit');
    if (!r.ok)
      expect(r.reason.message).toBe(
        "[dailyLossLimit] equity fell from 1000 at the UTC day's start to 900, limit 100: new risk halted until the next UTC day (reduce-only allowed)",
      );
    expect(rule(g.check(DAY + 3 * US_PER_HOUR, 900, true))).toBe('ok');
    // latched: a recovery within the day does not lift it
    expect(rule(g.check(DAY + 4 * US_PER_HOUR, 2_000, false))).toBe('dailyLossLimit');
  });

  it('a loss seen only between checks (observe) still halts', () => {
    const g = new DailyLossGuard(50);
    g.observe(DAY, 0);
    g.observe(DAY + 1, -60);
    expect(rule(g.check(DAY + 2, 10, false))).toBe('dailyLossLimit');
  });

  it('resets at UTC midnight, measuring from the new day', () => {
    const g = new DailyLossGuard(100);
    g.observe(DAY, 1_000);
    expect(rule(g.check(DAY + US_PER_DAY - 1, 850, false))).toBe('dailyLossLimit');
    expect(g.isHalted).toBe(true);
    expect(rule(g.check(DAY + US_PER_DAY, 850, false))).toBe('ok'); // 00:00:00.000000 the next day
    expect(rule(g.check(DAY + US_PER_DAY + 5, 751, false))).toBe('ok'); // 99 below the new start
    expect(rule(g.check(DAY + US_PER_DAY + 6, 750, false))).toBe('dailyLossLimit');
  });
});

describe('ConsecutiveLossGuard', () => {
  it('N losing round trips in a row start the cool-down; it expires at exactly now + coolDownUs', () => {
    const g = new ConsecutiveLossGuard(3, 60 * US_PER_SECOND);
    g.onRoundTrip(-1, 10);
    g.onRoundTrip(-2, 20);
    expect(rule(g.check(25, false))).toBe('ok');
    g.onRoundTrip(-3, 30);
    const r = g.check(31, false);
    expect(rule(r)).toBe('consecutiveLosses');
    if (!r.ok)
      expect(r.reason.message).toBe(
        '[consecutiveLosses] 3 losing round trips in a row (last -3): new risk paused until 60000030 µs',
      );
    expect(rule(g.check(31, true))).toBe('ok'); // reduce-only
    expect(rule(g.check(30 + 60 * US_PER_SECOND - 1, false))).toBe('consecutiveLosses');
    expect(rule(g.check(30 + 60 * US_PER_SECOND, false))).toBe('ok');
    expect(g.streak).toBe(0);
  });

  it('a round trip with PnL ≥ 0 resets the streak', () => {
    const g = new ConsecutiveLossGuard(2, 1_000);
    g.onRoundTrip(-1, 1);
    g.onRoundTrip(0, 2);
    g.onRoundTrip(-1, 3);
    expect(rule(g.check(4, false))).toBe('ok');
    g.onRoundTrip(-1, 5);
    expect(rule(g.check(6, false))).toBe('consecutiveLosses');
  });
});

describe('RoundTripTracker', () => {
  it('a trip is flat → flat; its PnL is the change of net PnL over it; a flip closes one and opens the next', () => {
    const trips: Array<[string, number]> = [];
    const t = new RoundTripTracker((s, pnl) => trips.push([s, pnl]));
    t.onFill('BTC', 0.1, -0.5); // opens (fee 0.5): trip starts at net 0
    t.onFill('BTC', 0.2, -1); // adds
    t.onFill('BTC', 0.05, 3); // partly closes: no trip yet
    t.onFill('BTC', 0, 2); // flat: trip PnL = 2 − 0
    t.onFill('ETH', -1, -0.2); // ETH opens at net 0
    t.onFill('ETH', 1, -5.2); // flips: trip closes at −5.2, next starts at −5.2
    t.onFill('ETH', 0, -4.2); // flat: +1
    expect(trips).toEqual([
      ['BTC', 2],
      ['ETH', -5.2],
      ['ETH', 1],
    ]);
    t.onFill('BTC', -0.1, 1.9); // reopens from net 2
    t.onFill('BTC', 0, 1.5);
    expect(trips.at(-1)?.[1]).toBeCloseTo(-0.5, 12);
  });
});

describe('order rate', () => {
  it('SlidingWindowCounter: limit events per window; the window slides', () => {
    const w = new SlidingWindowCounter(3, 10);
    for (const t of [0, 4, 9]) {
      expect(w.allows(t)).toBe(true);
      w.record(t);
    }
    expect(w.allows(9)).toBe(false);
    expect(w.allows(9.5)).toBe(false);
    expect(w.allows(10)).toBe(true); // the event at 0 left (0 ≤ 10 − 10)
    w.record(10);
    expect(w.allows(13)).toBe(false); // 4, 9, 10 in (3, 13]
    expect(w.allows(14)).toBe(true);
    expect(w.countAt(14)).toBe(2);
  });

  it('OrderRateLimiter: 300 per 10 s and 1200 per 60 s by default figures', () => {
    const r = new OrderRateLimiter(300, 1200);
    for (let i = 0; i < 300; i++) {
      expect(r.check(i).ok).toBe(true);
      r.record(i);
    }
    const d = r.check(300);
    expect(rule(d)).toBe('orderRate10s');
    if (!d.ok)
      expect(d.reason.message).toBe('[orderRate10s] 300 orders already sent in the last 10 s, the limit');
    // 10 s after the first send, one slot frees
    expect(r.check(10 * US_PER_SECOND).ok).toBe(true);
    expect(r.check(10 * US_PER_SECOND - 1).ok).toBe(false);
    // fill the minute: 300 per 10 s for 40 s more = 1200
    for (let k = 1; k < 4; k++) {
      const base = k * 10 * US_PER_SECOND;
      for (let i = 0; i < 300; i++) {
        expect(r.check(base + i).ok).toBe(true);
        r.record(base + i);
      }
    }
    expect(rule(r.check(45 * US_PER_SECOND))).toBe('orderRate60s');
    expect(rule(r.check(60 * US_PER_SECOND - 1))).toBe('orderRate60s');
    expect(r.check(60 * US_PER_SECOND).ok).toBe(true);
  });
});
