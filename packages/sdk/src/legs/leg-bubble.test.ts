import { describe, expect, it } from 'vitest';
import { Leg } from './leg.js';
import { BTC, fill } from './legs.test-support.js';

const mk = (direction: 'long' | 'short') =>
  new Leg({ id: 'B', symbol: 'BTCUSDT', direction, instrument: BTC });

describe('Leg bubble exit', () => {
  it('long: arms at the activation, tracks the peak, exits on the give-back, then resets when flat', () => {
    const l = mk('long');
    l.bubble = { activation: 10, giveBack: 0.25 };
    l.onFill(fill('B', 'buy', 1, 100));
    // mark → unrealized profit: 105 → 5 (below activation), 90 → −10 (a drop before arming does nothing)
    expect(l.checkBubble(105)).toBeNull();
    expect(l.checkBubble(90)).toBeNull();
    expect(l.bubbleState).toEqual({ armed: false, peak: 0, triggered: false });
    // 110 → 10 ≥ activation: armed, peak 10 (exit level 7.5)
    expect(l.checkBubble(110)).toBeNull();
    expect(l.bubbleState).toEqual({ armed: true, peak: 10, triggered: false });
    // 120 → 20: new peak, exit level 15
    expect(l.checkBubble(120)).toBeNull();
    // 115.1 → 15.1 > 15: hold
    expect(l.checkBubble(115.1)).toBeNull();
    expect(l.bubbleState.peak).toBe(20);
    // 115 → 15 ≤ 20 × (1 − 0.25): exit the whole leg
    expect(l.checkBubble(115)).toEqual([
      { symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 1, reduceOnly: true, tag: 'B' },
    ]);
    expect(l.bubbleState.triggered).toBe(true);
    // Only once until the leg is flat.
    expect(l.checkBubble(112)).toBeNull();
    l.onFill(fill('B', 'sell', 1, 114.9));
    expect(l.bubbleState).toEqual({ armed: false, peak: 0, triggered: false });
    // A new position starts disarmed.
    l.onFill(fill('B', 'buy', 1, 200));
    expect(l.checkBubble(205)).toBeNull();
    expect(l.bubbleState.armed).toBe(false);
  });

  it('profit that falls back to the peak but stays above the exit level does not trigger', () => {
    const l = mk('long');
    l.bubble = { activation: 10, giveBack: 0.5 };
    l.onFill(fill('B', 'buy', 2, 100));
    expect(l.checkBubble(110)).toBeNull(); // 20: armed, peak 20, exit ≤ 10
    expect(l.checkBubble(105.1)).toBeNull(); // 10.2
    expect(l.checkBubble(108)).toBeNull(); // 16
    expect(l.checkBubble(104)).toEqual([
      { symbol: 'BTCUSDT', side: 'sell', type: 'market', qty: 2, reduceOnly: true, tag: 'B' },
    ]); // 8 ≤ 10
  });

  it('short: profit when the price falls; exit is a reduce-only buy', () => {
    const s = mk('short');
    s.bubble = { activation: 10, giveBack: 0.25 };
    s.onFill(fill('B', 'sell', 2, 100));
    expect(s.checkBubble(95)).toBeNull(); // 10: armed
    expect(s.checkBubble(90)).toBeNull(); // 20: peak, exit ≤ 15
    expect(s.checkBubble(92.5)).toEqual([
      { symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 2, reduceOnly: true, tag: 'B' },
    ]); // 15
  });

  it('a flat leg resets the tracker on check; resetBubble re-arms after a failed exit', () => {
    const l = mk('long');
    l.bubble = { activation: 10, giveBack: 0.25 };
    l.onFill(fill('B', 'buy', 1, 100));
    l.checkBubble(120);
    expect(l.checkBubble(110)).not.toBeNull();
    l.resetBubble();
    expect(l.bubbleState).toEqual({ armed: false, peak: 0, triggered: false });
    expect(l.checkBubble(111)).toBeNull(); // re-armed at 11
    expect(l.bubbleState).toEqual({ armed: true, peak: 11, triggered: false });
  });

  it('is off without a config, and rejects a bad config', () => {
    const l = mk('long');
    l.onFill(fill('B', 'buy', 1, 100));
    expect(l.checkBubble(1000)).toBeNull();
    expect(() => {
      l.bubble = { activation: 0, giveBack: 0.3 };
    }).toThrow(/activation must be a positive quote amount/);
    expect(() => {
      l.bubble = { activation: 5, giveBack: 1.5 };
    }).toThrow(/giveBack must be a fraction in \(0, 1\]/);
    l.bubble = { activation: 5, giveBack: 0.3 };
    l.bubble = null;
    expect(l.checkBubble(1000)).toBeNull();
  });
});
