import { describe, expect, it } from 'vitest';
import { parseDuration } from './parse-duration.js';

describe('parseDuration', () => {
  it('reads units and their sums in µs', () => {
    expect(parseDuration('30s')).toBe(30_000_000);
    expect(parseDuration('10m')).toBe(600_000_000);
    expect(parseDuration('1h')).toBe(3_600_000_000);
    expect(parseDuration('1h30m')).toBe(5_400_000_000);
    expect(parseDuration('1.5h')).toBe(5_400_000_000);
    expect(parseDuration('500ms')).toBe(500_000);
    expect(parseDuration('2d')).toBe(172_800_000_000);
    expect(parseDuration(' 5s ')).toBe(5_000_000);
  });

  it('refuses what is not a positive duration with units', () => {
    for (const bad of ['', '30', 's', '1x', '1h 30m', '0s', '-5s', '5s!', '1hh'])
      expect(parseDuration(bad)).toBe(undefined);
  });
});
