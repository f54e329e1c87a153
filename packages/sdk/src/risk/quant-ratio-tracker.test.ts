import { describe, expect, it } from 'vitest';
import { US_PER_SECOND } from '../time.js';
import { parseRiskConfig } from './config.js';
import { QuantRatioTracker } from './quant-ratio-tracker.js';
import { type RiskResult, riskRuleOf } from './risk-decision.js';

const rule = (r: RiskResult) => (r.ok ? 'ok' : riskRuleOf(r.reason));
const S = 'BTCUSDT';
const T0 = 1_700_000_000 * US_PER_SECOND; // a multiple of 10 s: bucket boundaries fall on T0 + k·10 s

function tracker(over: Record<string, unknown> = {}) {
  const warnings: Array<{ message: string; details: Record<string, unknown> }> = [];
  const cfg = parseRiskConfig({ quantRules: over }).quantRules!;
  const t = new QuantRatioTracker(cfg, (message, details) => warnings.push({ message, details }));
  return { t, warnings };
}

describe('QuantRatioTracker: unfilled ratio (UFR = 1 − filled orders / orders)', () => {
  it('judged from minOrders (the checked order counted, assumed unfilled); block at blockAt × 0.99, warn at warnAt × 0.99', () => {
    const { t, warnings } = tracker();
    for (let i = 0; i < 148; i++) t.onSent(S, 'GTC', true, T0 + i);
    expect(rule(t.check(S, T0 + 200, false))).toBe('ok'); // 149 with this one: not judged
    expect(warnings).toEqual([]);
    t.onSent(S, 'GTC', true, T0 + 149);
    // 149 sent, 0 filled: with this one UFR = 1 ≥ 0.9405
    const d = t.check(S, T0 + 200, false);
    expect(rule(d)).toBe('unfilledRatio');
    if (!d.ok)
      expect(d.reason.message).toBe(
        '[unfilledRatio] unfilledRatio of BTCUSDT at 1 over the last 600 s (150 orders with this one) reached the block level 0.9405 (exchange threshold 0.99)',
      );
    expect(rule(t.check(S, T0 + 200, true))).toBe('ok'); // reduce-only passes
    expect(warnings).toHaveLength(1); // one warning per crossing
    expect(warnings[0]!.details).toMatchObject({
      symbol: S,
      ratio: 'unfilledRatio',
      value: 1,
      threshold: 0.99,
    });
  });

  it('the block level is exact: 9 filled of 150 (UFR 0.94) passes, 8 (0.9467) does not', () => {
    const { t } = tracker();
    for (let i = 0; i < 149; i++) t.onSent(S, 'GTC', true, T0 + i);
    for (let i = 0; i < 8; i++) t.onFill(S, 100, true, T0 + 150);
    expect(rule(t.check(S, T0 + 200, false))).toBe('unfilledRatio');
    t.onFill(S, 100, false, T0 + 150); // a second fill of a filled order changes nothing
    expect(rule(t.check(S, T0 + 200, false))).toBe('unfilledRatio');
    t.onFill(S, 100, true, T0 + 150);
    expect(rule(t.check(S, T0 + 200, false))).toBe('ok');
  });

  it('rolls over 10 minutes, bucket by bucket, in event time; symbols are separate', () => {
    const { t } = tracker();
    for (let i = 0; i < 75; i++) t.onSent(S, 'GTC', true, T0 + i); // bucket 0
    for (let i = 0; i < 74; i++) t.onSent(S, 'GTC', true, T0 + 300 * US_PER_SECOND + i); // bucket 30
    expect(rule(t.check(S, T0 + 600 * US_PER_SECOND - 1, false))).toBe('unfilledRatio'); // all 149 in window
    expect(rule(t.check('ETHUSDT', T0 + 600 * US_PER_SECOND - 1, false))).toBe('ok');
    expect(t.ratios(S, T0 + 600 * US_PER_SECOND).orders).toBe(74); // bucket 0 left the window
    expect(rule(t.check(S, T0 + 600 * US_PER_SECOND, false))).toBe('ok');
    expect(t.ratios(S, T0 + 900 * US_PER_SECOND).orders).toBe(0);
    // a jump of more than a whole window clears everything
    t.onSent(S, 'GTC', true, T0 + 5_000 * US_PER_SECOND);
    expect(t.ratios(S, T0 + 5_000 * US_PER_SECOND).orders).toBe(1);
  });

  it('warns once per crossing, again after falling back below the warn level', () => {
    const { t, warnings } = tracker({ warnAt: 0.5, blockAt: 1 });
    for (let i = 0; i < 149; i++) t.onSent(S, 'GTC', true, T0);
    for (let i = 0; i < 50; i++) t.onFill(S, 100, true, T0); // UFR with next = 1 − 50/150 = 0.667 ≥ 0.495
    expect(rule(t.check(S, T0, false))).toBe('ok');
    expect(rule(t.check(S, T0, false))).toBe('ok');
    expect(warnings).toHaveLength(1);
    for (let i = 0; i < 50; i++) t.onFill(S, 100, true, T0); // 1 − 100/150 = 0.333: below
    t.check(S, T0, false);
    for (let i = 0; i < 100; i++) t.onSent(S, 'GTC', true, T0); // 1 − 100/250 = 0.6: above again
    t.check(S, T0, false);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]!.message).toBe("unfilledRatio of BTCUSDT at 0.6 nears the exchange's 0.99");
  });
});

describe('QuantRatioTracker: GCR, IFER, DR', () => {
  it('GCR: GTC/GTX orders canceled within 5 s of placing (5 s counts, 5 s + 1 µs does not)', () => {
    const { t } = tracker({ unfilledRatio: 1, blockAt: 1, warnAt: 1 });
    for (let i = 0; i < 150; i++) {
      t.onSent(S, i % 2 ? 'GTX' : 'GTC', true, T0);
      t.onFill(S, 100, true, T0); // keep UFR at 0
    }
    for (let i = 0; i < 148; i++) t.onCanceled(S, 'GTC', 5 * US_PER_SECOND, T0 + 5 * US_PER_SECOND);
    t.onCanceled(S, 'GTC', 5 * US_PER_SECOND + 1, T0 + 5 * US_PER_SECOND);
    t.onCanceled(S, 'IOC', 1, T0 + 5 * US_PER_SECOND); // not a GTC order
    expect(t.ratios(S, T0 + 6 * US_PER_SECOND).gtcCancelRatio).toBeCloseTo(148 / 150, 12);
    expect(rule(t.check(S, T0 + 6 * US_PER_SECOND, false))).toBe('ok'); // 0.9867 < 0.99
    t.onCanceled(S, 'GTC', 0, T0 + 6 * US_PER_SECOND);
    expect(rule(t.check(S, T0 + 6 * US_PER_SECOND, false))).toBe('gtcCancelRatio'); // 0.9933
  });

  it('IFER: expired IOC/FOK limit orders; market orders do not count', () => {
    const { t } = tracker({ unfilledRatio: 1, warnAt: 0.9, blockAt: 0.9 });
    for (let i = 0; i < 150; i++) {
      t.onSent(S, i % 2 ? 'FOK' : 'IOC', true, T0);
      t.onFill(S, 100, true, T0);
    }
    t.onSent(S, 'IOC', false, T0); // market
    for (let i = 0; i < 133; i++) t.onExpired(S, 'IOC', true, T0 + 1);
    t.onExpired(S, 'IOC', false, T0 + 1);
    expect(t.ratios(S, T0 + 1).iocExpiryRatio).toBeCloseTo(133 / 150, 12);
    expect(rule(t.check(S, T0 + 1, false))).toBe('ok'); // 0.8867 < 0.891
    t.onExpired(S, 'FOK', true, T0 + 1);
    expect(rule(t.check(S, T0 + 1, false))).toBe('iocExpiryRatio'); // 0.8933
  });

  it('DR: fills with notional below dustNotional; off while dustNotional is unset', () => {
    const off = tracker({ unfilledRatio: 1 }).t;
    for (let i = 0; i < 150; i++) {
      off.onSent(S, 'GTC', true, T0);
      off.onFill(S, 1, true, T0);
    }
    expect(off.ratios(S, T0).dustRatio).toBeNaN();
    expect(rule(off.check(S, T0, false))).toBe('ok');

    const { t } = tracker({ unfilledRatio: 1, dustNotional: 10, blockAt: 1, warnAt: 1 });
    for (let i = 0; i < 150; i++) t.onSent(S, 'GTC', true, T0);
    for (let i = 0; i < 9; i++) t.onFill(S, 9.99, true, T0);
    t.onFill(S, 10, true, T0); // at the threshold: not dust
    expect(t.ratios(S, T0).dustRatio).toBeCloseTo(0.9, 12);
    expect(rule(t.check(S, T0, false))).toBe('dustRatio'); // 0.9 ≥ 0.9
    t.onFill(S, 10, true, T0);
    expect(rule(t.check(S, T0, false))).toBe('ok'); // 9/11
  });
});
