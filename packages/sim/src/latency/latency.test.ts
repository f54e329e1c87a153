import { describe, expect, it } from 'vitest';
import { ConstantLatency } from './constant-latency.js';
import { parseLatencySpec } from './parse-latency.js';

describe('ConstantLatency', () => {
  it('returns its fixed delays whatever the time and feed latency', () => {
    const l = new ConstantLatency(5000, 8000);
    // Order sent at local t=1_000_000 arrives at 1_005_000; a report at exchange 2_000_000 is
    // back at 2_008_000.
    expect(1_000_000 + l.entry(1_000_000, 123)).toBe(1_005_000);
    expect(2_000_000 + l.response(2_000_000, 999_999)).toBe(2_008_000);
  });

  it('defaults the response delay to the entry delay', () => {
    const l = new ConstantLatency(250);
    expect([l.entry(0, 0), l.response(0, 0)]).toEqual([250, 250]);
  });

  it('refuses negative, fractional or non-finite delays', () => {
    expect(() => new ConstantLatency(-1)).toThrow(/entryUs must be a whole number of µs ≥ 0, got -1/);
    expect(() => new ConstantLatency(1, 0.5)).toThrow(/responseUs/);
    expect(() => new ConstantLatency(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseLatencySpec', () => {
  it('parses constant:<entryUs>[:<responseUs>]', () => {
    const a = parseLatencySpec('constant:5000');
    expect([a.entry(0, 0), a.response(0, 0)]).toEqual([5000, 5000]);
    const b = parseLatencySpec(' constant:5000:8000 ');
    expect([b.entry(0, 0), b.response(0, 0)]).toEqual([5000, 8000]);
    expect(parseLatencySpec('constant:0').entry(0, 0)).toBe(0);
  });

  it('names the spec and the accepted forms when it cannot parse it', () => {
    for (const spec of [
      'gaussian:5000',
      '',
      'constant',
      'constant:',
      'constant:-5',
      'constant:1.5',
      'constant:1:2:3',
    ]) {
      expect(() => parseLatencySpec(spec)).toThrow(
        `"${spec}": accepted forms are constant:<entryUs>[:<responseUs>]`,
      );
    }
    expect(() => parseLatencySpec('gaussian:5000')).toThrow(/^unknown latency model "gaussian:5000"/);
    expect(() => parseLatencySpec('constant:abc')).toThrow(/^invalid latency model "constant:abc"/);
  });
});
