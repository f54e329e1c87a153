import { describe, expect, it } from 'vitest';
import { METRIC_LABELS } from '../run-store/run-metrics.js';
import {
  formatCount,
  formatMetric,
  formatMicrosDuration,
  formatMoney,
  formatPct,
  formatRatio,
  formatSeconds,
  formatTimestampUs,
  groupThousands,
} from './format.js';

describe('formatting', () => {
  it('renders µs timestamps as UTC with microseconds', () => {
    expect(formatTimestampUs(1_700_000_000_000_000)).toBe('2023-11-14 22:13:20.000000');
    expect(formatTimestampUs(1_700_000_000_123_456)).toBe('2023-11-14 22:13:20.123456');
    expect(formatTimestampUs(0)).toBe('1970-01-01 00:00:00.000000');
  });

  it('groups thousands', () => {
    expect(groupThousands('1234567.891')).toBe('1,234,567.891');
    expect(groupThousands('-1000')).toBe('-1,000');
    expect(groupThousands('999')).toBe('999');
  });

  it('shows money in cents from 1 up and in three significant digits below', () => {
    expect(formatMoney(1234.5)).toBe('1,234.50');
    expect(formatMoney(-28.049)).toBe('-28.05');
    expect(formatMoney(0)).toBe('0.00');
    expect(formatMoney(0.0042)).toBe('0.0042');
    expect(formatMoney(-0.12345)).toBe('-0.123');
    expect(formatMoney(3e-10)).toBe('0.00');
  });

  it('shows fractions as percentages, ratios, counts', () => {
    expect(formatPct(0.1234)).toBe('12.34%');
    expect(formatPct(-0.014)).toBe('-1.40%');
    expect(formatPct(12.5)).toBe('1,250.0%');
    expect(formatRatio(1.456)).toBe('1.46');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatCount(12345)).toBe('12,345');
  });

  it('shows durations in the units that matter', () => {
    expect(formatSeconds(4.5)).toBe('4.5 s');
    expect(formatSeconds(45.25)).toBe('45.3 s');
    expect(formatSeconds(725)).toBe('12m 05s');
    expect(formatSeconds(3 * 3600 + 4 * 60 + 10)).toBe('3h 04m');
    expect(formatSeconds(2 * 86400 + 3 * 3600)).toBe('2d 03h');
    expect(formatMicrosDuration(850)).toBe('850 µs');
    expect(formatMicrosDuration(10_900)).toBe('10.9 ms');
    expect(formatMicrosDuration(1_250_000)).toBe('1.25 s');
  });

  it('formats every metric unit, null as a dash', () => {
    for (const [, , unit] of METRIC_LABELS) {
      expect(formatMetric(null, unit)).toBe('—');
      expect(formatMetric(1, unit)).not.toBe('');
    }
    expect(formatMetric(1_700_000_000_000_000, 'ts')).toBe('2023-11-14 22:13:20 UTC');
    expect(formatMetric(1_700_000_000_000_250, 'ts')).toBe('2023-11-14 22:13:20.000250 UTC');
    expect(formatMetric(0.5, 'pct')).toBe('50.00%');
  });
});
