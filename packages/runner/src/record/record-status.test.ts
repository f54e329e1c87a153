import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import {
  compact,
  createRecordStatus,
  formatStatusLine,
  formatSummary,
  streamRates,
} from './record-status.js';
import type { RecorderStats } from './recorder.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;

const stats = (
  at: number,
  messages: RecorderStats['messages'],
  extra: Partial<RecorderStats> = {},
): RecorderStats => ({
  startedAt: T0,
  now: T0 + at,
  messages,
  totalMessages: Object.values(messages).reduce((a, b) => a + (b ?? 0), 0),
  rows: 0,
  gaps: 0,
  snapshots: 0,
  resyncing: [],
  flushes: 0,
  lastFlushAt: 0,
  retimed: 0,
  ...extra,
});

describe('record status', () => {
  it('computes per-stream rates over the interval, in a fixed stream order', () => {
    const a = stats(10 * S, { trade: 100, depth: 50 });
    const b = stats(12 * S, { trade: 300, depth: 70, markPrice: 2 });
    expect(streamRates(a, b)).toEqual([
      ['depth', 10],
      ['trade', 100],
      ['markPrice', 1],
    ]);
  });

  it('formats a status line and the summary', () => {
    const a = stats(60 * S, { depth: 1_000, bookTicker: 10_000 });
    const b = stats(
      61 * S,
      { depth: 1_010, bookTicker: 12_500 },
      { rows: 2_345_678, gaps: 1, resyncing: ['BTCUSDT'] },
    );
    expect(formatStatusLine(a, b)).toBe(
      'recording 00:01:01 | depth 10/s bookTicker 2.5k/s | 14k msgs 2.3M rows | 1 gap | resyncing BTCUSDT',
    );
    expect(formatStatusLine(a, stats(61 * S, {}))).toContain('waiting for data');
    expect(formatSummary({ ...b, reason: 'duration', path: 'btc.duckdb', snapshots: 3 })).toBe(
      'recorded 13510 messages (depth 1010, bookTicker 12500; 2345678 rows, 3 depth snapshots, 1 gaps) in 00:01:01 into btc.duckdb (duration reached)',
    );
    expect([compact(0), compact(2.5), compact(999), compact(12_345), compact(9_999_999)]).toEqual([
      '0',
      '2.5',
      '999',
      '12k',
      '10.0M',
    ]);
  });

  it('redraws one status line on a terminal and clears it at the end', () => {
    let out = '';
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    stream.on('data', (d) => (out += String(d)));
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const status = createRecordStatus({ tty: true, logger, stream: stream as unknown as NodeJS.WriteStream });
    expect(status.everyUs).toBe(S);
    status.update(stats(0, {}));
    status.update(stats(S, { trade: 20 }, { rows: 20 }));
    status.stop();
    status.stop();
    expect(out).toContain('recording: connecting');
    expect(out).toContain('recording 00:00:01 | trade 20/s | 20 msgs 20 rows | 0 gaps');
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('logs one line per interval when stderr is not a terminal', () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const status = createRecordStatus({ tty: false, logger, logEveryUs: 5 * S });
    expect(status.everyUs).toBe(5 * S);
    status.update(stats(0, {}));
    expect(logger.info).not.toHaveBeenCalled();
    status.update(stats(5 * S, { trade: 50 }, { rows: 50 }));
    expect(logger.info).toHaveBeenCalledWith(
      { perSecond: { trade: 10 }, messages: 50, rows: 50, gaps: 0, snapshots: 0 },
      'recording',
    );
    status.stop();
  });
});
