import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DepthUpdate } from '@botplatform/sdk';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../cli/user-error.js';
import { META_UNSORTED } from '../data/schema.js';
import { TickStoreWriter } from '../data/tick-store-writer.js';
import {
  bookTicker,
  diff,
  EXCHANGE,
  FakeClock,
  FakeSource,
  markPrice,
  snapshot,
  T0,
  trade,
} from './fake-source.test-support.js';
import { Recorder, type RecorderOptions } from './recorder.js';
import { stopOnSignals } from './stop-on-signals.js';

const dir = mkdtempSync(join(tmpdir(), 'botp-recorder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `rec-${n++}.duckdb`);

const MS = 1_000;
const S = 1_000_000;

async function recorder(
  path: string,
  opts: Partial<RecorderOptions> = {},
): Promise<{ rec: Recorder; source: FakeSource; clock: FakeClock; writer: TickStoreWriter }> {
  const source = (opts.source as FakeSource | undefined) ?? new FakeSource();
  const clock = (opts.clock as FakeClock | undefined) ?? new FakeClock();
  const writer = await TickStoreWriter.open(path);
  const rec = new Recorder({ source, writer, clock, symbols: ['BTCUSDT', 'ETHUSDT'], ...opts });
  return { rec, source, clock, writer };
}

/** Reads a closed store back (a fresh open, as a later process would). */
async function read(path: string, sql: string): Promise<unknown[][]> {
  const w = await TickStoreWriter.open(path);
  try {
    return await w.query(sql);
  } finally {
    await w.close();
  }
}

describe('Recorder', () => {
  it('writes instruments and every stream with both timestamps, and re-opens with the rows', async () => {
    const path = freshPath();
    const { rec, source } = await recorder(path);
    await rec.start();
    expect(source.connectedSymbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    source.emit(
      snapshot('BTCUSDT', T0 + 1 * MS, 100),
      trade('BTCUSDT', T0 + 2 * MS, 7),
      diff('BTCUSDT', T0 + 3 * MS, 105, 100),
      bookTicker('ETHUSDT', T0 + 4 * MS, 9),
      markPrice('ETHUSDT', T0 + 5 * MS),
    );
    const summary = await rec.stop();
    expect(summary.reason).toBe('requested');
    expect(summary.messages).toEqual({ depth: 2, trade: 1, bookTicker: 1, markPrice: 1 });
    expect(summary.totalMessages).toBe(5);
    expect(summary.rows).toBe(3 + 1 + 1 + 1 + 1);
    expect(summary.snapshots).toBe(1);
    expect(source.closed).toBe(1);

    expect(await read(path, 'SELECT symbol, tick_size FROM instruments ORDER BY symbol')).toEqual([
      ['BTCUSDT', 0.1],
      ['ETHUSDT', 0.1],
    ]);
    expect(
      await read(
        path,
        'SELECT symbol, CAST(exch_ts AS DOUBLE), CAST(local_ts AS DOUBLE), trade_id::INT FROM trades',
      ),
    ).toEqual([['BTCUSDT', T0, T0 + 2 * MS, 7]]);
    expect(
      await read(
        path,
        'SELECT CAST(exch_ts AS DOUBLE), CAST(local_ts AS DOUBLE), CAST(seq AS DOUBLE), CAST(prev_seq AS DOUBLE), is_snapshot, side, price, qty FROM depth',
      ),
    ).toEqual([
      [T0 - MS, T0 + MS, 100, 0, true, 1, 50_000, 1],
      [T0 - MS, T0 + MS, 100, 0, true, 1, 49_999.9, 2],
      [T0 - MS, T0 + MS, 100, 0, true, -1, 50_000.1, 1.5],
      [T0 + MS, T0 + 3 * MS, 105, 100, false, 1, 50_000, 0.5],
    ]);
    expect(
      await read(path, 'SELECT symbol, CAST(local_ts AS DOUBLE), bid_price, ask_qty FROM book_ticker'),
    ).toEqual([['ETHUSDT', T0 + 4 * MS, 50_000, 1.5]]);
    expect(
      await read(path, 'SELECT symbol, CAST(local_ts AS DOUBLE), mark_price, funding_rate FROM mark_price'),
    ).toEqual([['ETHUSDT', T0 + 5 * MS, 50_000.05, 0.0001]]);
  });

  it("writes the source's gaps, counts the resync snapshot, and adds a gap for an unreported depth break", async () => {
    const path = freshPath();
    const { rec, source } = await recorder(path);
    await rec.start();
    source.emit(snapshot('BTCUSDT', T0 + 1 * MS, 100), diff('BTCUSDT', T0 + 2 * MS, 110, 100));
    source.gap({
      exchange: EXCHANGE,
      symbol: 'BTCUSDT',
      stream: 'depth',
      fromTs: T0 + 2 * MS,
      toTs: T0 + 5 * MS,
      reason: 'pu-mismatch',
    });
    expect(rec.stats().resyncing).toEqual(['BTCUSDT']);
    // The resync: a new snapshot re-anchors the chain, diffs continue from it.
    source.emit(snapshot('BTCUSDT', T0 + 8 * MS, 200), diff('BTCUSDT', T0 + 9 * MS, 210, 200));
    expect(rec.stats().resyncing).toEqual([]);
    // A break nobody reported: the recorder records it itself, once.
    source.emit(diff('BTCUSDT', T0 + 10 * MS, 230, 220), diff('BTCUSDT', T0 + 11 * MS, 240, 230));
    // A disconnect gap of another stream.
    source.gap({
      exchange: EXCHANGE,
      symbol: 'ETHUSDT',
      stream: 'trade',
      fromTs: T0 + 3 * MS,
      toTs: T0 + 12 * MS,
      reason: 'disconnect',
    });
    const summary = await rec.stop();
    expect(summary.gaps).toBe(3);
    expect(summary.snapshots).toBe(2);
    expect(
      await read(
        path,
        'SELECT symbol, stream, CAST(from_ts AS DOUBLE), CAST(to_ts AS DOUBLE), reason FROM gaps ORDER BY from_ts',
      ),
    ).toEqual([
      ['BTCUSDT', 'depth', T0 + 2 * MS, T0 + 5 * MS, 'pu-mismatch'],
      ['ETHUSDT', 'trade', T0 + 3 * MS, T0 + 12 * MS, 'disconnect'],
      ['BTCUSDT', 'depth', T0 + 9 * MS, T0 + 10 * MS, 'seq-break'],
    ]);
  });

  it('stores a diff that follows diffs without levels (which write no rows) chained past them', async () => {
    const path = freshPath();
    const { rec, source } = await recorder(path);
    await rec.start();
    const empty = (localTs: number, seq: number, prevSeq: number) => ({
      ...(diff('BTCUSDT', localTs, seq, prevSeq) as DepthUpdate),
      bids: [],
      asks: [],
    });
    source.emit(
      snapshot('BTCUSDT', T0 + 1 * MS, 100),
      diff('BTCUSDT', T0 + 2 * MS, 105, 100),
      empty(T0 + 3 * MS, 106, 105),
      empty(T0 + 4 * MS, 107, 106),
      diff('BTCUSDT', T0 + 5 * MS, 110, 107),
      diff('BTCUSDT', T0 + 6 * MS, 111, 110),
      // An empty diff that breaks the chain: the gap is recorded and the break stays visible.
      empty(T0 + 7 * MS, 120, 115),
      diff('BTCUSDT', T0 + 8 * MS, 125, 120),
    );
    const summary = await rec.stop();
    expect(summary.messages.depth).toBe(8);
    expect(
      await read(
        path,
        'SELECT DISTINCT CAST(seq AS DOUBLE), CAST(prev_seq AS DOUBLE) FROM depth WHERE NOT is_snapshot ORDER BY 1',
      ),
    ).toEqual([
      [105, 100],
      [110, 105],
      [111, 110],
      [125, 120],
    ]);
    expect(
      await read(path, 'SELECT reason, CAST(from_ts AS DOUBLE), CAST(to_ts AS DOUBLE) FROM gaps'),
    ).toEqual([['seq-break', T0 + 6 * MS, T0 + 7 * MS]]);
  });

  it('flushes at least every flushEveryUs, on its own timer', async () => {
    const path = freshPath();
    const { rec, source, clock, writer } = await recorder(path, { flushEveryUs: S });
    await rec.start();
    source.emit(trade('BTCUSDT', T0 + 1, 1), trade('BTCUSDT', T0 + 2, 2));
    source.gap({
      exchange: EXCHANGE,
      symbol: 'BTCUSDT',
      stream: 'trade',
      fromTs: T0,
      toTs: T0 + 1,
      reason: 'x',
    });
    expect(writer.bufferedRows).toBe(2);
    clock.advance(S - 1);
    expect(writer.bufferedRows).toBe(2);
    clock.advance(1);
    await vi.waitFor(() => expect(rec.stats().flushes).toBe(1));
    expect(writer.bufferedRows).toBe(0);
    expect(rec.stats().lastFlushAt).toBe(T0 + S);
    expect(await writer.query('SELECT count(*)::INT FROM events')).toEqual([[2]]);
    expect(await writer.query('SELECT count(*)::INT FROM gaps')).toEqual([[1]]);
    // The next flush is armed once this one is done, and keeps the cadence.
    source.emit(trade('BTCUSDT', T0 + S + 5, 3));
    clock.advance(S);
    await vi.waitFor(() => expect(rec.stats().flushes).toBe(2));
    expect(writer.bufferedRows).toBe(0);
    await rec.stop();
    expect(clock.pending).toBe(0);
  });

  it('keeps the flush cadence when a flush takes time (start to start)', async () => {
    const path = freshPath();
    const { rec, clock, writer } = await recorder(path, { flushEveryUs: S });
    const flush = writer.flush.bind(writer);
    writer.flush = async () => {
      clock.advance(300 * MS); // the flush takes 300 ms
      await flush();
    };
    await rec.start();
    clock.advance(S);
    await vi.waitFor(() => expect(rec.stats().flushes).toBe(1));
    expect(rec.stats().lastFlushAt).toBe(T0 + S + 300 * MS);
    clock.advance(700 * MS - 1);
    await Promise.resolve();
    expect(rec.stats().flushes).toBe(1);
    clock.advance(1);
    await vi.waitFor(() => expect(rec.stats().flushes).toBe(2));
    expect(rec.stats().lastFlushAt).toBe(T0 + 2 * S + 300 * MS);
    writer.flush = flush;
    await rec.stop();
  });

  it('stops on SIGINT: what was in flight while the feed closed is written, in delivery order', async () => {
    const path = freshPath();
    const { rec, source } = await recorder(path);
    await rec.start();
    const signals = new EventEmitter();
    const forced = vi.fn();
    const uninstall = stopOnSignals(() => void rec.stop('signal'), forced, signals);
    // A REST snapshot stamped before a socket frame but delivered after it is written at the
    // frame's local time: the order this process saw.
    source.emit(trade('BTCUSDT', T0 + 5 * MS, 1), snapshot('BTCUSDT', T0 + 3 * MS, 100));
    expect(rec.stats().retimed).toBe(1);
    source.onClose = [trade('ETHUSDT', T0 + 6 * MS, 2)];
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    expect(forced).toHaveBeenCalledWith('SIGINT');
    const summary = await rec.done;
    uninstall();
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(summary.reason).toBe('signal');
    expect(summary.totalMessages).toBe(3);
    // Events after the stop are not written (the store is closed).
    source.emit(trade('BTCUSDT', T0 + 9 * MS, 3));
    expect(rec.stats().totalMessages).toBe(3);

    expect(
      await read(path, 'SELECT CAST(local_ts AS DOUBLE), CAST(exch_ts AS DOUBLE), kind FROM events'),
    ).toEqual([
      [T0 + 5 * MS, T0 + 3 * MS, 1],
      [T0 + 5 * MS, T0 + MS, 2],
      [T0 + 5 * MS, T0 + MS, 2],
      [T0 + 5 * MS, T0 + MS, 2],
      [T0 + 6 * MS, T0 + 4 * MS, 1],
    ]);
    expect(await read(path, `SELECT count(*)::INT FROM meta WHERE key = '${META_UNSORTED}'`)).toEqual([[0]]);
  });

  it('stops by itself after --duration, even if the feed never connects', async () => {
    const path = freshPath();
    const source = new FakeSource();
    let connected!: () => void;
    source.connect = (sink) => {
      source.sink = sink;
      return new Promise((r) => {
        connected = r;
      });
    };
    source.close = async () => {
      source.closed++;
      connected();
    };
    const { rec, clock } = await recorder(path, { source, durationUs: 10 * S, flushEveryUs: S });
    const started = rec.start();
    await vi.waitFor(() => expect(source.sink).toBeDefined());
    source.emit(trade('BTCUSDT', T0 + 1, 1));
    clock.advance(10 * S);
    const summary = await rec.done;
    await started;
    expect(summary.reason).toBe('duration');
    expect(source.closed).toBe(1);
    expect(await read(path, 'SELECT count(*)::INT FROM trades')).toEqual([[1]]);
  });

  it('marks the hole between an earlier recording in the store and this one', async () => {
    const path = freshPath();
    const first = await recorder(path);
    await first.rec.start();
    first.source.emit(trade('BTCUSDT', T0 + 1 * S, 1), snapshot('BTCUSDT', T0 + 2 * S, 100));
    await first.rec.stop();

    const second = await recorder(path);
    await second.rec.start();
    second.source.emit(
      trade('BTCUSDT', T0 + 60 * S, 2),
      trade('BTCUSDT', T0 + 61 * S, 3),
      snapshot('BTCUSDT', T0 + 62 * S, 900),
      trade('ETHUSDT', T0 + 63 * S, 4),
    );
    const summary = await second.rec.stop();
    expect(summary.gaps).toBe(2);
    expect(
      await read(
        path,
        'SELECT symbol, stream, CAST(from_ts AS DOUBLE), CAST(to_ts AS DOUBLE), reason FROM gaps ORDER BY stream',
      ),
    ).toEqual([
      ['BTCUSDT', 'depth', T0 + 2 * S, T0 + 62 * S, 'not-recording'],
      ['BTCUSDT', 'trade', T0 + 1 * S, T0 + 60 * S, 'not-recording'],
    ]);
    expect(await read(path, 'SELECT count(*)::INT FROM trades')).toEqual([[4]]);
  });

  it('leaves the store sorted when it already held later rows (the writer sorts once on close)', async () => {
    const path = freshPath();
    const first = await recorder(path);
    await first.rec.start();
    first.source.emit(trade('ETHUSDT', T0 + 100 * S, 1));
    await first.rec.stop();
    const second = await recorder(path);
    await second.rec.start();
    second.source.emit(trade('BTCUSDT', T0 + 1 * S, 2), trade('BTCUSDT', T0 + 2 * S, 3));
    expect((await second.rec.stop()).retimed).toBe(0);
    expect(await read(path, 'SELECT seq::INT FROM events')).toEqual([[2], [3], [1]]);
    expect(await read(path, `SELECT count(*)::INT FROM meta WHERE key = '${META_UNSORTED}'`)).toEqual([[0]]);
  });

  it('stops quietly when stopped while starting (Ctrl-C before the feed is up)', async () => {
    // During the instruments call: nothing is written, the store closes, start resolves.
    const slow = new FakeSource();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const list = slow.instruments.bind(slow);
    slow.instruments = async (symbols) => {
      await gate;
      return list(symbols);
    };
    const a = freshPath();
    const one = await recorder(a, { source: slow });
    const starting = one.rec.start();
    const stopped = one.rec.stop('signal');
    release();
    await expect(starting).resolves.toBeUndefined();
    expect((await stopped).reason).toBe('signal');
    expect(slow.sink).toBeUndefined();
    expect(await read(a, 'SELECT count(*)::INT FROM instruments')).toEqual([[0]]);

    // During the connection, which closing the feed does not end (it fails much later).
    const hanging = new FakeSource();
    let refuse!: (err: Error) => void;
    hanging.connect = (sink) => {
      hanging.sink = sink;
      return new Promise((_, reject) => {
        refuse = reject;
      });
    };
    const b = freshPath();
    const two = await recorder(b, { source: hanging });
    const started = two.rec.start();
    await vi.waitFor(() => expect(hanging.sink).toBeDefined());
    hanging.emit(trade('BTCUSDT', T0 + 1, 1));
    expect((await two.rec.stop('signal')).totalMessages).toBe(1);
    await expect(started).resolves.toBeUndefined();
    refuse(new Error('did not connect within 30 s'));
    expect(await read(b, 'SELECT count(*)::INT FROM trades')).toEqual([[1]]);
  });

  it('refuses a symbol the venue does not list, closing feed and store', async () => {
    const path = freshPath();
    const { rec, source } = await recorder(path, { symbols: ['BTCUSDT', 'NOPEUSDT'] });
    const err = await rec.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      'binance-futures has no instrument NOPEUSDT; check --symbol (exchange symbols such as BTCUSDT)',
    );
    expect(source.sink).toBeUndefined();
    expect(source.closed).toBe(1);
    await expect(rec.done).rejects.toBe(err);
    expect(existsSync(path)).toBe(true);
    // The store is closed: it opens again.
    expect(await read(path, 'SELECT count(*)::INT FROM instruments')).toEqual([[0]]);
  });

  it('fails the recording (and keeps what was written) when the feed fails to connect', async () => {
    const path = freshPath();
    const source = new FakeSource();
    source.connect = async (sink) => {
      sink.onMarket(trade('BTCUSDT', T0 + 1, 1));
      throw new Error('connect refused');
    };
    const { rec } = await recorder(path, { source });
    await expect(rec.start()).rejects.toThrow('connect refused');
    await expect(rec.done).rejects.toThrow('connect refused');
    expect(await read(path, 'SELECT count(*)::INT FROM trades')).toEqual([[1]]);
  });
});
