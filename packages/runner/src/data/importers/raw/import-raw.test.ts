import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../../../../test/support/shared-fixtures.js';
import { FlagInstrumentResolver, type InstrumentFlagValues } from '../../../cli/instrument-flags.js';
import { UserError } from '../../../cli/user-error.js';
import { TickStoreWriter } from '../../tick-store-writer.js';
import type { ImportOnceResult } from '../import-once.js';
import { query, replayBooks } from '../store-queries.test-support.js';
import { importRawFile } from './import-raw.js';
import { parseReceiveTime } from './receive-time.js';

const BTC = '{"exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001}';
const ETH = '{"exchange":"binance-futures","symbol":"ETHUSDT","tickSize":0.01,"stepSize":0.001}';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-raw-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const db = (): string => join(dir, `store-${n++}.duckdb`);
function capture(lines: readonly string[], gzip = false): string {
  const path = join(dir, `capture-${n++}.log${gzip ? '.gz' : ''}`);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

async function importAll(
  files: readonly string[],
  dbPath: string,
  flags: InstrumentFlagValues = { instrument: [BTC, ETH] },
  exchange = 'binance-futures',
): Promise<ImportOnceResult[]> {
  const resolver = FlagInstrumentResolver.fromFlags(flags);
  const writer = await TickStoreWriter.open(dbPath);
  try {
    const out: ImportOnceResult[] = [];
    for (const f of files) out.push(await importRawFile(f, writer, { exchange, resolver }));
    return out;
  } finally {
    await writer.close();
  }
}

async function importError(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

// Messages written for these tests (values made up), at T seconds.
const T = 1700000000;
const sec = (ms: number): string => ((T * 1000 + ms) / 1000).toFixed(6);
const depth = (
  ms: number,
  U: number,
  u: number,
  pu: number,
  b: [string, string][],
  a: [string, string][] = [],
) =>
  `${sec(ms + 2)} ${JSON.stringify({ stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E: T * 1000 + ms, T: T * 1000 + ms - 1, s: 'BTCUSDT', U, u, pu, b, a } })}`;
const snapshotLine = (ms: number, lastUpdateId: number, bids: [string, string][], asks: [string, string][]) =>
  `${sec(ms + 30)}: ${JSON.stringify({ stream: 'btcusdt@depthSnapshot', generated: true, data: { lastUpdateId, E: T * 1000 + ms, T: T * 1000 + ms - 1, bids, asks } })}`;

describe('parseReceiveTime', () => {
  it('reads unix seconds and ISO-8601 to the µs (truncating beyond)', () => {
    expect(parseReceiveTime('1700000000.123456')).toBe(1700000000123456);
    expect(parseReceiveTime('1700000000.5')).toBe(1700000000500000);
    expect(parseReceiveTime('1700000000')).toBe(1700000000000000);
    expect(parseReceiveTime('2023-11-14T22:13:20.1234567Z')).toBe(1700000000123456);
    expect(parseReceiveTime('2023-11-14T22:13:20Z')).toBe(1700000000000000);
    expect(parseReceiveTime('2023-11-14 22:13:20.000001')).toBe(1700000000000001);
    expect(parseReceiveTime('2023-11-15T00:13:20.25+02:00')).toBe(1700000000250000);
  });

  it('refuses ms, garbage and impossible dates', () => {
    expect(() => parseReceiveTime('1700000000123')).toThrow(/too many digits/);
    expect(() => parseReceiveTime('yesterday')).toThrow(/is neither unix seconds/);
    expect(() => parseReceiveTime('2023-02-30T00:00:00Z')).toThrow(/not a calendar date/);
  });
});

describe('importRawFile (binance-futures)', () => {
  it('imports trades, tickers and mark prices; skips acks, errors and other kinds with notes', async () => {
    const dbPath = db();
    const file = capture(
      [
        `${sec(0)} {"result":null,"id":1}`,
        `${sec(10)}: {"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":${T * 1000 + 9},"s":"BTCUSDT","a":5,"p":"37000.10","q":"0.250","f":10,"l":12,"T":${T * 1000 + 8},"m":true}}`,
        `2023-11-14T22:13:20.020Z {"e":"trade","E":${T * 1000 + 19},"T":${T * 1000 + 18},"s":"ETHUSDT","t":77,"p":"2000.01","q":"1.000","X":"MARKET","m":false}`,
        `${sec(30)} {"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":900,"s":"BTCUSDT","b":"37000.00","B":"1.5","a":"37000.10","A":"2","T":${T * 1000 + 28},"E":${T * 1000 + 29}}}`,
        `${sec(40)} {"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":${T * 1000 + 39},"s":"BTCUSDT","p":"37000.05","i":"37001.00","P":"37000.00","r":"0.00010000","T":${T * 1000 + 3_600_000}}}`,
        `${sec(50)} {"stream":"btcusdt@kline_1m","data":{"e":"kline","E":${T * 1000 + 49},"s":"BTCUSDT","k":{}}}`,
        `${sec(60)} {"code":2,"msg":"Invalid request: too many parameters","id":2}`,
        // Received 5 ms before its exchange time (clock skew): raised to exch_ts.
        `${sec(65)} {"e":"aggTrade","E":${T * 1000 + 70},"s":"BTCUSDT","a":6,"p":"37000.20","q":"0.1","f":13,"l":13,"T":${T * 1000 + 70},"m":false}`,
        `${sec(80)} {"stream":"btcusdt@openInterest","generated":true,"data":{"openInterest":"81234.500","symbol":"BTCUSDT","time":${T * 1000 + 75}}}`,
        '',
      ],
      true,
    );
    const [result] = await importAll([file], dbPath);
    expect(result).toEqual({
      status: 'imported',
      lines: 10,
      rows: { instruments: 2, trades: 3, depth: 0, book_ticker: 1, mark_price: 1, open_interest: 1 },
      notes: [
        '1 events received before their exchange time: local_ts raised to exch_ts',
        'skipped messages botp does not import: 1 kline',
        '1 error frames skipped (first: code 2 "Invalid request: too many parameters")',
      ],
    });
    const us = (ms: number) => T * 1_000_000 + ms * 1000;
    expect(
      await query(
        dbPath,
        'SELECT symbol, trade_id, price, qty, side, exch_ts, local_ts FROM trades ORDER BY local_ts',
      ),
    ).toEqual([
      ['BTCUSDT', 5, 37000.1, 0.25, -1, us(8), us(10)],
      ['ETHUSDT', 77, 2000.01, 1, 1, us(18), us(20)],
      ['BTCUSDT', 6, 37000.2, 0.1, 1, us(70), us(70)],
    ]);
    expect(await query(dbPath, 'SELECT seq, bid_price, ask_qty, exch_ts FROM book_ticker')).toEqual([
      [900, 37000, 2, us(28)],
    ]);
    expect(
      await query(
        dbPath,
        'SELECT mark_price, index_price, funding_rate, next_funding_ts, exch_ts FROM mark_price',
      ),
    ).toEqual([[37000.05, 37001, 0.0001, us(3_600_000), us(39)]]);
    expect(await query(dbPath, 'SELECT open_interest, exch_ts FROM open_interest')).toEqual([
      [81234.5, us(75)],
    ]);
  });

  it('depth: snapshot line + diffs per the pu chain; a dropped diff is a gap until the next snapshot', async () => {
    const dbPath = db();
    const file = capture([
      depth(0, 90, 95, 80, [['100.0', '1']]), // before the snapshot and inside it: dropped
      depth(100, 96, 104, 95, [['100.5', '2']]), // bridges the snapshot at 100
      snapshotLine(
        105,
        100,
        [
          ['100.0', '3'],
          ['99.0', '4'],
        ],
        [['101.0', '5']],
      ),
      depth(200, 107, 112, 104, [['100.0', '0']], [['101.0', '6']]),
      depth(300, 115, 118, 112, [], []), // no levels: no rows, the chain still holds
      depth(400, 120, 125, 118, [['99.5', '1']]),
      depth(500, 130, 140, 128, [['98.0', '1']]), // 126..128 lost: gap
      depth(600, 141, 150, 140, [['97.0', '1']]), // waits for a snapshot that never comes
    ]);
    const [result] = await importAll([file], dbPath);
    expect(result).toMatchObject({
      status: 'imported',
      rows: { depth: 7 },
      notes: [
        'BTCUSDT: 3 of 7 depth diffs not imported (before the first usable snapshot, already in a snapshot, or after a gap no later snapshot repaired)',
        'BTCUSDT: 1 depth gaps (pu chain breaks) recorded in gaps',
      ],
    });
    expect(
      await query(
        dbPath,
        'SELECT seq, prev_seq, is_snapshot, count(*) FROM depth GROUP BY ALL ORDER BY min(local_ts), seq',
      ),
    ).toEqual([
      [100, 100, true, 3],
      [104, 100, false, 1],
      [112, 104, false, 2],
      [125, 112, false, 1], // follows the last written message (the empty 118 wrote nothing)
    ]);
    expect(await query(dbPath, 'SELECT stream, reason FROM gaps')).toEqual([
      ['depth', 'pu-mismatch: update ids 125 → 128'],
    ]);
    const { engine, symbols } = await replayBooks(dbPath);
    expect(engine.gapCount).toBe(0);
    const book = engine.books[symbols.indexOf('BTCUSDT')]!;
    expect({ bids: book.levels(1, 5), asks: book.levels(-1, 5) }).toEqual({
      bids: [
        [100.5, 2],
        [99.5, 1],
        [99, 4],
      ],
      asks: [[101, 6]],
    });
  });

  it('a later file continues the stored chain when its first diff follows it', async () => {
    const dbPath = db();
    const first = capture([
      snapshotLine(0, 100, [['100.0', '1']], [['101.0', '1']]),
      depth(100, 99, 110, 95, [['100.0', '2']]),
    ]);
    const next = capture([
      depth(200, 111, 120, 110, [['100.0', '3']]),
      depth(300, 121, 130, 120, [['99.0', '1']]),
    ]);
    await importAll([first], dbPath);
    const [result] = await importAll([next], dbPath, { instrument: [] });
    expect(result).toMatchObject({ status: 'imported', rows: { depth: 2 }, notes: [] });
    const { engine } = await replayBooks(dbPath);
    expect(engine.gapCount).toBe(0);
  });

  it('a capture without snapshot lines imports no depth and says how to capture one', async () => {
    const [result] = await importAll([capture([depth(0, 1, 5, 0, [['100.0', '1']])])], db());
    expect(result).toMatchObject({
      rows: { depth: 0 },
      notes: [
        'BTCUSDT: none of its 1 depth diffs imported: the capture has no depth snapshot to start the book from; record GET /fapi/v1/depth as a line {"stream":"btcusdt@depthSnapshot","data":<response body>} after subscribing',
      ],
    });
  });

  it('names the file and line of a malformed or undated message, and keeps nothing of the file', async () => {
    const dbPath = db();
    const good = `${sec(0)} {"e":"aggTrade","E":${T * 1000},"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":${T * 1000},"m":true}`;
    const bad = capture([good, `${sec(1)} {"e":"aggTrade","E":1,"s":"BTCUSDT","p":"x"}`]);
    const e1 = await importError(importAll([bad], dbPath));
    expect(e1.message).toMatch(new RegExp(`^${bad}:2: malformed Binance aggTrade: `));
    expect(e1.message).toMatch(/fix or remove the line$/);
    expect((await importError(importAll([capture([`{"e":"aggTrade"}`])], dbPath))).message).toMatch(
      /:1: no receive time before the message/,
    );
    expect((await importError(importAll([capture([`${sec(0)} {"e":`])], dbPath))).message).toMatch(
      /:1: not JSON/,
    );
    expect(await query(dbPath, 'SELECT count(*) FROM events')).toEqual([[0]]);
    expect(
      (await importError(importAll([capture([good])], dbPath, { instrument: [BTC] }, 'okx-swap'))).message,
    ).toMatch(/--exchange okx-swap: raw captures can be read for binance-futures only/);
  });
});

// The real USD-M capture of ccxt's "linear swap orderbook depth 5".
const FIXTURE = fixture('ccxt/binance.json');

describe('importRawFile on a real capture', () => {
  it("rebuilds ccxt's expected book from the real diffs and REST snapshot", async () => {
    const file = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
      methods: Record<
        string,
        {
          description: string;
          messages: { E?: number }[];
          httpResponse: { E: number };
          parsedResponses: { bids: number[][]; asks: number[][] }[];
        }[]
      >;
    };
    const c = file.methods.watchOrderBook!.find((x) => x.description === 'linear swap orderbook depth 5')!;
    const iso = (ms: number) => new Date(ms).toISOString();
    // Receive times 1 ms after each event time; the REST snapshot lands between diffs 10 and 11.
    const lines = [
      ...c.messages.map((m) => `${iso((m.E ?? c.httpResponse.E) + 1)} ${JSON.stringify(m)}`),
      `${iso(c.httpResponse.E + 1)} ${JSON.stringify({ stream: 'btcusdt@depthSnapshot', generated: true, data: c.httpResponse })}`,
    ].sort();
    const dbPath = db();
    const [result] = await importAll([capture(lines)], dbPath);
    expect(result).toMatchObject({
      status: 'imported',
      notes: [
        'BTCUSDT: 10 of 11 depth diffs not imported (before the first usable snapshot, already in a snapshot, or after a gap no later snapshot repaired)',
      ],
    });
    const { engine, symbols } = await replayBooks(dbPath);
    expect(engine.gapCount).toBe(0);
    const book = engine.books[symbols.indexOf('BTCUSDT')]!;
    const want = c.parsedResponses[1]!;
    expect({ bids: book.levels(1, 5), asks: book.levels(-1, 5) }).toEqual({
      bids: want.bids,
      asks: want.asks,
    });
  });
});
