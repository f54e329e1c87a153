import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagInstrumentResolver, type InstrumentFlagValues } from '../../../cli/instrument-flags.js';
import { UserError } from '../../../cli/user-error.js';
import { TickStoreWriter } from '../../tick-store-writer.js';
import { query } from '../store-queries.test-support.js';
import { writeZip } from '../zip-writer.test-support.js';
import {
  type BinanceVisionOptions,
  type BinanceVisionResult,
  importBinanceVisionFile,
} from './import-binance-vision.js';

const BTC =
  '{"exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001,"minQty":0.001}';

// Rows shaped like data.binance.vision USD-M archives (headers as in the 2024 files).
const AGG_HEADER = 'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker';
const AGG_ROWS = [
  '2010000001,42314.10,0.015,4494000001,4494000001,1704067200012,true',
  '2010000002,42314.20,1.200,4494000002,4494000004,1704067200150,false',
];
const TRADES_HEADER = 'id,price,qty,quote_qty,time,is_buyer_maker';
const TRADES_ROWS = ['4494000001,42314.10,0.015,634.7115,1704067200012,true'];
const TICKER_HEADER =
  'update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time';
const TICKER_ROWS = [
  '3761222000001,42314.10,5.120,42314.20,0.870,1704067200005,1704067200009',
  '3761222000002,42314.10,5.100,42314.20,0.990,1704067200011,1704067200014',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-bv-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const db = (): string => join(dir, `store-${n++}.duckdb`);
/** A fresh sub-directory, so each test can use Binance's own file names. */
function sub(): string {
  return mkdtempSync(join(dir, 'case-'));
}
function csv(path: string, lines: readonly string[]): string {
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
function zip(path: string, lines: readonly string[]): string {
  writeZip(path, {
    [path
      .split('/')
      .at(-1)!
      .replace(/\.zip$/, '.csv')]: `${lines.join('\n')}\n`,
  });
  return path;
}

/** What `botp import binance-vision` does: one writer over all files, closed once. */
async function importAll(
  files: readonly string[],
  dbPath: string,
  flags: InstrumentFlagValues = { instrument: [BTC] },
  opts: Partial<BinanceVisionOptions> = {},
): Promise<BinanceVisionResult[]> {
  const resolver = FlagInstrumentResolver.fromFlags(flags);
  const writer = await TickStoreWriter.open(dbPath);
  try {
    const out: BinanceVisionResult[] = [];
    for (const f of files) {
      out.push(
        await importBinanceVisionFile(f, writer, {
          exchange: 'binance-futures',
          feedLatencyUs: 0,
          resolver,
          ...opts,
        }),
      );
    }
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

const TRADE_COLS = 'exchange, symbol, exch_ts, local_ts, trade_id, price, qty, side';
const EXPECTED_AGG = [
  ['binance-futures', 'BTCUSDT', 1704067200012000, 1704067200012000, 2010000001, 42314.1, 0.015, -1],
  ['binance-futures', 'BTCUSDT', 1704067200150000, 1704067200150000, 2010000002, 42314.2, 1.2, 1],
];

describe('importBinanceVisionFile', () => {
  it('maps a zipped aggTrades archive with a header to trades (buyer maker = sell aggressor)', async () => {
    const file = zip(join(sub(), 'BTCUSDT-aggTrades-2024-01-01.zip'), [AGG_HEADER, ...AGG_ROWS]);
    const dbPath = db();
    const [result] = await importAll([file], dbPath);
    expect(result).toEqual({
      status: 'imported',
      lines: 3,
      rows: { instruments: 1, trades: 2, depth: 0, book_ticker: 0, mark_price: 0, open_interest: 0 },
      notes: [],
    });
    expect(await query(dbPath, `SELECT ${TRADE_COLS} FROM trades ORDER BY exch_ts`)).toEqual(EXPECTED_AGG);
    expect(await query(dbPath, 'SELECT tick_size, step_size, maker_fee, taker_fee FROM instruments')).toEqual(
      [[0.1, 0.001, 0.0002, 0.0005]],
    );
  });

  it('reads a plain CSV without a header row (older archives) the same way', async () => {
    const file = csv(join(sub(), 'BTCUSDT-aggTrades-2024-01-01.csv'), AGG_ROWS);
    const dbPath = db();
    const [result] = await importAll([file], dbPath);
    expect(result).toMatchObject({ status: 'imported', lines: 2, rows: { trades: 2 } });
    expect(await query(dbPath, `SELECT ${TRADE_COLS} FROM trades ORDER BY exch_ts`)).toEqual(EXPECTED_AGG);
  });

  it('adds --feed-latency to make local_ts', async () => {
    const file = csv(join(sub(), 'BTCUSDT-aggTrades-2024-01-01.csv'), AGG_ROWS);
    const dbPath = db();
    await importAll([file], dbPath, undefined, { feedLatencyUs: 5000 });
    expect(await query(dbPath, 'SELECT local_ts - exch_ts FROM trades')).toEqual([[5000], [5000]]);
  });

  it('maps trades archives, and µs timestamps of spot archives with is_best_match', async () => {
    const d = sub();
    const futures = zip(join(d, 'BTCUSDT-trades-2024-01-01.zip'), [TRADES_HEADER, ...TRADES_ROWS]);
    // Spot since 2025: no header, µs times, a trailing is_best_match column.
    const spot = csv(join(d, 'BTCUSDT-trades-2025-01-01.csv'), [
      '4494000002,42314.20,0.500,21157.1,1735689600000123,False,True',
    ]);
    const dbPath = db();
    await importAll([futures, spot], dbPath);
    expect(await query(dbPath, `SELECT ${TRADE_COLS} FROM trades ORDER BY exch_ts`)).toEqual([
      ['binance-futures', 'BTCUSDT', 1704067200012000, 1704067200012000, 4494000001, 42314.1, 0.015, -1],
      ['binance-futures', 'BTCUSDT', 1735689600000123, 1735689600000123, 4494000002, 42314.2, 0.5, 1],
    ]);
  });

  it('maps bookTicker to book_ticker: seq = update_id, local_ts from event_time', async () => {
    const file = zip(join(sub(), 'BTCUSDT-bookTicker-2024-01-01.zip'), [TICKER_HEADER, ...TICKER_ROWS]);
    const dbPath = db();
    const [result] = await importAll([file], dbPath, undefined, { feedLatencyUs: 1000 });
    expect(result).toMatchObject({ status: 'imported', rows: { book_ticker: 2 } });
    expect(
      await query(
        dbPath,
        'SELECT exch_ts, local_ts, seq, bid_price, bid_qty, ask_price, ask_qty FROM book_ticker ORDER BY seq',
      ),
    ).toEqual([
      [1704067200005000, 1704067200010000, 3761222000001, 42314.1, 5.12, 42314.2, 0.87],
      [1704067200011000, 1704067200015000, 3761222000002, 42314.1, 5.1, 42314.2, 0.99],
    ]);
  });

  it('skips a file already imported, under any name', async () => {
    const d = sub();
    const file = zip(join(d, 'BTCUSDT-aggTrades-2024-01-01.zip'), [AGG_HEADER, ...AGG_ROWS]);
    const dbPath = db();
    await importAll([file], dbPath);
    const copy = join(d, 'copy-of-BTCUSDT-aggTrades-2024-01-01.zip');
    copyFileSync(file, copy);
    const again = await importAll([file, copy], dbPath, undefined, { kind: 'aggTrades', symbol: 'BTCUSDT' });
    expect(again).toEqual([
      { status: 'already-imported', lines: 3 },
      { status: 'already-imported', lines: 3 },
    ]);
    expect(await query(dbPath, 'SELECT count(*) FROM trades')).toEqual([[2]]);
  });

  it('refuses a malformed line with file:line and keeps nothing of that file', async () => {
    const d = sub();
    const good = csv(join(d, 'BTCUSDT-aggTrades-2024-01-01.csv'), AGG_ROWS);
    const bad = csv(join(d, 'BTCUSDT-aggTrades-2024-01-02.csv'), [
      AGG_HEADER,
      '2010000003,42314.10,0.015,1,1,1704153600000,true',
      '2010000004,42314.10,abc,1,1,1704153600001,true',
    ]);
    const dbPath = db();
    await importAll([good], dbPath);
    const err = await importError(importAll([bad], dbPath));
    expect(err.message).toBe(`${bad}:3: column quantity: "abc" is not a number`);
    expect(await query(dbPath, 'SELECT count(*) FROM trades')).toEqual([[2]]);
    expect(await query(dbPath, 'SELECT count(*) FROM imports')).toEqual([[1]]);

    const shortRow = csv(join(d, 'BTCUSDT-aggTrades-2024-01-03.csv'), ['1,2,3']);
    expect((await importError(importAll([shortRow], dbPath))).message).toBe(
      `${shortRow}:1: 3 columns, expected 7 or 8; is this the right kind of file?`,
    );
    const badBool = csv(join(d, 'BTCUSDT-aggTrades-2024-01-04.csv'), ['1,2,3,4,5,1704153600000,maybe']);
    expect((await importError(importAll([badBool], dbPath))).message).toMatch(
      /:1: column is_buyer_maker: "maybe" is not true or false$/,
    );
  });

  it('rolls back the instrument it added when the file fails', async () => {
    const bad = csv(join(sub(), 'BTCUSDT-aggTrades-2024-01-01.csv'), [AGG_ROWS[0]!, 'x']);
    const dbPath = db();
    await importError(importAll([bad], dbPath));
    expect(await query(dbPath, 'SELECT count(*) FROM instruments')).toEqual([[0]]);
  });

  it('names the symbol and the flags when no instrument is known, and uses the store once it is', async () => {
    const d = sub();
    const day1 = csv(join(d, 'BTCUSDT-aggTrades-2024-01-01.csv'), AGG_ROWS);
    const dbPath = db();
    const err = await importError(importAll([day1], dbPath, {}));
    expect(err.message).toMatch(
      /: no instrument for binance-futures BTCUSDT in the flags or the store; pass --exchange-info <exchangeInfo\.json> \(a saved GET https:\/\/fapi\.binance\.com\/fapi\/v1\/exchangeInfo\) or --instrument '\{"exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0\.1,"stepSize":0\.001\}'/,
    );
    await importAll([day1], dbPath);
    const day2 = csv(join(d, 'BTCUSDT-aggTrades-2024-01-02.csv'), [
      '2010000009,42000,1,1,1,1704153600000,false',
    ]);
    const [result] = await importAll([day2], dbPath, {});
    expect(result).toMatchObject({ status: 'imported', rows: { instruments: 0, trades: 1 } });
  });

  it('takes instruments from --exchange-info, with the fee flags', async () => {
    const d = sub();
    const info = join(d, 'exchangeInfo.json');
    writeFileSync(
      info,
      JSON.stringify({
        symbols: [
          {
            symbol: 'BTCUSDT',
            filters: [
              { filterType: 'PRICE_FILTER', tickSize: '0.10', minPrice: '556.80', maxPrice: '4529764' },
              { filterType: 'LOT_SIZE', stepSize: '0.001', minQty: '0.001', maxQty: '1000' },
              { filterType: 'MIN_NOTIONAL', notional: '100' },
            ],
          },
        ],
      }),
    );
    const file = csv(join(d, 'BTCUSDT-aggTrades-2024-01-01.csv'), AGG_ROWS);
    const dbPath = db();
    await importAll([file], dbPath, { exchangeInfo: info, makerFee: '0.00018', takerFee: '0.00045' });
    expect(
      await query(
        dbPath,
        'SELECT tick_size, step_size, min_qty, min_notional, maker_fee, taker_fee FROM instruments',
      ),
    ).toEqual([[0.1, 0.001, 0.001, 100, 0.00018, 0.00045]]);
    // New fee flags update the stored instrument with the next import.
    const day2 = csv(join(d, 'BTCUSDT-aggTrades-2024-01-02.csv'), [
      '2010000009,42000,1,1,1,1704153600000,false',
    ]);
    const [result] = await importAll([day2], dbPath, { exchangeInfo: info, makerFee: '-0.00005' });
    expect(result).toMatchObject({ rows: { instruments: 1, trades: 1 } });
    expect(await query(dbPath, 'SELECT maker_fee, taker_fee FROM instruments')).toEqual([[-0.00005, 0.0005]]);
  });

  it('sorts events once on close when files come in any order', async () => {
    const d = sub();
    const day2 = csv(join(d, 'BTCUSDT-aggTrades-2024-01-02.csv'), ['3,42000,1,1,1,1704153600000,false']);
    const day1 = csv(join(d, 'BTCUSDT-aggTrades-2024-01-01.csv'), AGG_ROWS);
    const dbPath = db();
    const results = await importAll([day2, day1], dbPath);
    // The instrument is written once: the second file finds it unchanged in the store.
    expect(results.map((r) => r.status === 'imported' && r.rows.instruments)).toEqual([1, 0]);
    const rows = await query(dbPath, 'SELECT local_ts FROM events ORDER BY rowid');
    expect(rows.map((r) => r[0])).toEqual([1704067200012000, 1704067200150000, 1704153600000000]);
  });

  it('leaves bookDepth alone: it is not a level book', async () => {
    const file = csv(join(sub(), 'BTCUSDT-bookDepth-2024-01-01.csv'), [
      'timestamp,percentage,depth,notional',
      '2024-01-01 00:00:08,-5,5631.2210,235114581.36',
    ]);
    const dbPath = db();
    const [result] = await importAll([file], dbPath);
    expect(result).toMatchObject({ status: 'unsupported', kind: 'bookDepth' });
    expect(await query(dbPath, 'SELECT count(*) FROM imports')).toEqual([[0]]);
  });

  it('needs the kind and symbol from the name or the flags, and checks a header against the kind', async () => {
    const d = sub();
    const anon = csv(join(d, 'download.csv'), AGG_ROWS);
    expect((await importError(importAll([anon], db()))).message).toBe(
      `${anon}: cannot tell the kind from the file name (expected SYMBOL-KIND-DATE.zip, e.g. BTCUSDT-aggTrades-2024-01-01.zip); pass --kind and --symbol`,
    );
    const dbPath = db();
    await importAll([anon], dbPath, undefined, { kind: 'aggTrades', symbol: 'BTCUSDT' });
    expect(await query(dbPath, 'SELECT count(*) FROM trades')).toEqual([[2]]);

    const wrong = csv(join(d, 'BTCUSDT-aggTrades-2024-02-01.csv'), [TRADES_HEADER, ...TRADES_ROWS]);
    expect((await importError(importAll([wrong], db()))).message).toBe(
      `${wrong}:1: header "${TRADES_HEADER}" is not a aggTrades header (expected ${AGG_HEADER}); check the file or --kind`,
    );
    const klines = csv(join(d, 'BTCUSDT-klines-2024-01-01.csv'), ['1']);
    expect((await importError(importAll([klines], db()))).message).toMatch(
      /"klines" archives are not supported; botp imports aggTrades, trades, bookTicker, bookDepth/,
    );
  });

  it('refuses a zip that does not hold exactly one file, and a truncated zip', async () => {
    const d = sub();
    const two = join(d, 'BTCUSDT-aggTrades-2024-01-01.zip');
    writeZip(two, { 'a.csv': AGG_ROWS.join('\n'), 'b.csv': AGG_ROWS.join('\n') });
    expect((await importError(importAll([two], db()))).message).toBe(
      `${two} holds 2 files (a.csv, b.csv); pass a zip holding exactly one CSV, or the CSV itself`,
    );
    const cut = join(d, 'BTCUSDT-aggTrades-2024-01-02.zip');
    writeFileSync(cut, Buffer.from('PK\x03\x04 truncated download'));
    expect((await importError(importAll([cut], db()))).message).toMatch(
      /: cannot read it as a zip file \(.*\); is the download complete\?$/,
    );
  });
});
