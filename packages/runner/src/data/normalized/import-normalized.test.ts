import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../cli/user-error.js';
import { openDuckDbFile } from '../duckdb-file.js';
import { EventDecoder } from '../event-decoder.js';
import { ReplayReader } from '../replay-reader.js';
import { importNormalized } from './import-normalized.js';

const INSTRUMENT =
  '{"type":"instrument","exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001,"minQty":0.001,"minNotional":100,"makerFee":0.0002,"takerFee":0.0005}';
const GOOD = [
  INSTRUMENT,
  '{"type":"depth","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1700000000000000,"localTs":1700000000004000,"seq":10,"prevSeq":9,"isSnapshot":true,"bids":[[50000,1.5]],"asks":[[50000.1,2]]}',
  '{"type":"trade","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1700000000100000,"localTs":1700000000103000,"tradeId":1,"price":50000,"qty":0.4,"side":"sell","extra":"ignored"}',
  '',
  '{"type":"bookTicker","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1700000000100000,"localTs":1700000000104000,"seq":11,"bidPrice":50000,"bidQty":1.1,"askPrice":50000.1,"askQty":2}',
  '{"type":"markPrice","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1700000000200000,"localTs":1700000000201000,"markPrice":50000.05,"indexPrice":50001,"fundingRate":0.0001,"nextFundingTs":1700006400000000}',
  '{"type":"openInterest","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1700000000300000,"localTs":1700000000301000,"openInterest":81234.5}',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-import-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function jsonl(lines: readonly string[], name = `events-${n++}.jsonl`): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
const db = (): string => join(dir, `store-${n++}.duckdb`);

async function count(dbPath: string, table: string): Promise<number> {
  const file = await openDuckDbFile(dbPath, { readOnly: true });
  try {
    return Number((await file.conn.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRowsJS()[0]?.[0]);
  } finally {
    file.close();
  }
}

async function importError(lines: readonly string[], dbPath = db()): Promise<UserError> {
  const file = jsonl(lines, 'events.jsonl');
  const err = await importNormalized(file, dbPath).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('importNormalized', () => {
  it('imports every line type and counts rows per table', async () => {
    const dbPath = db();
    const seen: number[] = [];
    const result = await importNormalized(jsonl(GOOD), dbPath, { onProgress: (l) => seen.push(l) });
    expect(result).toEqual({
      lines: 7,
      skipped: false,
      rows: { instruments: 1, trades: 1, depth: 2, book_ticker: 1, mark_price: 1, open_interest: 1 },
    });
    expect(seen.at(-1)).toBe(7);
    const reader = await ReplayReader.open(dbPath);
    const events = [];
    const decoder = new EventDecoder(reader.instruments);
    for await (const b of reader.batches()) events.push(...decoder.decode(b));
    await reader.close();
    expect(events.map((e) => e.type)).toEqual(['depth', 'trade', 'bookTicker', 'markPrice', 'openInterest']);
    expect(events[1]).toEqual({
      type: 'trade',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exchTs: 1700000000100000,
      localTs: 1700000000103000,
      tradeId: 1,
      price: 50000,
      qty: 0.4,
      side: 'sell',
    });
    expect(reader.instruments[0]).toMatchObject({ symbol: 'BTCUSDT', tickSize: 0.1, contractSize: 1 });
  });

  it('skips a file it already imported, adding nothing', async () => {
    const dbPath = db();
    const file = jsonl(GOOD);
    await importNormalized(file, dbPath);
    const again = await importNormalized(file, dbPath);
    expect(again).toEqual({ lines: 7, rows: {}, skipped: true });
    // Same content under another name is the same data.
    const copy = jsonl(GOOD, 'copy.jsonl');
    expect((await importNormalized(copy, dbPath)).skipped).toBe(true);
    expect(await count(dbPath, 'events')).toBe(6);
    expect(await count(dbPath, 'imports')).toBe(1);
  });

  it('names the line of malformed JSON', async () => {
    const err = await importError([...GOOD.slice(0, 2), '{"type":"trade",', ...GOOD.slice(2)]);
    expect(err.message.startsWith(`${join(dir, 'events.jsonl')}:3: not valid JSON (`)).toBe(true);
    expect(err.message).toMatch(/\); each line must be one JSON object$/);
  });

  it('rejects a line older than the previous one', async () => {
    const late =
      '{"type":"trade","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1700000000000000,"localTs":1700000000100000,"tradeId":2,"price":50000,"qty":1,"side":"buy"}';
    const err = await importError([...GOOD.slice(0, 3), late]);
    expect(err.message).toBe(
      `${join(dir, 'events.jsonl')}:4: localTs 1700000000100000 is before the previous line's 1700000000103000; lines must be in localTs order`,
    );
  });

  it('rejects an unknown type, naming the known ones', async () => {
    const err = await importError([INSTRUMENT, '{"type":"liquidation","symbol":"BTCUSDT"}']);
    expect(err.message).toMatch(
      /:2: unknown type "liquidation"; expected one of instrument, trade, depth, bookTicker, markPrice, openInterest$/,
    );
  });

  it('rejects localTs before exchTs', async () => {
    const err = await importError([
      INSTRUMENT,
      '{"type":"trade","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1700000000200000,"localTs":1700000000100000,"tradeId":2,"price":50000,"qty":1,"side":"buy"}',
    ]);
    expect(err.message).toMatch(/:2: localTs 1700000000100000 is before exchTs 1700000000200000; /);
  });

  it('rejects fields that do not match the schema', async () => {
    const err = await importError([
      INSTRUMENT,
      '{"type":"trade","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1,"localTs":2,"tradeId":2,"price":50000,"qty":1,"side":"long"}',
    ]);
    expect(err.message).toMatch(/:2: invalid trade line: side: /);
    const noTs = await importError([
      INSTRUMENT,
      '{"type":"openInterest","exchange":"binance-futures","symbol":"BTCUSDT"}',
    ]);
    expect(noTs.message).toMatch(/:2: invalid openInterest line: exchTs: /);
  });

  it('rejects events of an undeclared instrument', async () => {
    const err = await importError([GOOD[2]!]);
    expect(err.message).toMatch(
      /:1: no instrument binance-futures BTCUSDT; declare it with a \{"type":"instrument",...\} line/,
    );
  });

  it('accepts events of an instrument declared by an earlier import', async () => {
    const dbPath = db();
    await importNormalized(jsonl(GOOD.slice(0, 3)), dbPath);
    const result = await importNormalized(jsonl(GOOD.slice(4)), dbPath);
    expect(result.rows).toMatchObject({ instruments: 0, book_ticker: 1, mark_price: 1, open_interest: 1 });
    expect(await count(dbPath, 'events')).toBe(6);
  });

  it('commits nothing from a file that fails, even past the flush size', async () => {
    const dbPath = db();
    await importNormalized(jsonl(GOOD.slice(0, 3)), dbPath);
    const lines = [
      '{"type":"instrument","exchange":"okx-swap","symbol":"BTC-USDT-SWAP","tickSize":0.1,"stepSize":0.01}',
    ];
    for (let i = 0; i < 60_000; i++) {
      lines.push(
        `{"type":"trade","exchange":"okx-swap","symbol":"BTC-USDT-SWAP","exchTs":${1700000001000000 + i},"localTs":${1700000001000000 + i},"tradeId":${i},"price":50000,"qty":1,"side":"buy"}`,
      );
    }
    lines.push('not json');
    const err = await importError(lines, dbPath);
    expect(err.message).toMatch(/:60002: not valid JSON/);
    expect(await count(dbPath, 'events')).toBe(3);
    expect(await count(dbPath, 'instruments')).toBe(1);
    expect(await count(dbPath, 'imports')).toBe(1);
    // The store is still usable and the fixed file imports.
    lines.pop();
    const result = await importNormalized(jsonl(lines), dbPath);
    expect(result.rows.trades).toBe(60_000);
    expect(await count(dbPath, 'events')).toBe(60_003);
  });

  it('sorts the store when a later file holds older events', async () => {
    const dbPath = db();
    await importNormalized(jsonl([INSTRUMENT, ...GOOD.slice(4)]), dbPath);
    await importNormalized(jsonl(GOOD.slice(0, 3)), dbPath);
    const reader = await ReplayReader.open(dbPath);
    const ts: number[] = [];
    for await (const b of reader.batches()) ts.push(...b.localTs);
    await reader.close();
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(ts.length).toBe(6);
  });

  it('says which input file is missing', async () => {
    await expect(importNormalized(join(dir, 'missing.jsonl'), db())).rejects.toThrow(
      /input file .*missing\.jsonl not found/,
    );
  });
});
