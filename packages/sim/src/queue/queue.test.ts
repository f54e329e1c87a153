import { describe, expect, it } from 'vitest';
import { parseQueueSpec } from './parse-queue.js';
import type { QueuePosition } from './queue-model.js';
import { RiskAverseQueue } from './risk-averse-queue.js';

describe('RiskAverseQueue', () => {
  const q = new RiskAverseQueue();
  const pos = (): QueuePosition => ({ queueAhead: Number.NaN, queueTraded: Number.NaN });

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

describe('parseQueueSpec', () => {
  it('parses risk-averse', () => {
    expect(parseQueueSpec('risk-averse')).toBeInstanceOf(RiskAverseQueue);
    expect(parseQueueSpec(' risk-averse ').name).toBe('risk-averse');
  });

  it('names the spec and the accepted forms otherwise', () => {
    expect(() => parseQueueSpec('prob-power:3')).toThrow(
      'unknown queue model "prob-power:3": accepted forms are risk-averse',
    );
    expect(() => parseQueueSpec('')).toThrow(/accepted forms are risk-averse/);
  });
});
