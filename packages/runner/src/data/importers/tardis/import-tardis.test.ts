import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagInstrumentResolver, type InstrumentFlagValues } from '../../../cli/instrument-flags.js';
import { UserError } from '../../../cli/user-error.js';
import type { MarketDataEngine } from '../../../kernel/market-data-engine.js';
import { TickStoreWriter } from '../../tick-store-writer.js';
import type { ImportOnceResult } from '../import-once.js';
import { query, replayBooks } from '../store-queries.test-support.js';
import { importTardisFile } from './import-tardis.js';

const BTC = '{"exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001}';
const ETH = '{"exchange":"binance-futures","symbol":"ETHUSDT","tickSize":0.01,"stepSize":0.001}';
const XBT = '{"exchange":"bitmex","symbol":"XBTUSD","tickSize":0.5,"stepSize":1}';

// Headers as documented at https://docs.tardis.dev/downloadable-csv-files (data types).
const L2 = 'exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount';
const TRADES = 'exchange,symbol,timestamp,local_timestamp,id,side,price,amount';
const QUOTES = 'exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount';
const DERIV =
  'exchange,symbol,timestamp,local_timestamp,funding_timestamp,funding_rate,predicted_funding_rate,open_interest,last_price,index_price,mark_price';
const snapshotHeader = (levels: number): string => {
  const cols = ['exchange', 'symbol', 'timestamp', 'local_timestamp'];
  for (let i = 0; i < levels; i++) {
    cols.push(`asks[${i}].price`, `asks[${i}].amount`, `bids[${i}].price`, `bids[${i}].amount`);
  }
  return cols.join(',');
};

const T0 = 1704067200000000;
const row = (...fields: (string | number)[]): string => fields.join(',');
const l2 = (
  sym: string,
  ts: number,
  lag: number,
  snap: boolean,
  side: string,
  price: number,
  amount: number,
) => row('binance-futures', sym, ts, ts + lag, String(snap), side, price, amount);

/** A day's start as tardis writes it: buffered diffs, the snapshot, then diffs (one message per timestamp pair). */
const BOOK_DAY = [
  L2,
  l2('BTCUSDT', T0 - 5000, 3000, false, 'bid', 42310, 1), // before the first snapshot: skipped
  l2('BTCUSDT', T0, 52000, true, 'ask', 42314.2, 1.5),
  l2('BTCUSDT', T0, 52000, true, 'ask', 42314.5, 2),
  l2('BTCUSDT', T0, 52000, true, 'bid', 42314.1, 3),
  l2('BTCUSDT', T0, 52000, true, 'bid', 42313, 4),
  l2('ETHUSDT', T0 + 1000, 51000, true, 'bid', 2281.5, 10),
  l2('ETHUSDT', T0 + 1000, 51000, true, 'ask', 2281.6, 12),
  l2('BTCUSDT', T0 + 100_000, 4000, false, 'bid', 42314.1, 2.5),
  l2('BTCUSDT', T0 + 100_000, 4000, false, 'ask', 42314.2, 0),
  l2('ETHUSDT', T0 + 150_000, 4000, false, 'ask', 2281.6, 11),
  l2('BTCUSDT', T0 + 200_000, 4000, false, 'ask', 42314.3, 1),
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-tardis-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const db = (): string => join(dir, `store-${n++}.duckdb`);
function csv(lines: readonly string[], name = `data-${n++}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
function gz(lines: readonly string[], name = `data-${n++}.csv.gz`): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(`${lines.join('\n')}\n`));
  return path;
}

async function importAll(
  files: readonly string[],
  dbPath: string,
  flags: InstrumentFlagValues = { instrument: [BTC, ETH, XBT] },
): Promise<ImportOnceResult[]> {
  const resolver = FlagInstrumentResolver.fromFlags(flags);
  const writer = await TickStoreWriter.open(dbPath);
  try {
    const out: ImportOnceResult[] = [];
    for (const f of files) out.push(await importTardisFile(f, writer, { resolver }));
    return out;
  } finally {
    await writer.close();
  }
}

function book(engine: MarketDataEngine, symbols: string[], symbol: string) {
  const b = engine.books[symbols.indexOf(symbol)]!;
  return { bids: b.levels(1, 50), asks: b.levels(-1, 50) };
}

async function importError(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('importTardisFile: incremental_book_L2', () => {
  it('turns a snapshot plus diffs into depth messages whose replay gives the expected books', async () => {
    const dbPath = db();
    const [result] = await importAll([gz(BOOK_DAY)], dbPath);
    expect(result).toMatchObject({
      status: 'imported',
      lines: 12,
      rows: { instruments: 2, depth: 10 },
      notes: [
        'BTCUSDT: 1 book rows before its first snapshot skipped (updates tardis buffered before the snapshot; they apply to no known book)',
      ],
    });
    // One seq per message, consecutive per symbol; exch_ts/local_ts from timestamp/local_timestamp.
    expect(
      await query(
        dbPath,
        `SELECT symbol, seq, prev_seq, is_snapshot, count(*), min(exch_ts), min(local_ts) FROM depth
         GROUP BY ALL ORDER BY min(local_ts), symbol`,
      ),
    ).toEqual([
      ['BTCUSDT', 1, 0, true, 4, T0, T0 + 52000],
      ['ETHUSDT', 1, 0, true, 2, T0 + 1000, T0 + 52000],
      ['BTCUSDT', 2, 1, false, 2, T0 + 100_000, T0 + 104_000],
      ['ETHUSDT', 2, 1, false, 1, T0 + 150_000, T0 + 154_000],
      ['BTCUSDT', 3, 2, false, 1, T0 + 200_000, T0 + 204_000],
    ]);
    const { engine, symbols } = await replayBooks(dbPath);
    expect(engine.gapCount).toBe(0);
    expect(book(engine, symbols, 'BTCUSDT')).toEqual({
      bids: [
        [42314.1, 2.5],
        [42313, 4],
      ],
      asks: [
        [42314.3, 1],
        [42314.5, 2],
      ],
    });
    expect(book(engine, symbols, 'ETHUSDT')).toEqual({ bids: [[2281.5, 10]], asks: [[2281.6, 11]] });
  });

  it('replaces the book at a later snapshot (a reconnect) and continues seq across files', async () => {
    const dbPath = db();
    await importAll([csv(BOOK_DAY)], dbPath);
    const T1 = T0 + 86_400_000_000;
    const nextDay = [
      L2,
      l2('BTCUSDT', T1, 50000, true, 'bid', 43000, 1),
      l2('BTCUSDT', T1, 50000, true, 'ask', 43000.5, 2),
      l2('BTCUSDT', T1 + 100_000, 1000, false, 'bid', 43000, 0.5),
    ];
    const [result] = await importAll([csv(nextDay)], dbPath, { instrument: [BTC] });
    expect(result).toMatchObject({ status: 'imported', rows: { depth: 3 }, notes: [] });
    expect(
      await query(
        dbPath,
        `SELECT DISTINCT seq, prev_seq FROM depth WHERE symbol = 'BTCUSDT' AND exch_ts >= ${T1} ORDER BY seq`,
      ),
    ).toEqual([
      [4, 3],
      [5, 4],
    ]);
    const { engine, symbols } = await replayBooks(dbPath);
    expect(engine.gapCount).toBe(0);
    expect(book(engine, symbols, 'BTCUSDT')).toEqual({ bids: [[43000, 0.5]], asks: [[43000.5, 2]] });
  });

  it('refuses a malformed row with file:line and keeps nothing of that file', async () => {
    const dbPath = db();
    const bad = csv([...BOOK_DAY.slice(0, 5), l2('BTCUSDT', T0, 52000, true, 'middle', 42313, 4)]);
    const err = await importError(importAll([bad], dbPath));
    expect(err.message).toBe(`${bad}:6: column side: "middle" is not bid or ask`);
    const badPrice = csv([L2, row('binance-futures', 'BTCUSDT', T0, T0, 'true', 'bid', '-1', '1')]);
    expect((await importError(importAll([badPrice], dbPath))).message).toBe(
      `${badPrice}:2: column price: "-1" must be greater than 0`,
    );
    expect(await query(dbPath, 'SELECT count(*) FROM events')).toEqual([[0]]);
    expect(await query(dbPath, 'SELECT count(*) FROM instruments')).toEqual([[0]]);
    expect(await query(dbPath, 'SELECT count(*) FROM imports')).toEqual([[0]]);
  });
});

describe('importTardisFile: other datasets', () => {
  it('maps book_snapshot_25 rows to depth snapshots that each replace the book', async () => {
    const empty = (k: number): string[] => Array.from({ length: k * 4 }, () => '');
    const lines = [
      snapshotHeader(25),
      row(
        'binance-futures',
        'BTCUSDT',
        T0,
        T0 + 3000,
        42314.2,
        1.5,
        42314.1,
        3,
        42314.5,
        2,
        42313,
        4,
        ...empty(23),
      ),
      row('binance-futures', 'BTCUSDT', T0 + 100_000, T0 + 103_000, 42314.3, 1, 42314.1, 2.5, ...empty(24)),
    ];
    const dbPath = db();
    const [result] = await importAll([gz(lines)], dbPath);
    expect(result).toMatchObject({ status: 'imported', rows: { depth: 6 } });
    expect(
      await query(
        dbPath,
        'SELECT seq, prev_seq, bool_and(is_snapshot), count(*) FROM depth GROUP BY ALL ORDER BY seq',
      ),
    ).toEqual([
      [1, 0, true, 4],
      [2, 1, true, 2],
    ]);
    const { engine, symbols } = await replayBooks(dbPath);
    expect(engine.gapCount).toBe(0);
    expect(book(engine, symbols, 'BTCUSDT')).toEqual({ bids: [[42314.1, 2.5]], asks: [[42314.3, 1]] });
  });

  it('maps quotes to book_ticker, skipping rows with an empty side', async () => {
    const lines = [
      QUOTES,
      row('binance-futures', 'BTCUSDT', T0, T0 + 2500, 0.87, 42314.2, 42314.1, 5.12),
      row('binance-futures', 'BTCUSDT', T0 + 1000, T0 + 3500, '', '', 42314.1, 5.1),
    ];
    const dbPath = db();
    const [result] = await importAll([csv(lines)], dbPath);
    expect(result).toMatchObject({
      rows: { book_ticker: 1 },
      notes: ['1 quotes with an empty side skipped'],
    });
    expect(
      await query(
        dbPath,
        'SELECT exch_ts, local_ts, seq, bid_price, bid_qty, ask_price, ask_qty FROM book_ticker',
      ),
    ).toEqual([[T0, T0 + 2500, 0, 42314.1, 5.12, 42314.2, 0.87]]);
  });

  it('maps derivative_ticker to mark_price and open_interest, once per change', async () => {
    const F = 1704096000000000; // next funding time, µs
    const lines = [
      DERIV,
      row('binance-futures', 'BTCUSDT', T0, T0 + 1000, '', '', '', 81234.5, 42314.1, '', ''),
      row(
        'binance-futures',
        'BTCUSDT',
        T0 + 1_000_000,
        T0 + 1_001_000,
        F,
        0.0001,
        '',
        81234.5,
        42314.1,
        42320.5,
        42315.2,
      ),
      row(
        'binance-futures',
        'BTCUSDT',
        T0 + 1_500_000,
        T0 + 1_501_000,
        F,
        0.0001,
        '',
        81234.5,
        42316.0,
        42320.5,
        42315.2,
      ),
      row(
        'binance-futures',
        'BTCUSDT',
        T0 + 2_000_000,
        T0 + 2_001_000,
        F,
        0.00012,
        '',
        81300,
        42316.0,
        42320.6,
        42315.9,
      ),
    ];
    const dbPath = db();
    const [result] = await importAll([csv(lines)], dbPath);
    expect(result).toMatchObject({
      rows: { mark_price: 2, open_interest: 2 },
      notes: [
        '1 derivative_ticker rows lacked mark_price, index_price, funding_rate or funding_timestamp: no mark_price row for them',
      ],
    });
    expect(
      await query(
        dbPath,
        'SELECT exch_ts, local_ts, mark_price, index_price, funding_rate, next_funding_ts FROM mark_price ORDER BY exch_ts',
      ),
    ).toEqual([
      [T0 + 1_000_000, T0 + 1_001_000, 42315.2, 42320.5, 0.0001, F],
      [T0 + 2_000_000, T0 + 2_001_000, 42315.9, 42320.6, 0.00012, F],
    ]);
    expect(await query(dbPath, 'SELECT exch_ts, open_interest FROM open_interest ORDER BY exch_ts')).toEqual([
      [T0, 81234.5],
      [T0 + 2_000_000, 81300],
    ]);
  });

  it('maps trades: aggressor side, integer ids kept, others numbered, unknown sides skipped', async () => {
    const lines = [
      TRADES,
      row('binance-futures', 'BTCUSDT', T0, T0 + 2000, 4494000001, 'sell', 42314.1, 0.015),
      row('binance-futures', 'BTCUSDT', T0 + 10, T0 + 1990, 4494000002, 'buy', 42314.2, 1.2),
      row('binance-futures', 'BTCUSDT', T0 + 20, T0 + 2020, 4494000003, 'unknown', 42314.2, 1),
      row('bitmex', 'XBTUSD', T0 + 30, T0 + 2030, 'd202810a-ec78-0d65-8652-42c8168f127c', 'buy', 6425.5, 12),
    ];
    const dbPath = db();
    const [result] = await importAll([csv(lines)], dbPath);
    expect(result).toMatchObject({
      rows: { instruments: 2, trades: 3 },
      notes: [
        'XBTUSD: 1 trade ids are not integers; numbered 1, 2, ... in file order',
        '1 trades with side "unknown" skipped (no aggressor side)',
      ],
    });
    expect(
      await query(
        dbPath,
        'SELECT exchange, symbol, exch_ts, local_ts, trade_id, price, qty, side FROM trades ORDER BY exch_ts',
      ),
    ).toEqual([
      ['binance-futures', 'BTCUSDT', T0, T0 + 2000, 4494000001, 42314.1, 0.015, -1],
      ['binance-futures', 'BTCUSDT', T0 + 10, T0 + 1990, 4494000002, 42314.2, 1.2, 1],
      ['bitmex', 'XBTUSD', T0 + 30, T0 + 2030, 1, 6425.5, 12, 1],
    ]);
  });

  it('raises local_ts to the exchange time on rows whose clocks disagree', async () => {
    const lines = [TRADES, row('binance-futures', 'BTCUSDT', T0 + 500, T0, 1, 'buy', 42314.2, 1)];
    const dbPath = db();
    const [result] = await importAll([csv(lines)], dbPath);
    expect(result).toMatchObject({
      notes: [
        '1 rows had local_timestamp before timestamp (clock skew); their local_ts was raised to the exchange time',
      ],
    });
    expect(await query(dbPath, 'SELECT exch_ts, local_ts FROM trades')).toEqual([[T0 + 500, T0 + 500]]);
  });

  it('skips a file already imported', async () => {
    const dbPath = db();
    const file = gz(BOOK_DAY);
    await importAll([file], dbPath);
    expect(await importAll([file], dbPath, {})).toEqual([{ status: 'already-imported', lines: 12 }]);
    expect(await query(dbPath, 'SELECT count(*) FROM depth')).toEqual([[10]]);
  });

  it('refuses an unknown header, and names the missing instrument with file:line', async () => {
    const klines = csv(['open_time,open,high,low,close', '1,2,3,4,5']);
    expect((await importError(importAll([klines], db()))).message).toBe(
      `${klines}:1: not a tardis.dev CSV header ("open_time,open,high,low,close"); botp reads trades, incremental_book_L2, book_snapshot_25 (or _5), quotes, book_ticker, derivative_ticker`,
    );
    const okx = csv([TRADES, row('okex-swap', 'BTC-USDT-SWAP', T0, T0, 1, 'buy', 42000, 1)]);
    expect((await importError(importAll([okx], db()))).message).toBe(
      `${okx}:2: no instrument for okex-swap BTC-USDT-SWAP in the flags or the store; pass --instrument '{"exchange":"okex-swap","symbol":"BTC-USDT-SWAP","tickSize":0.1,"stepSize":0.001}' with its real tick and step size`,
    );
  });
});
