import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../cli/user-error.js';
import { normalizedLineSchemas } from '../normalized/normalized-line.js';
import { TickStoreWriter } from '../tick-store-writer.js';
import { generateSyntheticMarket } from './synthetic-market.js';
import { toNormalizedLines, writeSyntheticDataset } from './write-synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'botp-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('toNormalizedLines', () => {
  it('serializes the instrument first, then every event as a valid normalized line', () => {
    const lines = [...toNormalizedLines(generateSyntheticMarket({ seed: 4, durationUs: 3_000_000 }))];
    expect(lines[0]).toBe(
      '{"type":"instrument","exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001,' +
        '"minQty":0.001,"minNotional":100,"makerFee":0.0002,"takerFee":0.0005,"contractSize":1}',
    );
    let prevLocal = 0;
    for (const line of lines) {
      const obj = JSON.parse(line) as { type: keyof typeof normalizedLineSchemas; localTs?: number };
      expect(Object.keys(obj)[0]).toBe('type');
      const parsed = normalizedLineSchemas[obj.type].safeParse(obj);
      expect(parsed.success, line).toBe(true);
      if (obj.localTs !== undefined) {
        expect(obj.localTs).toBeGreaterThanOrEqual(prevLocal);
        prevLocal = obj.localTs;
      }
    }
    expect(lines.some((l) => l.includes('"type":"depth"') && l.includes('"isSnapshot":true'))).toBe(true);
    expect(lines[1]).toMatch(
      /^\{"type":"\w+","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":\d+,"localTs":\d+,/,
    );
  });
});

describe('writeSyntheticDataset', () => {
  it('writes the instrument and every event to a tick store, and refuses to write it twice', async () => {
    const path = join(dir, 'synth.duckdb');
    const opts = { seed: 42, durationUs: 10_000_000 };
    const expected = { trade: 0, depth: 0, bookTicker: 0, markPrice: 0, depthRows: 0 };
    for (const ev of generateSyntheticMarket(opts)) {
      if (ev.type === 'instrument' || ev.type === 'openInterest') continue;
      expected[ev.type]++;
      if (ev.type === 'depth') expected.depthRows += ev.bids.length + ev.asks.length;
    }
    const { events, rows } = await writeSyntheticDataset(path, opts);
    expect(events).toBe(expected.trade + expected.depth + expected.bookTicker + expected.markPrice);
    expect(rows).toBe(expected.trade + expected.depthRows + expected.bookTicker + expected.markPrice);

    const store = await TickStoreWriter.open(path);
    try {
      const count = async (sql: string) => Number((await store.query(sql))[0]![0]);
      expect(await count('SELECT count(*) FROM instruments')).toBe(1);
      expect(await count('SELECT count(*) FROM trades')).toBe(expected.trade);
      expect(await count('SELECT count(*) FROM depth')).toBe(expected.depthRows);
      expect(await count('SELECT count(DISTINCT seq) FROM depth')).toBe(expected.depth);
      expect(await count('SELECT count(*) FROM book_ticker')).toBe(expected.bookTicker);
      expect(await count('SELECT count(*) FROM mark_price')).toBe(expected.markPrice);
      expect(await count('SELECT count(*) FROM trades WHERE exch_ts > local_ts')).toBe(0);
    } finally {
      await store.close();
    }

    await expect(writeSyntheticDataset(path, opts)).rejects.toThrow(UserError);
    await expect(writeSyntheticDataset(path, opts)).rejects.toThrow(/already holds binance-futures BTCUSDT/);
  });

  it('sizes a dataset by rows: maxRows stops at the end of the event that reaches it', async () => {
    const path = join(dir, 'sized.duckdb');
    const opts = { seed: 7, durationUs: 24 * 3600 * 1_000_000 };
    // The same market, unlimited, up to the event that reaches 20,000 rows.
    let expectedRows = 0;
    let expectedEvents = 0;
    for (const ev of generateSyntheticMarket(opts)) {
      if (ev.type === 'instrument') continue;
      expectedEvents++;
      expectedRows += ev.type === 'depth' ? ev.bids.length + ev.asks.length : 1;
      if (expectedRows >= 20_000) break;
    }
    const progress: number[] = [];
    const { events, rows } = await writeSyntheticDataset(path, opts, {
      maxRows: 20_000,
      onProgress: (n) => progress.push(n),
    });
    expect({ events, rows }).toEqual({ events: expectedEvents, rows: expectedRows });
    expect(rows - 20_000).toBeLessThan(200); // at most one depth message beyond
    expect(progress).toEqual([]); // reported every million rows
    const store = await TickStoreWriter.open(path);
    try {
      expect(Number((await store.query('SELECT count(*) FROM events'))[0]![0])).toBe(rows);
    } finally {
      await store.close();
    }
    await expect(writeSyntheticDataset(join(dir, 'none.duckdb'), opts, { maxRows: 0 })).rejects.toThrow(
      /maxRows/,
    );
  });
});
