import { readFileSync } from 'node:fs';
import { type DepthUpdate, OrderBook } from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import { fixture, SHARED_FIXTURES } from '../../../../test/support/shared-fixtures.js';
import type { BinanceMessage } from './binance-message.js';
import { BinanceDepthSync } from './depth-sync.js';
import type { BinanceDepthDiff } from './messages/depth-update.js';
import { parseBinancePayload } from './parse-message.js';
import { parseDepthSnapshot } from './rest/depth-snapshot.js';

/**
 * Real Binance USD-M captures (see the fixtures' README for sources and licences):
 * ccxt/binance.json (MIT) and tardis/binance-futures.jsonl (MPL-2.0).
 */
const CCXT_FILE = fixture('ccxt/binance.json');
const TARDIS_FILE = fixture('tardis/binance-futures.jsonl');

interface CcxtBook {
  bids: [number, number][];
  asks: [number, number][];
  nonce: number;
}
interface CcxtCase {
  description: string;
  url: string;
  messages: unknown[];
  httpResponse?: unknown;
  parsedResponses?: unknown[];
  parsedResponse?: unknown;
}

function ccxtFuturesCases(): CcxtCase[] {
  const file = JSON.parse(readFileSync(CCXT_FILE, 'utf8')) as { methods: Record<string, CcxtCase[]> };
  // USD-M futures only: fstream (the /public and /market endpoints included); dstream is COIN-M.
  return Object.values(file.methods)
    .flat()
    .filter((c) => /fstream\.binance\.com|fapi\.binance\.com/.test(c.url));
}

function ccxtCase(description: string): CcxtCase {
  const c = ccxtFuturesCases().find((x) => x.description === description);
  if (!c) throw new Error(`ccxt/binance.json has no case "${description}"`);
  return c;
}

/** The captures carry no receive time: say each frame arrived 1 ms after its event time E. */
function localTsOf(frame: unknown): number {
  const data = (frame as { data?: { E?: unknown }; E?: unknown }).data ?? frame;
  const e = (data as { E?: unknown }).E;
  return typeof e === 'number' ? e * 1000 + 1000 : 0;
}

function tally(messages: BinanceMessage[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of messages) {
    const key =
      m.kind === 'market'
        ? `market:${m.event.type}`
        : m.kind === 'unknown'
          ? `unknown:${m.eventType ?? '?'}`
          : m.kind;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function diffsOf(c: CcxtCase): BinanceDepthDiff[] {
  return c.messages
    .map((m) => parseBinancePayload(m, localTsOf(m)))
    .flatMap((m) => (m.kind === 'market' && m.event.type === 'depth' ? [m.event] : []));
}

function snapshotOf(c: CcxtCase, overrideLastUpdateId?: number): DepthUpdate {
  const body = c.httpResponse as { E: number; lastUpdateId: number };
  const patched = overrideLastUpdateId === undefined ? body : { ...body, lastUpdateId: overrideLastUpdateId };
  return parseDepthSnapshot(patched, 'BTCUSDT', body.E * 1000 + 1000);
}

function topOf(book: OrderBook, n: number): { bids: [number, number][]; asks: [number, number][] } {
  return { bids: book.levels(1, n), asks: book.levels(-1, n) };
}

describe(`real captures in ${SHARED_FIXTURES}`, () => {
  it('every USD-M frame in ccxt/binance.json parses: no malformed, unknown only for kinds without a parser', () => {
    const parsed: BinanceMessage[] = [];
    let snapshots = 0;
    for (const c of ccxtFuturesCases()) {
      for (const m of c.messages) parsed.push(parseBinancePayload(m, localTsOf(m)));
      if (c.httpResponse !== undefined) {
        parseDepthSnapshot(c.httpResponse, 'BTCUSDT', 1);
        snapshots++;
      }
    }
    expect(tally(parsed)).toEqual({
      ack: 5,
      'market:depth': 13, // 11 real diffs of "depth 5" + 2 hand-made ones of "pu continuity chain"
      'market:trade': 2,
      'unknown:24hrMiniTicker': 2,
      'unknown:kline': 2,
    });
    expect(snapshots).toBe(2);
  });

  it('real futures trades: side from m, as ccxt reads them', () => {
    const c = ccxtCase('linear swap trades');
    const trades = c.messages
      .map((m) => parseBinancePayload(m, localTsOf(m)))
      .flatMap((m) => (m.kind === 'market' && m.event.type === 'trade' ? [m.event] : []));
    const expected = (
      c.parsedResponses as { id: string; side: string; price: number; amount: number; timestamp: number }[][]
    ).flat();
    expect(trades.map((t) => [String(t.tradeId), t.side, t.price, t.qty, t.exchTs / 1000])).toEqual(
      expected.map((t) => [t.id, t.side, t.price, t.amount, t.timestamp]),
    );
  });

  it('every message of tardis/binance-futures.jsonl parses as a market event', () => {
    const lines = readFileSync(TARDIS_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const parsed = lines.map((l) => parseBinancePayload(JSON.parse(l), 1));
    expect(parsed.every((m) => m.kind === 'market' && m.stream !== undefined)).toBe(true);
    expect(tally(parsed)).toEqual({
      'market:trade': 1,
      'market:markPrice': 3,
      'market:depth': 2,
      'market:bookTicker': 1,
    });
    // The 2019 aggTrade has no aggregate id `a`: its first trade id `f` names it.
    const trade = parsed.find((m) => m.kind === 'market' && m.event.type === 'trade');
    expect(trade?.kind === 'market' && trade.event).toMatchObject({ tradeId: 181349, side: 'buy' });
    // The 2019 mark price has no index price; the delivery contract has no next funding.
    const marks = parsed.flatMap((m) =>
      m.kind === 'market' && m.event.type === 'markPrice' ? [m.event] : [],
    );
    expect(marks.map((m) => Number.isNaN(m.indexPrice))).toEqual([true, false, false]);
    expect(marks[2]).toMatchObject({ symbol: 'BTCBUSD_210129', fundingRate: 0, nextFundingTs: 0 });
  });

  describe('"linear swap orderbook depth 5": REST snapshot + 11 real diffs', () => {
    const c = () => ccxtCase('linear swap orderbook depth 5');
    const expected = () => c().parsedResponses as CcxtBook[];

    it('the real diffs form one pu chain (futures ids jump; pu = previous u)', () => {
      const diffs = diffsOf(c());
      expect(diffs).toHaveLength(11);
      for (let i = 1; i < diffs.length; i++) {
        expect(diffs[i]!.prevSeq).toBe(diffs[i - 1]!.seq);
        expect(diffs[i]!.firstUpdateId).toBeGreaterThan(diffs[i - 1]!.seq + 1);
      }
    });

    it("rebuilds ccxt's books through depth-sync and the SDK OrderBook", () => {
      const sync = new BinanceDepthSync('binance-futures', 'BTCUSDT');
      for (const d of diffsOf(c())) expect(sync.onDiff(d).events).toEqual([]);
      const step = sync.onSnapshot(snapshotOf(c()));
      expect(step.gap).toBeUndefined();
      // Diffs 1–10 end before lastUpdateId and are dropped; diff 11 has U ≤ lastUpdateId ≤ u.
      expect(step.events.map((e) => [e.isSnapshot, e.seq, e.prevSeq])).toEqual([
        [true, 11270657312257, 11270657312257],
        [false, 11270657314522, 11270657312257],
      ]);

      const book = new OrderBook('BTCUSDT', 0.1);
      const [snapshot, bridge] = step.events;
      book.applyDepth(snapshot!);
      expect({ ...topOf(book, 5), nonce: book.seq }).toEqual({
        bids: expected()[0]!.bids,
        asks: expected()[0]!.asks,
        nonce: expected()[0]!.nonce,
      });
      book.applyDepth(bridge!);
      expect({ ...topOf(book, 5), nonce: book.seq }).toEqual({
        bids: expected()[1]!.bids,
        asks: expected()[1]!.asks,
        nonce: expected()[1]!.nonce,
      });
      expect(sync.state).toBe('synced');
    });

    it('one real diff dropped ⇒ gap with the update ids and local times around it', () => {
      const diffs = diffsOf(c());
      // The real snapshot's levels, re-stamped at diff 1's first update id (and received just
      // before it) so the whole real chain runs through the state machine.
      const sync = new BinanceDepthSync('binance-futures', 'BTCUSDT');
      sync.onSnapshot({ ...snapshotOf(c(), diffs[0]!.firstUpdateId), localTs: diffs[0]!.localTs - 1 });
      const steps = diffs.filter((_, i) => i !== 4).map((d) => sync.onDiff(d));
      const gaps = steps.flatMap((s) => (s.gap ? [s.gap] : []));
      expect(gaps).toEqual([
        {
          exchange: 'binance-futures',
          symbol: 'BTCUSDT',
          stream: 'depth',
          reason: 'pu-mismatch',
          fromUpdateId: diffs[3]!.seq,
          toUpdateId: diffs[4]!.seq,
          fromTs: diffs[3]!.localTs,
          toTs: diffs[5]!.localTs,
        },
      ]);
      expect(steps.filter((s) => s.requestSnapshot)).toHaveLength(1);
      expect(sync.state).toBe('gap');
      // Applied before the gap: the bridge (diff 1) and diffs 2–4; nothing after it.
      expect(steps.slice(0, 4).every((s) => s.events.length === 1)).toBe(true);
      expect(steps.slice(4).every((s) => s.events.length === 0)).toBe(true);
    });

    it('a stale snapshot ⇒ resync demanded; the real snapshot then syncs', () => {
      const diffs = diffsOf(c());
      const sync = new BinanceDepthSync('binance-futures', 'BTCUSDT');
      // Diff 1 was missed before buffering started; a snapshot from inside diff 1 cannot bridge to diff 2.
      for (const d of diffs.slice(1)) sync.onDiff(d);
      const stale = sync.onSnapshot(snapshotOf(c(), diffs[0]!.firstUpdateId));
      expect(stale.events).toEqual([]);
      expect(stale.requestSnapshot).toBe(true);
      expect(stale.gap).toMatchObject({ reason: 'stale-snapshot', toUpdateId: diffs[1]!.firstUpdateId });
      const fresh = sync.onSnapshot(snapshotOf(c()));
      expect(fresh.events.map((e) => e.seq)).toEqual([11270657312257, 11270657314522]);
      expect(sync.state).toBe('synced');
    });
  });

  it('"linear swap orderbook with pu continuity chain" (hand-made by ccxt) gives its expected book', () => {
    const c = ccxtCase('linear swap orderbook with pu continuity chain');
    const sync = new BinanceDepthSync('binance-futures', 'BTCUSDT');
    for (const d of diffsOf(c)) sync.onDiff(d);
    const step = sync.onSnapshot(snapshotOf(c));
    expect(step.gap).toBeUndefined();
    const book = new OrderBook('BTCUSDT', 0.1);
    for (const e of step.events) book.applyDepth(e);
    const want = c.parsedResponse as CcxtBook;
    expect({ ...topOf(book, 10), nonce: book.seq }).toEqual({
      bids: want.bids,
      asks: want.asks,
      nonce: want.nonce,
    });
  });
});
