import type { BookTicker, MarkPrice, Trade } from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import type { BinanceMarketEvent } from '../binance-message.js';
import type { BinanceDepthDiff } from '../messages/depth-update.js';
import { StreamHandover } from './stream-rotation.js';

const base = { exchange: 'binance-futures', exchTs: 0 } as const;

const diff = (symbol: string, U: number, u: number, pu: number, localTs = 0): BinanceDepthDiff => ({
  ...base,
  type: 'depth',
  symbol,
  localTs,
  seq: u,
  prevSeq: pu,
  firstUpdateId: U,
  isSnapshot: false,
  bids: [[100, u]],
  asks: [],
});
const trade = (symbol: string, a: number, localTs = 0): Trade => ({
  ...base,
  type: 'trade',
  symbol,
  localTs,
  tradeId: a,
  price: 100,
  qty: 1,
  side: 'buy',
});
const ticker = (symbol: string, u: number, localTs = 0): BookTicker => ({
  ...base,
  type: 'bookTicker',
  symbol,
  localTs,
  seq: u,
  bidPrice: 1,
  bidQty: 1,
  askPrice: 2,
  askQty: 1,
});
const mark = (symbol: string, E: number, localTs = 0): MarkPrice => ({
  ...base,
  type: 'markPrice',
  symbol,
  exchTs: E,
  localTs,
  markPrice: 1,
  indexPrice: 1,
  fundingRate: 0,
  nextFundingTs: 0,
});

function handover(symbols = ['BTCUSDT'], depth = true) {
  const fed: BinanceDepthDiff[] = [];
  const events: (Trade | BookTicker | MarkPrice)[] = [];
  const all: BinanceMarketEvent[] = [];
  const h = new StreamHandover(symbols, depth, {
    depth: (d) => {
      fed.push(d);
      all.push(d);
    },
    event: (e) => {
      events.push(e);
      all.push(e);
    },
  });
  return { h, fed, events, all };
}

/** `u` of a chain whose ids skip (as USD-M's do): 10, 17, 29, 36, … */
const chain = (n: number, symbol = 'BTCUSDT'): BinanceDepthDiff[] => {
  const out: BinanceDepthDiff[] = [];
  let pu = 3;
  for (let i = 0; i < n; i++) {
    const U = pu + 2 + (i % 3);
    const u = U + 3 + ((i * 5) % 7);
    out.push(diff(symbol, U, u, pu));
    pu = u;
  }
  return out;
};

describe('StreamHandover without a rotation', () => {
  it('drops nothing: a connection that never rotated passes repeated keys (two marks in one millisecond, a replayed market)', () => {
    const { h, events, fed } = handover();
    for (const e of [
      mark('BTCUSDT', 5),
      mark('BTCUSDT', 5),
      trade('BTCUSDT', 7),
      trade('BTCUSDT', 7),
      ticker('BTCUSDT', 3),
      ticker('BTCUSDT', 2),
    ])
      h.onEvent(e, false);
    h.onEvent(diff('BTCUSDT', 10, 12, 9), false);
    h.onEvent(diff('BTCUSDT', 10, 12, 9), false);
    expect(events).toHaveLength(6);
    expect(fed).toHaveLength(2); // the depth sync, not the handover, judges a diff off the chain
  });
});

describe('StreamHandover', () => {
  it('passes everything through on one connection', () => {
    const { h, fed, events } = handover();
    const d = chain(2);
    h.onEvent(d[0]!, false);
    h.onEvent(trade('BTCUSDT', 5), false);
    h.onEvent(d[1]!, false);
    expect(h.rotating).toBe(false);
    expect(fed).toEqual(d);
    expect(events.map((e) => e.type)).toEqual(['trade']);
  });

  it('new connection behind the old: a repeated diff switches, the diff with pu = last u proves it', () => {
    const { h, fed } = handover();
    const d = chain(6);
    h.onEvent(d[0]!, false);
    h.onEvent(d[1]!, false);
    h.begin();
    h.onEvent(d[2]!, false);
    // The new connection subscribed after d[0]; its d[1] is one the old one delivered.
    h.onEvent(d[1]!, true);
    expect(h.ready).toBe(false); // switched, but d[3] on the new one has not continued the chain yet
    h.onEvent(d[2]!, true); // repeat
    h.onEvent(d[3]!, false); // old: dropped now, the new connection is the source
    expect(h.ready).toBe(false);
    h.onEvent(d[3]!, true); // pu = d[2].u, the last u taken from the old connection
    expect(h.ready).toBe(true);
    h.finish(); // the new connection is now the one in use
    h.onEvent(d[4]!, false);
    h.onEvent(d[5]!, false);
    expect(fed).toEqual(d);
    for (let i = 1; i < fed.length; i++) expect(fed[i]!.prevSeq).toBe(fed[i - 1]!.seq);
  });

  it('new connection ahead of the old: its diffs wait until the old one overlaps them', () => {
    const { h, fed } = handover();
    const d = chain(6);
    h.onEvent(d[0]!, false);
    h.begin();
    // d[1] was published before the new subscription: only the old connection has it, late.
    h.onEvent(d[2]!, true);
    h.onEvent(d[3]!, true);
    expect(fed).toEqual([d[0]]);
    h.onEvent(d[1]!, false);
    expect(h.ready).toBe(false);
    h.onEvent(d[2]!, false); // the old connection reaches the new one's first diff: the overlap
    expect(h.ready).toBe(true); // d[3] (held) has pu = d[2].u
    h.finish(); // the new connection is now the one in use
    h.onEvent(d[4]!, false);
    h.onEvent(d[5]!, false);
    expect(fed).toEqual(d);
  });

  it('trades, tickers and marks cross the overlap once each, whichever connection is ahead', () => {
    const { h, events } = handover(['BTCUSDT'], false);
    h.onEvent(trade('BTCUSDT', 1), false);
    h.onEvent(mark('BTCUSDT', 1000), false);
    h.begin();
    h.onEvent(trade('BTCUSDT', 3), true); // ahead: held
    h.onEvent(ticker('BTCUSDT', 50), true);
    h.onEvent(trade('BTCUSDT', 2), false); // only on the old one
    h.onEvent(trade('BTCUSDT', 3), false); // overlap: old reaches the new one's first trade
    h.onEvent(ticker('BTCUSDT', 50), false); // dropped: the new connection is the source
    h.onEvent(mark('BTCUSDT', 2000), true);
    h.onEvent(mark('BTCUSDT', 2000), false);
    h.onEvent(trade('BTCUSDT', 4), false);
    h.onEvent(trade('BTCUSDT', 4), true);
    expect(h.ready).toBe(true);
    h.finish();
    h.onEvent(trade('BTCUSDT', 5), false);
    const key = (e: Trade | BookTicker | MarkPrice) =>
      e.type === 'trade' ? `a${e.tradeId}` : e.type === 'bookTicker' ? `u${e.seq}` : `E${e.exchTs}`;
    expect(events.map(key)).toEqual(['a1', 'E1000', 'a2', 'a3', 'u50', 'E2000', 'a4', 'a5']);
  });

  it('held frames go out no earlier than the frame that proved the overlap (local time never goes back)', () => {
    const { h, all } = handover(['BTCUSDT'], false);
    h.begin();
    h.onEvent(trade('BTCUSDT', 7, 100), true);
    h.onEvent(trade('BTCUSDT', 8, 101), true);
    h.onEvent(trade('BTCUSDT', 6, 105), false);
    h.onEvent(trade('BTCUSDT', 7, 106), false);
    expect(all.map((e) => [(e as Trade).tradeId, e.localTs])).toEqual([
      [6, 105],
      [7, 106],
      [8, 106],
    ]);
  });

  it('never proven: a new connection whose depth does not continue the chain is a failure, not a handover', () => {
    const { h, fed } = handover();
    const d = chain(5);
    h.onEvent(d[0]!, false);
    h.onEvent(d[1]!, false);
    h.begin();
    h.onEvent(d[1]!, true); // repeat: switch
    // The new connection skips d[2]: its next diff's pu is not the last u taken.
    h.onEvent(d[3]!, true);
    expect(h.ready).toBe(false);
    expect(h.failure).toContain('does not continue');
    expect(fed).toEqual([d[0], d[1]]);
    h.onEvent(d[4]!, true);
    expect(fed).toEqual([d[0], d[1]]);
  });

  it('never proven: a new connection that delivers nothing never becomes ready', () => {
    const { h, fed } = handover();
    const d = chain(4);
    h.begin();
    for (const x of d) h.onEvent(x, false);
    expect(h.ready).toBe(false);
    expect(h.failure).toBeUndefined();
    expect(fed).toEqual(d);
  });

  it('a symbol whose depth did not move during the rotation does not hold it up', () => {
    const { h } = handover(['BTCUSDT', 'ETHUSDT']);
    const btc = chain(4);
    h.onEvent(btc[0]!, false);
    h.begin();
    h.onEvent(btc[1]!, false);
    h.onEvent(btc[1]!, true);
    h.onEvent(btc[2]!, true);
    expect(h.ready).toBe(true);
  });

  it('after a reconnect (reset) keys may start over', () => {
    const { h, events } = handover(['BTCUSDT'], false);
    h.onEvent(trade('BTCUSDT', 900), false);
    h.reset();
    h.begin();
    h.onEvent(trade('BTCUSDT', 1), false);
    expect(events.map((e) => (e as Trade).tradeId)).toEqual([900, 1]);
  });

  // Random interleavings of what two connections receive: the old one has every message, the
  // new one those published from its subscription on, each in the server's order. Whatever
  // the interleaving, the output is the server's stream: every message once, in its order.
  it('any interleaving of the overlap yields every message exactly once', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = lcg(seed);
      const symbols = ['BTCUSDT', 'ETHUSDT'];
      const published: BinanceMarketEvent[] = [];
      const state = new Map(symbols.map((s) => [s, { pu: 1000, u: 1000, a: 0, tu: 0, E: 0 }]));
      for (let i = 0; i < 120; i++) {
        const s = symbols[Math.floor(rnd() * 2)]!;
        const st = state.get(s)!;
        const r = rnd();
        if (r < 0.4) {
          const U = st.u + 1 + Math.floor(rnd() * 5);
          const u = U + Math.floor(rnd() * 4);
          published.push(diff(s, U, u, st.u, i));
          st.u = u;
        } else if (r < 0.7) {
          st.a += 1;
          published.push(trade(s, st.a, i));
        } else if (r < 0.9) {
          st.tu += 1 + Math.floor(rnd() * 3);
          published.push(ticker(s, st.tu, i));
        } else {
          st.E += 1000;
          published.push(mark(s, st.E, i));
        }
      }
      const rotateAt = 20 + Math.floor(rnd() * 20); // old messages before the rotation starts
      const subscribedAt = rotateAt + Math.floor(rnd() * 10); // first message the new one gets
      const { h, all } = handover(symbols, true);
      for (let i = 0; i < rotateAt; i++) h.onEvent(published[i]!, false);
      h.begin();
      let o = rotateAt;
      let n = subscribedAt;
      let handedOver = false;
      while (n < published.length) {
        const takeOld = !handedOver && o < published.length && rnd() < 0.5;
        if (takeOld) h.onEvent(published[o++]!, false);
        // Once handed over, the new connection is the one in use.
        else h.onEvent(published[n++]!, !handedOver);
        expect(h.failure).toBeUndefined();
        if (!handedOver && h.ready) {
          handedOver = true;
          h.finish();
        }
      }
      expect(handedOver, `seed ${seed}`).toBe(true);
      const ident = (e: BinanceMarketEvent) =>
        `${e.symbol}:${e.type}:${e.type === 'trade' ? e.tradeId : e.type === 'markPrice' ? e.exchTs : e.seq}`;
      expect(all.map(ident), `seed ${seed}`).toEqual(published.map(ident));
    }
  });
});

/** A small seeded generator (the test must be reproducible). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}
