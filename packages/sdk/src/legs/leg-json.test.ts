import { describe, expect, it } from 'vitest';
import { Leg } from './leg.js';
import { BTC, fill } from './legs.test-support.js';

const through = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function busyLeg(): Leg {
  const l = new Leg({
    id: 'hedge-long',
    symbol: 'BTCUSDT',
    direction: 'long',
    instrument: { ...BTC, contractSize: 0.1 },
  });
  l.bubble = { activation: 1, giveBack: 0.3 };
  l.onFill(fill('hedge-long', 'buy', 0.3, 50000.1, 0.1 + 0.2));
  l.onFill(fill('hedge-long', 'buy', 0.7, 50123.7, 0.017));
  l.onFill(fill('hedge-long', 'sell', 0.1, 50200.3, 0.0033));
  l.addFunding(0.123456789);
  l.checkBubble(50300); // armed
  return l;
}

describe('Leg JSON state', () => {
  it('round-trips exactly through JSON text', () => {
    const l = busyLeg();
    const json = l.toJSON();
    expect(json.version).toBe(1);
    expect(json.bubbleState.armed).toBe(true);
    const back = Leg.fromJSON(through(json));
    expect(back.toJSON()).toEqual(json);
    expect(back.avgEntryPrice).toBe(l.avgEntryPrice);
    expect(back.realizedPnl).toBe(l.realizedPnl);
    expect(back.fees).toBe(l.fees);
    // Identical behaviour afterwards.
    for (const mark of [50350, 50250, 50100]) expect(back.checkBubble(mark)).toEqual(l.checkBubble(mark));
    const f = fill('hedge-long', 'sell', 1.2, 50001.3, 0.02);
    back.onFill(f);
    l.onFill(f);
    expect(back.toJSON()).toEqual(l.toJSON());
    expect(back.totalPnl(49000)).toBe(l.totalPnl(49000));
  });

  it('round-trips a flat leg (avgEntryPrice null) and an Infinity maxQty', () => {
    const l = new Leg({
      id: 'x',
      symbol: 'BTCUSDT',
      direction: 'short',
      instrument: { ...BTC, maxQty: Infinity },
    });
    const json = through(l.toJSON()) as Record<string, unknown>;
    expect(json.avgEntryPrice).toBeNull();
    const back = Leg.fromJSON(json);
    expect(back.avgEntryPrice).toBeNaN();
    expect(back.instrument.maxQty).toBe(Infinity);
    expect(back.toJSON()).toEqual(l.toJSON());
    const m = new Leg({ id: 'y', symbol: 'BTCUSDT', direction: 'long', instrument: { ...BTC, maxQty: 120 } });
    expect(Leg.fromJSON(through(m.toJSON())).instrument.maxQty).toBe(120);
    expect('maxQty' in Leg.fromJSON(through(busyLeg().toJSON())).instrument).toBe(false);
  });

  const good = () => through(busyLeg().toJSON()) as Record<string, unknown>;

  it('rejects an older or unknown version', () => {
    expect(() => Leg.fromJSON({ ...good(), version: 0 })).toThrow(
      'leg state of leg "hedge-long": version 0 is not supported (expected 1); discard',
    );
    const { version: _v, ...noVersion } = good();
    expect(() => Leg.fromJSON(noVersion)).toThrow(/version missing is not supported \(expected 1\)/);
    expect(() => Leg.fromJSON({ ...good(), version: '1' })).toThrow(/version "1" is not supported/);
  });

  it('rejects corrupt states, naming the field', () => {
    const { qty: _q, ...noQty } = good();
    expect(() => Leg.fromJSON(noQty)).toThrow('invalid leg state of leg "hedge-long": missing field qty');
    expect(() => Leg.fromJSON({ ...good(), qty: '1' })).toThrow(/invalid leg state .*: qty: /);
    expect(() => Leg.fromJSON({ ...good(), qty: -1 })).toThrow(/qty: /);
    expect(() => Leg.fromJSON({ ...good(), direction: 'up' })).toThrow(/direction: /);
    expect(() => Leg.fromJSON({ ...good(), extra: 1 })).toThrow(/unknown field\(s\) extra/);
    const g = good();
    expect(() => Leg.fromJSON({ ...g, instrument: { ...(g.instrument as object), tickSize: 0 } })).toThrow(
      /instrument\.tickSize: /,
    );
    expect(() => Leg.fromJSON({ ...g, bubbleState: { armed: 'yes', peak: 1, triggered: false } })).toThrow(
      /bubbleState\.armed: /,
    );
    expect(() => Leg.fromJSON({ ...good(), avgEntryPrice: null })).toThrow(
      /is open but avgEntryPrice is null/,
    );
    expect(() => Leg.fromJSON({ ...good(), qty: 0 })).toThrow(/flat but avgEntryPrice/);
    expect(() => Leg.fromJSON({ ...good(), symbol: 'ETHUSDT' })).toThrow(/does not match instrument/);
    expect(() => Leg.fromJSON(null)).toThrow(/leg state must be a JSON object/);
    expect(() => Leg.fromJSON([1])).toThrow(/leg state must be a JSON object/);
  });
});
