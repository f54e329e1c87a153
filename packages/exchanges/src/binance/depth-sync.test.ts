import type { DepthUpdate } from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import { BinanceDepthSync } from './depth-sync.js';
import type { BinanceDepthDiff } from './messages/depth-update.js';

const SYM = 'BTCUSDT';
const EX = 'binance-futures';

/** A diff covering update ids U..u after pu, received at local time `t`. Ids jump, as on futures. */
const diff = (U: number, u: number, pu: number, t: number, bid = 100): BinanceDepthDiff => ({
  type: 'depth',
  exchange: EX,
  symbol: SYM,
  exchTs: t - 5,
  localTs: t,
  seq: u,
  prevSeq: pu,
  firstUpdateId: U,
  isSnapshot: false,
  bids: [[bid, 1]],
  asks: [],
});

const snapshot = (lastUpdateId: number, t: number): DepthUpdate => ({
  type: 'depth',
  exchange: EX,
  symbol: SYM,
  exchTs: t - 5,
  localTs: t,
  seq: lastUpdateId,
  prevSeq: lastUpdateId,
  isSnapshot: true,
  bids: [[99, 2]],
  asks: [[101, 2]],
});

/** The emitted stream is one chain in SDK terms: each diff's prevSeq is the seq before it, localTs never goes back. */
function expectChain(events: readonly DepthUpdate[]): void {
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.isSnapshot).toBe(false);
    expect(events[i]!.prevSeq).toBe(events[i - 1]!.seq);
    expect(events[i]!.localTs).toBeGreaterThanOrEqual(events[i - 1]!.localTs);
  }
}

describe('BinanceDepthSync', () => {
  it('buffers until the snapshot, drops u < lastUpdateId, bridges U ≤ lastUpdateId ≤ u, then chains on pu', () => {
    const s = new BinanceDepthSync(EX, SYM);
    expect(s.state).toBe('awaiting-snapshot');
    expect(s.onDiff(diff(10, 17, 3, 1000)).events).toEqual([]);
    expect(s.onDiff(diff(18, 29, 17, 1100)).events).toEqual([]);
    expect(s.onDiff(diff(31, 40, 29, 1200)).events).toEqual([]);
    expect(s.buffered).toBe(3);

    // Snapshot at 33 (inside 31..40), arrived at 1250: 10..17 and 18..29 are in it already.
    const step = s.onSnapshot(snapshot(33, 1250));
    expect(step.gap).toBeUndefined();
    expect(step.requestSnapshot).toBe(false);
    expect(step.events.map((e) => [e.isSnapshot, e.seq, e.prevSeq, e.localTs])).toEqual([
      [true, 33, 33, 1250],
      // Binance's pu 29 names a diff inside the snapshot: the bridge follows the snapshot (33),
      // released at the snapshot's arrival time.
      [false, 40, 33, 1250],
    ]);
    expect(s.state).toBe('synced');

    // Non-consecutive ids are fine as long as pu = previous u.
    const next = s.onDiff(diff(57, 64, 40, 1300));
    expect(next.events).toHaveLength(1);
    expect(next.events[0]).toMatchObject({ seq: 64, prevSeq: 40, localTs: 1300 });
    expectChain([...step.events, ...next.events]);
  });

  it('after an empty buffer, waits for the bridging diff and ignores diffs inside the snapshot', () => {
    const s = new BinanceDepthSync(EX, SYM);
    const snap = s.onSnapshot(snapshot(50, 1000));
    expect(snap.events.map((e) => e.seq)).toEqual([50]);
    expect(s.state).toBe('bridging');
    expect(s.onDiff(diff(40, 45, 30, 1010)).events).toEqual([]);
    const bridge = s.onDiff(diff(46, 55, 45, 1020));
    expect(bridge.events[0]).toMatchObject({ seq: 55, prevSeq: 50, localTs: 1020 });
    expect(s.state).toBe('synced');
  });

  it('a dropped diff breaks the pu chain: gap with update ids and local times, snapshot requested, diffs buffered', () => {
    const s = new BinanceDepthSync(EX, SYM);
    s.onSnapshot(snapshot(100, 1000));
    s.onDiff(diff(95, 110, 90, 1100));
    s.onDiff(diff(111, 120, 110, 1200));
    // 121..130 is lost.
    const step = s.onDiff(diff(131, 140, 130, 1400));
    expect(step.events).toEqual([]);
    expect(step.requestSnapshot).toBe(true);
    expect(step.gap).toEqual({
      exchange: EX,
      symbol: SYM,
      stream: 'depth',
      reason: 'pu-mismatch',
      fromUpdateId: 120,
      toUpdateId: 130,
      fromTs: 1200,
      toTs: 1400,
    });
    expect(s.state).toBe('gap');
    expect(s.needsSnapshot).toBe(true);
    // Later diffs wait for the new snapshot and no second gap is reported meanwhile.
    expect(s.onDiff(diff(141, 150, 140, 1500))).toMatchObject({
      events: [],
      gap: undefined,
      requestSnapshot: false,
    });
    expect(s.buffered).toBe(2);

    const resync = s.onSnapshot(snapshot(145, 1600));
    expect(resync.events.map((e) => [e.seq, e.prevSeq])).toEqual([
      [145, 145],
      [150, 145],
    ]);
    expect(s.state).toBe('synced');
  });

  it('a stale snapshot (older than the buffered diffs) is refused and a newer one requested', () => {
    const s = new BinanceDepthSync(EX, SYM);
    s.onDiff(diff(200, 210, 190, 2000));
    s.onDiff(diff(211, 220, 210, 2100));
    const stale = s.onSnapshot(snapshot(150, 2200));
    expect(stale.events).toEqual([]);
    expect(stale.requestSnapshot).toBe(true);
    expect(stale.gap).toMatchObject({ reason: 'stale-snapshot', fromUpdateId: 150, toUpdateId: 200 });
    expect(s.state).toBe('awaiting-snapshot');
    expect(s.buffered).toBe(2);

    const good = s.onSnapshot(snapshot(205, 2300));
    expect(good.events.map((e) => [e.seq, e.prevSeq, e.localTs])).toEqual([
      [205, 205, 2300],
      [210, 205, 2300],
      [220, 210, 2300],
    ]);
  });

  it('a bridging diff that starts past the snapshot is a gap (missed bridge)', () => {
    const s = new BinanceDepthSync(EX, SYM);
    s.onSnapshot(snapshot(300, 3000));
    const step = s.onDiff(diff(305, 320, 301, 3100));
    expect(step.gap).toMatchObject({ reason: 'missed-bridge', fromUpdateId: 300, toUpdateId: 305 });
    expect(step.requestSnapshot).toBe(true);
  });

  it('a break inside the buffer still emits the snapshot and the good prefix', () => {
    const s = new BinanceDepthSync(EX, SYM);
    s.onDiff(diff(10, 20, 5, 100));
    s.onDiff(diff(21, 30, 20, 110));
    s.onDiff(diff(41, 50, 40, 120)); // 31..40 lost
    const step = s.onSnapshot(snapshot(15, 130));
    expect(step.events.map((e) => e.seq)).toEqual([15, 20, 30]);
    expect(step.gap).toMatchObject({ reason: 'pu-mismatch', fromUpdateId: 30, toUpdateId: 40 });
    expect(step.requestSnapshot).toBe(true);
    expect(s.state).toBe('gap');
    expect(s.buffered).toBe(1);
  });

  it('keeps at most maxBuffer diffs (oldest dropped), refuses other symbols and non-snapshots', () => {
    const s = new BinanceDepthSync(EX, SYM, 2);
    s.onDiff(diff(1, 2, 0, 1));
    s.onDiff(diff(3, 4, 2, 2));
    s.onDiff(diff(5, 6, 4, 3));
    expect(s.buffered).toBe(2);
    // The snapshot at 2 needed the dropped diff: stale.
    expect(s.onSnapshot(snapshot(2, 4)).gap?.reason).toBe('stale-snapshot');
    expect(() => s.onDiff({ ...diff(7, 8, 6, 5), symbol: 'ETHUSDT' })).toThrow(/ETHUSDT/);
    expect(() => s.onSnapshot({ ...snapshot(9, 6), isSnapshot: false })).toThrow(/isSnapshot/);
  });

  it('resume continues a chain applied elsewhere: the next diff must follow its last u', () => {
    const s = new BinanceDepthSync(EX, SYM);
    s.resume(500, 1000);
    expect(s.state).toBe('synced');
    expect(s.onDiff(diff(503, 510, 500, 1100)).events.map((e) => e.prevSeq)).toEqual([500]);
    const other = new BinanceDepthSync(EX, SYM);
    other.resume(500, 1000);
    expect(other.onDiff(diff(520, 530, 515, 1100)).gap).toMatchObject({
      reason: 'pu-mismatch',
      fromUpdateId: 500,
    });
    expect(() => s.resume(1, 1)).toThrow(/before any/);
  });

  it('reset forgets the book (a reconnect)', () => {
    const s = new BinanceDepthSync(EX, SYM);
    s.onSnapshot(snapshot(10, 1));
    s.onDiff(diff(5, 12, 4, 2));
    s.reset();
    expect(s.state).toBe('awaiting-snapshot');
    expect(s.buffered).toBe(0);
  });
});
