import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQueueSpec, QUEUE_HELP } from './parse-queue.js';
import { ProbLogQueue, ProbPowerQueue } from './prob-queue.js';
import type { QueueModel, QueuePosition } from './queue-model.js';
import { RiskAverseQueue } from './risk-averse-queue.js';

const pos = (): QueuePosition => ({ queueAhead: Number.NaN, queueTraded: Number.NaN });

describe('RiskAverseQueue', () => {
  const q = new RiskAverseQueue();

  it('joins behind the whole level', () => {
    const p = pos();
    q.onAccept(p, 7);
    expect(p).toEqual({ queueAhead: 7, queueTraded: 0 });
    q.onAccept(p, 0);
    expect(p.queueAhead).toBe(0);
  });

  it('advances by trades and returns the excess that reached the order', () => {
    const p = pos();
    q.onAccept(p, 10);
    expect(q.onTrade(p, 4)).toBe(0); // ahead 10 − 4 = 6
    expect(q.onTrade(p, 6)).toBe(0); // ahead 0, exactly drained: nothing reached us yet
    expect(q.onTrade(p, 3)).toBe(3); // all 3 reach us
    expect(p).toEqual({ queueAhead: 0, queueTraded: 13 });
    const r = pos();
    q.onAccept(r, 5);
    expect(q.onTrade(r, 8)).toBe(3); // 5 ahead, 8 − 5 = 3 reach us
  });

  it('only caps the queue at a decreased level; increases are behind the order', () => {
    const p = pos();
    q.onAccept(p, 10);
    q.onTrade(p, 2); // ahead 8, traded 2
    q.onLevelChange(p, 10, 9); // decrease of 1 (trades explain 2): ahead stays min(8, 9) = 8
    expect(p).toEqual({ queueAhead: 8, queueTraded: 0 });
    q.onLevelChange(p, 9, 3); // ahead min(8, 3) = 3
    expect(p.queueAhead).toBe(3);
    q.onLevelChange(p, 3, 50); // increase: unchanged
    expect(p.queueAhead).toBe(3);
    q.onLevelChange(p, 50, 0); // level gone: front of the (empty) queue
    expect(p.queueAhead).toBe(0);
  });
});

describe('ProbPowerQueue / ProbLogQueue', () => {
  it('prob-power:2 splits a cancellation between ahead and behind (4 ahead, 6 behind, 10 → 5)', () => {
    const q = new ProbPowerQueue(2);
    const p = pos();
    q.onAccept(p, 4); // joins behind 4
    q.onLevelChange(p, 4, 10); // +6 joins behind: ahead 4, behind 6
    expect(p.queueAhead).toBe(4);
    // 10 → 5, no trades: Δ = 5. p = 6² / (6² + 4²) = 36/52 of it behind us.
    // ahead' = 4 − (1 − 36/52)·5 + min(6 − (36/52)·5, 0) = 4 − (16/52)·5 + 0 = 2.4615…
    q.onLevelChange(p, 10, 5);
    expect(p.queueAhead).toBeCloseTo(4 - (16 / 52) * 5, 12);
    expect(p.queueAhead).toBeCloseTo(2.461538461538, 10);
    expect(p.queueTraded).toBe(0);
  });

  it('subtracts the trades already counted since the last depth update from the decrease', () => {
    const q = new ProbPowerQueue(2);
    const p = pos();
    q.onAccept(p, 4);
    q.onLevelChange(p, 4, 10); // ahead 4, behind 6
    expect(q.onTrade(p, 3)).toBe(0); // ahead 1, traded 3
    // 10 → 5: Δ = 10 − 5 − 3 = 2 cancelled. ahead 1, behind = 10 − 1 = 9,
    // p = 81 / (81 + 1) = 81/82; ahead' = 1 − (1/82)·2 + min(9 − (81/82)·2, 0) = 1 − 2/82 = 0.97560…
    q.onLevelChange(p, 10, 5);
    expect(p.queueAhead).toBeCloseTo(1 - 2 / 82, 12);
    expect(p.queueTraded).toBe(0); // reset by the depth update
    // A decrease fully explained by trades moves nothing: trade 0.5 (ahead 0.4756…), then 5 → 4.5.
    const before = p.queueAhead - 0.5;
    q.onTrade(p, 0.5);
    q.onLevelChange(p, 5, 4.5);
    expect(p.queueAhead).toBeCloseTo(before, 12);
  });

  it('takes from ahead what the behind share cannot absorb, and never goes below 0 or above the level', () => {
    const q = new ProbPowerQueue(1);
    const p = pos();
    q.onAccept(p, 8); // ahead 8
    q.onLevelChange(p, 8, 10); // behind 2
    // 10 → 1: Δ = 9, p = 2 / (2 + 8) = 0.2.
    // ahead' = 8 − 0.8·9 + min(2 − 0.2·9, 0) = 8 − 7.2 + 0 = 0.8 (≤ new 1).
    q.onLevelChange(p, 10, 1);
    expect(p.queueAhead).toBeCloseTo(0.8, 12);
    const r = pos();
    q.onAccept(r, 2);
    q.onLevelChange(r, 2, 10); // ahead 2, behind 8
    // 10 → 1: Δ = 9, p = 8/10: ahead' = 2 − 0.2·9 + min(8 − 7.2, 0) = 0.2.
    q.onLevelChange(r, 10, 1);
    expect(r.queueAhead).toBeCloseTo(0.2, 12);
    // n = 0.1 weighs both sides almost equally: ahead 1, behind 9, 10 → 1 (Δ = 9):
    // p = 9^0.1 / (9^0.1 + 1) ≈ 0.5548, ahead' = 1 − 0.4452·9 + min(9 − 4.99, 0) < 0 → 0.
    const flat = new ProbPowerQueue(0.1);
    const f = pos();
    flat.onAccept(f, 1);
    flat.onLevelChange(f, 1, 10);
    flat.onLevelChange(f, 10, 1);
    expect(f.queueAhead).toBe(0);
    // Behind empty: all of the cancellation was ahead. ahead 5 = level 5 → 3: ahead' = 5 − 2 = 3.
    const e = pos();
    q.onAccept(e, 5);
    q.onLevelChange(e, 5, 3);
    expect(e.queueAhead).toBe(3);
  });

  it('never moves the order on an increase', () => {
    for (const q of [new ProbPowerQueue(3), new ProbLogQueue()]) {
      const p = pos();
      q.onAccept(p, 4);
      q.onLevelChange(p, 4, 10);
      q.onLevelChange(p, 10, 25);
      expect(p.queueAhead).toBe(4);
    }
  });

  it('prob-log uses f(x) = ln(1 + x)', () => {
    const q = new ProbLogQueue();
    expect(q.name).toBe('prob-log');
    const p = pos();
    q.onAccept(p, 4);
    q.onLevelChange(p, 4, 10); // ahead 4, behind 6
    // 10 → 5: Δ = 5, p = ln 7 / (ln 7 + ln 5) = 1.9459 / 3.5553 = 0.54732;
    // ahead' = 4 − (1 − p)·5 + min(6 − 5p, 0) = 4 − 0.45268·5 = 1.7366.
    q.onLevelChange(p, 10, 5);
    const prob = Math.log(7) / (Math.log(7) + Math.log(5));
    expect(p.queueAhead).toBeCloseTo(4 - (1 - prob) * 5, 12);
    expect(p.queueAhead).toBeCloseTo(1.7366, 4);
    expect(q.probBehind(4, 6)).toBeCloseTo(prob, 15);
    expect(q.probBehind(0, 0)).toBe(1);
  });

  it('trades advance it as in risk-averse', () => {
    const q = new ProbPowerQueue(2);
    const p = pos();
    q.onAccept(p, 5);
    expect(q.onTrade(p, 8)).toBe(3);
    expect(p).toEqual({ queueAhead: 0, queueTraded: 8 });
  });

  it('property: always within [0, level], and never behind risk-averse on the same events', () => {
    const ev = fc.oneof(
      fc.record({ trade: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ level: fc.integer({ min: 0, max: 100 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.array(ev, { maxLength: 40 }),
        fc.constantFrom<QueueModel>(new ProbPowerQueue(0.5), new ProbPowerQueue(2), new ProbLogQueue()),
        (level0, events, model) => {
          const ra = new RiskAverseQueue();
          const a = pos();
          const b = pos();
          model.onAccept(a, level0);
          ra.onAccept(b, level0);
          let level = level0;
          for (const e of events) {
            if ('trade' in e) {
              const ra1 = model.onTrade(a, e.trade);
              const ra2 = ra.onTrade(b, e.trade);
              expect(ra1).toBeGreaterThanOrEqual(ra2);
            } else {
              model.onLevelChange(a, level, e.level);
              ra.onLevelChange(b, level, e.level);
              level = e.level;
              expect(a.queueAhead).toBeLessThanOrEqual(level);
            }
            expect(a.queueAhead).toBeGreaterThanOrEqual(0);
            expect(a.queueAhead).toBeLessThanOrEqual(b.queueAhead + 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseQueueSpec', () => {
  it('parses risk-averse, prob-power:<n> and prob-log', () => {
    expect(parseQueueSpec('risk-averse')).toBeInstanceOf(RiskAverseQueue);
    expect(parseQueueSpec(' risk-averse ').name).toBe('risk-averse');
    const p = parseQueueSpec('prob-power:3');
    expect(p).toBeInstanceOf(ProbPowerQueue);
    expect(p.name).toBe('prob-power:3');
    expect((parseQueueSpec('prob-power:0.5') as ProbPowerQueue).n).toBe(0.5);
    expect(parseQueueSpec('prob-log')).toBeInstanceOf(ProbLogQueue);
  });

  it('names the spec and the accepted forms otherwise', () => {
    // (prob-power:3 was refused before the prob models existed; it parses now.)
    expect(() => parseQueueSpec('prob-cube')).toThrow(
      'unknown queue model "prob-cube": accepted forms are risk-averse, prob-power:<n> (n > 0, e.g. prob-power:2), prob-log',
    );
    expect(() => parseQueueSpec('')).toThrow(/accepted forms are risk-averse/);
    for (const spec of ['prob-power', 'prob-power:', 'prob-power:0', 'prob-power:-1', 'prob-power:x']) {
      expect(() => parseQueueSpec(spec)).toThrow(`invalid queue model "${spec}"`);
    }
    expect(() => new ProbPowerQueue(0)).toThrow(/n must be a finite number > 0, got 0/);
  });

  it('has one help line per form, each with its formula', () => {
    const lines = QUEUE_HELP.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^risk-averse .*ahead = min\(ahead, level\)/);
    expect(lines[1]).toMatch(/^prob-power:<n> .*behindⁿ \/ \(behindⁿ \+ aheadⁿ\)/);
    expect(lines[2]).toMatch(/^prob-log .*ln\(1 \+ x\)/);
  });
});
