import { describe, expect, it } from 'vitest';
import { ConstantLatency } from './constant-latency.js';
import { FeedMultipleLatency } from './feed-multiple-latency.js';
import { LATENCY_HELP, latencySpecNeedsSamples, parseLatencySpec } from './parse-latency.js';
import { type OrderLatencySample, RecordedLatency } from './recorded-latency.js';

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

  it('parses feed-multiple:<entryMult>:<responseMult>[:<offsetUs>]', () => {
    const a = parseLatencySpec('feed-multiple:1.5:2');
    expect(a).toBeInstanceOf(FeedMultipleLatency);
    // feed latency 1000 µs: entry 1.5 × 1000 = 1500, response 2 × 1000 = 2000.
    expect([a.entry(0, 1000), a.response(0, 1000)]).toEqual([1500, 2000]);
    const b = parseLatencySpec('feed-multiple:1:0.5:300');
    // entry 1 × 4000 + 300 = 4300, response 0.5 × 4000 + 300 = 2300.
    expect([b.entry(0, 4000), b.response(0, 4000)]).toEqual([4300, 2300]);
  });

  it('parses recorded from the samples the caller passes, and refuses it without samples', () => {
    const samples = [{ reqTs: 0, exchTs: 100, respTs: 300 }];
    const m = parseLatencySpec(' recorded ', { recordedSamples: samples });
    expect(m).toBeInstanceOf(RecordedLatency);
    expect([m.entry(5, 0), m.response(5, 0)]).toEqual([100, 200]);
    const noRows =
      'latency model "recorded" replays recorded order latencies, but the data file has no order_latency rows; record a live run first or use constant:/feed-multiple:';
    expect(() => parseLatencySpec('recorded')).toThrow(noRows);
    expect(() => parseLatencySpec('recorded', { recordedSamples: [] })).toThrow(noRows);
    expect(latencySpecNeedsSamples(' recorded')).toBe(true);
    expect(latencySpecNeedsSamples('constant:5')).toBe(false);
  });

  it('has one help line per form, each with its formula', () => {
    const lines = LATENCY_HELP.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^constant:<entryUs>\[:<responseUs>\] .*entry = entryUs/);
    expect(lines[1]).toMatch(
      /^feed-multiple:<entryMult>:<responseMult>\[:<offsetUs>\] .*entryMult × feedLatency \+ offsetUs/,
    );
    expect(lines[2]).toMatch(/^recorded .*interp\(exch_ts − req_ts\)/);
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
      'feed-multiple',
      'feed-multiple:1',
      'feed-multiple:-1:1',
      'feed-multiple:1:1:1.5',
      'feed-multiple:1:1:1:1',
      'recorded:5',
    ]) {
      expect(() => parseLatencySpec(spec)).toThrow(
        `"${spec}": accepted forms are constant:<entryUs>[:<responseUs>]`,
      );
    }
    expect(() => parseLatencySpec('gaussian:5000')).toThrow(/^unknown latency model "gaussian:5000"/);
    expect(() => parseLatencySpec('constant:abc')).toThrow(/^invalid latency model "constant:abc"/);
    expect(() => parseLatencySpec('feed-multiple:x:1')).toThrow(/^invalid latency model/);
    expect(() => parseLatencySpec('constant:5')).not.toThrow();
  });
});

describe('FeedMultipleLatency', () => {
  it('scales the current feed latency and adds the offset', () => {
    const l = new FeedMultipleLatency(2, 1.5, 100);
    // Feed latency 3000 µs (local_ts − exch_ts of the latest event):
    //   entry    = 2 × 3000 + 100 = 6100
    //   response = 1.5 × 3000 + 100 = 4600
    expect([l.entry(0, 3000), l.response(0, 3000)]).toEqual([6100, 4600]);
    // A spike in the data to 50 ms is a spike in order latency: 2 × 50000 + 100 = 100100.
    expect(l.entry(0, 50_000)).toBe(100_100);
    // Results are whole µs: 1.5 × 333 + 100 = 599.5 → 600.
    expect(l.response(0, 333)).toBe(600);
    // A negative feed latency (clock skew) counts as 0: just the offset.
    expect([l.entry(0, -500), l.response(0, Number.NaN)]).toEqual([100, 100]);
    expect(new FeedMultipleLatency(1, 1).entry(0, 7)).toBe(7); // offset defaults to 0
  });

  it('refuses negative or non-finite multipliers and a fractional offset', () => {
    expect(() => new FeedMultipleLatency(-1, 1)).toThrow(/entryMult must be a finite number ≥ 0, got -1/);
    expect(() => new FeedMultipleLatency(1, Number.POSITIVE_INFINITY)).toThrow(/responseMult/);
    expect(() => new FeedMultipleLatency(1, 1, 0.5)).toThrow(/offsetUs must be a whole number of µs ≥ 0/);
  });
});

describe('RecordedLatency', () => {
  // Request at req_ts, seen by the exchange at exch_ts, answered at resp_ts.
  //   req 1000: entry 200, response 300        (accepted)
  //   req 2000: exch 0 → rejected, answered at 2050 (round trip 50)
  //   req 3000: entry 600, response 100        (accepted)
  //   req 5000: entry 400, response 500        (accepted)
  const S: OrderLatencySample[] = [
    { reqTs: 1000, exchTs: 1200, respTs: 1500 },
    { reqTs: 2000, exchTs: 0, respTs: 2050 },
    { reqTs: 3000, exchTs: 3600, respTs: 3700 },
    { reqTs: 5000, exchTs: 5400, respTs: 5900 },
  ];

  it('interpolates entry and response linearly over the accepted samples, rejections left out', () => {
    const l = new RecordedLatency(S);
    expect([l.sampleCount, l.rejectedCount]).toEqual([4, 1]);
    // t = 2000 lies between the accepted samples at 1000 and 3000 (the rejection at 2000 takes
    // no part): halfway, entry = 200 + (600 − 200) × 0.5 = 400, response = 300 + (100 − 300) × 0.5 = 200.
    expect([l.entry(2000, 0), l.response(2000, 0)]).toEqual([400, 200]);
    // t = 4500, between 3000 and 5000 at 3/4: entry 600 + (400 − 600) × 0.75 = 450,
    // response 100 + (500 − 100) × 0.75 = 400.
    expect([l.entry(4500, 0), l.response(4500, 0)]).toEqual([450, 400]);
    // On a sample: its own values. 1500 µs between 1000 and 3000 at 1/4: 200 + 400/4 = 300.
    expect([l.entry(3000, 0), l.response(1000, 0), l.entry(1500, 0)]).toEqual([600, 300, 300]);
    // Whole µs: t = 1001 → 200 + 400 × 1/2000 = 200.2 → 200.
    expect(l.entry(1001, 0)).toBe(200);
  });

  it('clamps to the first / last sample outside their range', () => {
    const l = new RecordedLatency(S);
    expect([l.entry(0, 0), l.response(0, 0)]).toEqual([200, 300]);
    expect([l.entry(9_000_000, 0), l.response(9_000_000, 0)]).toEqual([400, 500]);
  });

  it('rejects requests whose nearest sample is a rejection, after its round trip', () => {
    const l = new RecordedLatency(S);
    // Nearest samples by req_ts: t ≤ 1500 → 1000 (accepted); 1500 is a tie between 1000 and 2000,
    // which goes to the earlier; 1501..2500 → 2000 (rejected: round trip 2050 − 2000 = 50);
    // 2500 ties → 2000 (rejected); 2501.. → 3000 (accepted).
    const at = (t: number) => l.rejection(t);
    expect([at(0), at(1000), at(1500)]).toEqual([undefined, undefined, undefined]);
    expect([at(1501), at(2000), at(2500)]).toEqual([50, 50, 50]);
    expect([at(2501), at(4000), at(99_999)]).toEqual([undefined, undefined, undefined]);
  });

  it('answers the same whatever the call order (cursor or binary search)', () => {
    const l = new RecordedLatency(S);
    const fresh = () => new RecordedLatency(S);
    const times = [4500, 100, 2000, 2000, 5000, 1500, 2600, 9999, 0, 3000];
    for (const t of times) {
      expect(l.entry(t, 0)).toBe(fresh().entry(t, 0));
      expect(l.response(t, 0)).toBe(fresh().response(t, 0));
      expect(l.rejection(t)).toBe(fresh().rejection(t));
    }
    // A long nondecreasing sweep over many samples agrees with a brute-force reading of the
    // definitions (linear scan) at every point.
    const many: OrderLatencySample[] = [];
    for (let i = 0; i < 1000; i++) {
      const req = i * 100;
      many.push({ reqTs: req, exchTs: i % 7 === 3 ? 0 : req + 10 + (i % 13), respTs: req + 40 + (i % 5) });
    }
    const ok = many.filter((x) => x.exchTs > 0);
    const interp = (t: number, y: (x: OrderLatencySample) => number): number => {
      if (t <= ok[0]!.reqTs) return y(ok[0]!);
      if (t >= ok.at(-1)!.reqTs) return y(ok.at(-1)!);
      const j = ok.findIndex((x) => x.reqTs > t);
      const a = ok[j - 1]!;
      const b = ok[j]!;
      return Math.round(y(a) + ((y(b) - y(a)) * (t - a.reqTs)) / (b.reqTs - a.reqTs));
    };
    const nearest = (t: number): OrderLatencySample => {
      let best = many[0]!;
      for (const x of many) if (Math.abs(x.reqTs - t) < Math.abs(best.reqTs - t)) best = x;
      return best;
    };
    const swept = new RecordedLatency(many);
    for (let t = -50; t < 100_100; t += 37) {
      const n = nearest(t);
      expect([swept.entry(t, 0), swept.response(t, 0), swept.rejection(t)]).toEqual([
        interp(t, (x) => x.exchTs - x.reqTs),
        interp(t, (x) => x.respTs - x.exchTs),
        n.exchTs > 0 ? undefined : n.respTs - n.reqTs,
      ]);
    }
  });

  it('with several samples at one req_ts: interpolation uses the last, rejection the first', () => {
    const l = new RecordedLatency([
      { reqTs: 0, exchTs: 10, respTs: 20 },
      { reqTs: 100, exchTs: 0, respTs: 130 }, // rejected, first at 100
      { reqTs: 100, exchTs: 150, respTs: 160 }, // accepted, last at 100: entry 50, response 10
      { reqTs: 200, exchTs: 250, respTs: 260 },
    ]);
    expect([l.entry(100, 0), l.response(100, 0)]).toEqual([50, 10]);
    expect(l.rejection(100)).toBe(30);
  });

  it('validates its samples', () => {
    expect(() => new RecordedLatency([])).toThrow(/no order latency samples/);
    expect(
      () =>
        new RecordedLatency([
          { reqTs: 10, exchTs: 11, respTs: 12 },
          { reqTs: 5, exchTs: 6, respTs: 7 },
        ]),
    ).toThrow(/sorted by req_ts; sample 1 \(req_ts 5\) comes after req_ts 10/);
    expect(() => new RecordedLatency([{ reqTs: 0, exchTs: Number.NaN, respTs: 1 }])).toThrow(/non-finite/);
    expect(() => new RecordedLatency([{ reqTs: 0, exchTs: 0, respTs: 1 }])).toThrow(
      /all 1 order_latency samples are rejections/,
    );
  });

  it('clamps a negative recorded leg (clock skew) to 0', () => {
    const l = new RecordedLatency([{ reqTs: 1000, exchTs: 990, respTs: 1100 }]);
    expect([l.entry(1000, 0), l.response(1000, 0)]).toEqual([0, 110]);
  });
});
