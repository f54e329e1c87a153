import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinanceDepthSync } from '../../../binance/depth-sync.js';
import type { BinanceDepthDiff } from '../../../binance/messages/depth-update.js';
import { parseBinanceMessage } from '../../../binance/parse-message.js';
import { parseDepthSnapshot } from '../../../binance/rest/depth-snapshot.js';
import { call, openSocket, type RawSocket, sleepMs } from '../loopback.test-support.js';
import { type BinanceLoopback, startBinanceLoopback } from '../start-binance-loopback.js';

// A generated BTCUSDT market at 4× real time: a depth change every 25 ms of wall time.
let lb: BinanceLoopback;
const sockets: RawSocket[] = [];
const open = async (path: string): Promise<RawSocket> => {
  const s = await openSocket(`${lb.wsUrl}${path}`);
  sockets.push(s);
  return s;
};

beforeAll(async () => {
  lb = await startBinanceLoopback({ speed: 4, pingIntervalMs: 200 });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await lb.close();
});

/** Every frame must parse with the wire layer's parser; returns the market ones. */
function parsedDiffs(frames: readonly string[]): BinanceDepthDiff[] {
  const out: BinanceDepthDiff[] = [];
  for (const f of frames) {
    const m = parseBinanceMessage(f, Date.now() * 1000);
    if (m.kind === 'market' && m.event.type === 'depth') out.push(m.event as BinanceDepthDiff);
  }
  return out;
}

async function snapshot(symbol = 'BTCUSDT') {
  const r = await call(lb, 'GET', '/fapi/v1/depth', { symbol, limit: 1000 });
  expect(r.status).toBe(200);
  return parseDepthSnapshot(r.body, symbol, Date.now() * 1000);
}

describe('market streams', () => {
  it('combined streams wrap every payload as {stream, data}, and every frame parses with parse-message', async () => {
    const pub = await open('/public/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/btcusdt@trade');
    const mkt = await open('/market/stream?streams=btcusdt@aggTrade/btcusdt@markPrice@1s');
    await mkt.next((j) => j.stream === 'btcusdt@markPrice@1s', 3000);
    await mkt.next((j) => j.stream === 'btcusdt@aggTrade', 3000);
    await pub.next((j) => j.stream === 'btcusdt@trade', 3000);
    const seen = new Set<string>();
    for (const f of [...pub.frames, ...mkt.frames]) {
      const raw = JSON.parse(f) as { stream: string; data: { e: string } };
      expect(Object.keys(raw).sort()).toEqual(['data', 'stream']);
      const m = parseBinanceMessage(f, Date.now() * 1000);
      expect(m.kind).toBe('market');
      if (m.kind === 'market') expect(m.stream).toBe(raw.stream);
      seen.add(raw.data.e);
    }
    expect([...seen].sort()).toEqual(['aggTrade', 'bookTicker', 'depthUpdate', 'markPriceUpdate', 'trade']);
  });

  it('raw /ws streams send bare payloads', async () => {
    const s = await open('/public/ws/btcusdt@bookTicker');
    const j = await s.next(() => true);
    expect(j.e).toBe('bookTicker');
    expect(typeof j.u).toBe('number');
    expect(parseBinanceMessage(s.frames[0]!, 0).kind).toBe('market');
  });

  it('SUBSCRIBE / LIST_SUBSCRIPTIONS / UNSUBSCRIBE are answered {"result", "id"}; bad requests get {"code", "msg"}', async () => {
    const s = await open('/market/ws');
    s.send({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade', 'btcusdt@markPrice@1s'], id: 1 });
    expect(await s.next((j) => j.id === 1)).toEqual({ result: null, id: 1 });
    s.send({ method: 'LIST_SUBSCRIPTIONS', id: 2 });
    expect(await s.next((j) => j.id === 2)).toEqual({
      result: ['btcusdt@aggTrade', 'btcusdt@markPrice@1s'],
      id: 2,
    });
    await s.next((j) => j.e === 'aggTrade', 3000);
    s.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade', 'btcusdt@markPrice@1s'], id: 3 });
    expect(await s.next((j) => j.id === 3)).toEqual({ result: null, id: 3 });
    s.send({ method: 'NOPE', id: 4 });
    const err = await s.next((j) => j.id === 4);
    expect(err.code).toBe(2);
    const parsed = parseBinanceMessage(JSON.stringify(err), 0);
    expect(parsed.kind).toBe('error');
    for (const f of s.frames) expect(parseBinanceMessage(f, 0).kind).not.toBe('unknown');
  });

  it('a stream of the other endpoint is acknowledged and never delivers; legacy /ws carries /public data only', async () => {
    const wrong = await open('/public/ws');
    wrong.send({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 7 });
    expect(await wrong.next((j) => j.id === 7)).toEqual({ result: null, id: 7 });
    const legacyAgg = await open('/ws/btcusdt@aggTrade');
    const legacyBook = await open('/ws/btcusdt@bookTicker');
    await legacyBook.next((j) => j.e === 'bookTicker', 3000);
    await sleepMs(600);
    expect(wrong.frames).toHaveLength(1);
    expect(legacyAgg.frames).toHaveLength(0);
  });

  it('depth: a REST snapshot bridges the @100ms diffs and every pu is the previous u; ids are not consecutive', async () => {
    const s = await open('/public/ws/btcusdt@depth@100ms');
    await s.next((j) => j.e === 'depthUpdate', 3000);
    const snap = await snapshot();
    await sleepMs(800);
    const diffs = parsedDiffs(s.frames);
    const sync = new BinanceDepthSync('binance-futures', 'BTCUSDT');
    for (const d of diffs.slice(0, 1)) sync.onDiff(d);
    const step = sync.onSnapshot(snap);
    expect(step.gap).toBeUndefined();
    for (const d of diffs.slice(1)) expect(sync.onDiff(d).gap).toBeUndefined();
    expect(sync.state).toBe('synced');
    // The bridge: the first diff kept has U ≤ lastUpdateId ≤ u.
    const kept = diffs.filter((d) => d.seq >= snap.seq);
    expect(kept[0]!.firstUpdateId).toBeLessThanOrEqual(snap.seq);
    for (let i = 1; i < diffs.length; i++) expect(diffs[i]!.prevSeq).toBe(diffs[i - 1]!.seq);
    expect(diffs.some((d, i) => i > 0 && d.firstUpdateId !== diffs[i - 1]!.seq + 1)).toBe(true);
  });

  it('faults.depthGap drops one diff: the pu chain breaks exactly once, then continues', async () => {
    const s = await open('/public/stream?streams=btcusdt@depth@100ms');
    await s.next((j) => (j.data as { e?: string } | undefined)?.e === 'depthUpdate', 3000);
    await sleepMs(300);
    lb.faults.depthGap('BTCUSDT');
    await sleepMs(900);
    const diffs = parsedDiffs(s.frames);
    let breaks = 0;
    for (let i = 1; i < diffs.length; i++) if (diffs[i]!.prevSeq !== diffs[i - 1]!.seq) breaks++;
    expect(diffs.length).toBeGreaterThan(15);
    expect(breaks).toBe(1);
  });

  it('faults.staleSnapshot: the next snapshot is older than the buffered diffs (then the snapshots are current again)', async () => {
    const s = await open('/public/ws/btcusdt@depth@100ms');
    await s.next((j) => j.e === 'depthUpdate', 3000);
    lb.faults.staleSnapshot();
    const stale = await snapshot();
    const first = parsedDiffs(s.frames)[0]!;
    expect(stale.seq).toBeLessThan(first.firstUpdateId);
    const sync = new BinanceDepthSync('binance-futures', 'BTCUSDT');
    for (const d of parsedDiffs(s.frames)) sync.onDiff(d);
    expect(sync.onSnapshot(stale).gap?.reason).toBe('stale-snapshot');
    const fresh = await snapshot();
    expect(fresh.seq).toBeGreaterThanOrEqual(first.firstUpdateId);
  });

  it('a socket sending more than 10 messages a second is disconnected', async () => {
    const s = await open('/public/ws');
    const closed = new Promise<number>((r) => s.ws.once('close', (code) => r(code)));
    for (let i = 0; i < 11; i++) s.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    expect(await closed).toBe(1008);
  });

  it('the server pings every connection', async () => {
    const s = await open('/public/ws/btcusdt@bookTicker');
    await sleepMs(700);
    expect(s.pings.length).toBeGreaterThanOrEqual(2);
  });
});
