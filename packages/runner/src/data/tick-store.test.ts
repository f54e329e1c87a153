import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Instrument, MarketEvent } from '@botplatform/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../cli/user-error.js';
import { openDuckDbFile } from './duckdb-file.js';
import type { EventBatch } from './event-batch.js';
import { EventDecoder } from './event-decoder.js';
import { type ReplayOptions, ReplayReader } from './replay-reader.js';
import { DepthFlag, EventKind } from './schema.js';
import { TickStoreWriter } from './tick-store-writer.js';

const T0 = 1_700_000_000_000_000;
const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};
const ETH: Instrument = { ...BTC, symbol: 'ETHUSDT', tickSize: 0.01, maxQty: 10_000 };

const base = (symbol: string, localTs: number, latency = 3_000) => ({
  exchange: 'binance-futures',
  symbol,
  exchTs: localTs - latency,
  localTs,
});

const EVENTS: MarketEvent[] = [
  {
    type: 'depth',
    ...base('BTCUSDT', T0 + 4_000, 4_000),
    seq: 10,
    prevSeq: 9,
    isSnapshot: true,
    bids: [
      [50_000, 1.5],
      [49_999.9, 2.25],
    ],
    asks: [[50_000.1, 2]],
  },
  { type: 'trade', ...base('BTCUSDT', T0 + 103_000), tradeId: 1, price: 50_000, qty: 0.4, side: 'sell' },
  {
    type: 'bookTicker',
    ...base('ETHUSDT', T0 + 150_000),
    seq: 77,
    bidPrice: 3_000.01,
    bidQty: 1.1,
    askPrice: 3_000.02,
    askQty: 2,
  },
  {
    type: 'depth',
    ...base('BTCUSDT', T0 + 200_000, 9_000),
    seq: 11,
    prevSeq: 10,
    isSnapshot: false,
    bids: [],
    asks: [[50_000.1, 0]],
  },
  {
    type: 'markPrice',
    ...base('BTCUSDT', T0 + 300_000),
    markPrice: 50_000.05,
    indexPrice: 50_001,
    fundingRate: 0.0001,
    nextFundingTs: 1_700_006_400_000_000,
  },
  { type: 'openInterest', ...base('ETHUSDT', T0 + 400_000), openInterest: 81_234.5 },
  { type: 'trade', ...base('ETHUSDT', T0 + 500_000), tradeId: 2 ** 40, price: 3_000.5, qty: 3, side: 'buy' },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-tick-store-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function writeStore(events: readonly MarketEvent[], instruments = [BTC, ETH]): Promise<string> {
  const path = join(dir, `store-${fileNo++}.duckdb`);
  const writer = await TickStoreWriter.open(path);
  for (const inst of instruments) await writer.addInstrument(inst);
  for (const ev of events) writer.append(ev);
  await writer.close();
  return path;
}

async function readAll(
  path: string,
  opts: ReplayOptions = {},
): Promise<{ reader: ReplayReader; events: MarketEvent[]; batches: EventBatch[] }> {
  const reader = await ReplayReader.open(path, opts);
  const decoder = new EventDecoder(reader.instruments);
  const events: MarketEvent[] = [];
  const batches: EventBatch[] = [];
  try {
    for await (const batch of reader.batches()) {
      batches.push(batch);
      events.push(...decoder.decode(batch));
    }
  } finally {
    await reader.close();
  }
  return { reader, events, batches };
}

async function sql(path: string, query: string): Promise<Record<string, unknown>[]> {
  const file = await openDuckDbFile(path, { readOnly: true });
  try {
    return (await file.conn.runAndReadAll(query)).getRowObjectsJS();
  } finally {
    file.close();
  }
}

describe('tick store round trip', () => {
  let path: string;
  beforeAll(async () => {
    path = await writeStore(EVENTS);
  });

  it('gives back every event kind exactly, in local_ts order', async () => {
    const { events, reader } = await readAll(path);
    expect(events).toEqual(EVENTS);
    expect(reader.instruments).toEqual([BTC, ETH]);
    expect(reader.rowCount).toBe(9);
    expect(reader.firstTs).toBe(T0 + 4_000);
    expect(reader.lastTs).toBe(T0 + 500_000);
  });

  it('encodes rows as the schema says, with depth message flags', async () => {
    const { batches } = await readAll(path);
    const b = batches[0]!;
    expect(b.length).toBe(9);
    expect(Array.from(b.kind)).toEqual([2, 2, 2, 1, 3, 2, 4, 5, 1]);
    expect(Array.from(b.flags.subarray(0, 3))).toEqual([
      DepthFlag.Snapshot | DepthFlag.First,
      DepthFlag.Snapshot,
      DepthFlag.Snapshot | DepthFlag.Last,
    ]);
    expect(b.flags[5]).toBe(DepthFlag.First | DepthFlag.Last);
    expect(Array.from(b.side.subarray(0, 4))).toEqual([1, 1, -1, -1]);
    expect(b.kind[4]).toBe(EventKind.BookTicker);
    expect(b.sym[4]).toBe(1);
    expect(b.seq[8]).toBe(2 ** 40);
    expect(b.qty2[6]).toBe(1_700_006_400_000_000);
    expect(b.localTs).toBeInstanceOf(Float64Array);
  });

  it('answers the logical views with DESIGN.md column names', async () => {
    const trades = await sql(path, 'SELECT * FROM trades ORDER BY local_ts');
    expect(trades[0]).toEqual({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exch_ts: BigInt(T0 + 100_000),
      local_ts: BigInt(T0 + 103_000),
      trade_id: 1n,
      price: 50_000,
      qty: 0.4,
      side: -1,
    });
    const depth = await sql(path, 'SELECT * FROM depth ORDER BY local_ts, side DESC, price DESC');
    expect(Object.keys(depth[0]!)).toEqual([
      'exchange',
      'symbol',
      'exch_ts',
      'local_ts',
      'seq',
      'prev_seq',
      'is_snapshot',
      'side',
      'price',
      'qty',
    ]);
    expect(depth.map((r) => [r.is_snapshot, r.side, r.price, r.qty])).toEqual([
      [true, 1, 50_000, 1.5],
      [true, 1, 49_999.9, 2.25],
      [true, -1, 50_000.1, 2],
      [false, -1, 50_000.1, 0],
    ]);
    expect(await sql(path, 'SELECT * EXCLUDE (exch_ts, local_ts) FROM book_ticker')).toEqual([
      {
        exchange: 'binance-futures',
        symbol: 'ETHUSDT',
        seq: 77n,
        bid_price: 3_000.01,
        bid_qty: 1.1,
        ask_price: 3_000.02,
        ask_qty: 2,
      },
    ]);
    expect(await sql(path, 'SELECT * EXCLUDE (exch_ts, local_ts) FROM mark_price')).toEqual([
      {
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        mark_price: 50_000.05,
        index_price: 50_001,
        funding_rate: 0.0001,
        next_funding_ts: 1_700_006_400_000_000n,
      },
    ]);
    expect(await sql(path, 'SELECT symbol, open_interest FROM open_interest')).toEqual([
      { symbol: 'ETHUSDT', open_interest: 81_234.5 },
    ]);
    const inst = await sql(path, 'SELECT * FROM instruments ORDER BY sym');
    expect(inst.map((r) => [r.symbol, r.sym, r.tick_size, r.contract_size, r.max_qty])).toEqual([
      ['BTCUSDT', 0, 0.1, 1, null],
      ['ETHUSDT', 1, 0.01, 1, 10_000],
    ]);
    expect(await sql(path, 'SELECT count(*) AS n FROM gaps')).toEqual([{ n: 0n }]);
    expect(await sql(path, 'SELECT count(*) AS n FROM order_latency')).toEqual([{ n: 0n }]);
  });

  it('reports the largest feed latency of the selection', async () => {
    expect((await readAll(path)).reader.maxFeedLatencyUs).toBe(9_000);
    const eth = await readAll(path, { symbols: ['ETHUSDT'] });
    expect(eth.reader.maxFeedLatencyUs).toBe(3_000);
  });
});

describe('tick store writer', () => {
  it('sorts appends that went back in time once, on close, keeping ties in insertion order', async () => {
    const later = {
      type: 'trade',
      ...base('BTCUSDT', T0 + 900),
      tradeId: 5,
      price: 1,
      qty: 1,
      side: 'buy',
    } as const;
    const shuffled: MarketEvent[] = [EVENTS[1]!, EVENTS[0]!, later, { ...later, tradeId: 6 }, EVENTS[2]!];
    const path = await writeStore(shuffled);
    const { events } = await readAll(path);
    expect(events.map((e) => e.localTs)).toEqual([
      T0 + 900,
      T0 + 900,
      T0 + 4_000,
      T0 + 103_000,
      T0 + 150_000,
    ]);
    expect(events.slice(0, 2).map((e) => (e.type === 'trade' ? e.tradeId : 0))).toEqual([5, 6]);
    expect(events[2]).toEqual(EVENTS[0]);
  });

  it('sorts across sessions when a second writer appends older data', async () => {
    const path = await writeStore(EVENTS.slice(3));
    const writer = await TickStoreWriter.open(path);
    for (const ev of EVENTS.slice(0, 3)) writer.append(ev);
    await writer.close();
    expect((await readAll(path)).events).toEqual(EVENTS);
  });

  it('keeps sym ids stable and upserts instrument changes', async () => {
    const path = await writeStore([]);
    const writer = await TickStoreWriter.open(path);
    expect(await writer.addInstrument(ETH)).toBe(1);
    expect(await writer.addInstrument({ ...BTC, exchange: 'okx-swap' })).toBe(2);
    expect(await writer.addInstrument({ ...BTC, takerFee: 0.0004 })).toBe(0);
    await writer.close();
    const rows = await sql(path, 'SELECT exchange, symbol, sym, taker_fee FROM instruments ORDER BY sym');
    expect(rows).toEqual([
      { exchange: 'binance-futures', symbol: 'BTCUSDT', sym: 0, taker_fee: 0.0004 },
      { exchange: 'binance-futures', symbol: 'ETHUSDT', sym: 1, taker_fee: 0.0005 },
      { exchange: 'okx-swap', symbol: 'BTCUSDT', sym: 2, taker_fee: 0.0005 },
    ]);
  });

  it('refuses events of an instrument it was not told about', async () => {
    const writer = await TickStoreWriter.open(join(dir, 'unknown-symbol.duckdb'));
    try {
      expect(() => writer.append(EVENTS[1]!)).toThrow(UserError);
      expect(() => writer.append(EVENTS[1]!)).toThrow(/no instrument binance-futures BTCUSDT/);
    } finally {
      await writer.close();
    }
  });

  it('writes gaps and order latency samples', async () => {
    const path = join(dir, 'gaps.duckdb');
    const writer = await TickStoreWriter.open(path);
    writer.appendGap({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      stream: 'depth',
      fromTs: T0,
      toTs: T0 + 5,
      reason: 'reconnect',
    });
    writer.appendOrderLatency({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      reqTs: T0,
      exchTs: T0 + 2,
      respTs: T0 + 9,
    });
    await writer.close();
    expect(await sql(path, 'SELECT * FROM gaps')).toEqual([
      {
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        stream: 'depth',
        from_ts: BigInt(T0),
        to_ts: BigInt(T0 + 5),
        reason: 'reconnect',
      },
    ]);
    expect(await sql(path, 'SELECT req_ts, exch_ts, resp_ts FROM order_latency')).toEqual([
      { req_ts: BigInt(T0), exch_ts: BigInt(T0 + 2), resp_ts: BigInt(T0 + 9) },
    ]);
  });

  it('flushes on its own past the buffer size and splits deep snapshots across chunks', async () => {
    const n = 60_000;
    const bids: [number, number][] = [];
    for (let i = 0; i < 5_000; i++) bids.push([50_000 - i * 0.1, i + 1]);
    const events: MarketEvent[] = [
      { type: 'depth', ...base('BTCUSDT', T0), seq: 1, prevSeq: 0, isSnapshot: true, bids, asks: [] },
    ];
    for (let i = 0; i < n; i++) {
      events.push({
        type: 'trade',
        ...base('BTCUSDT', T0 + 1 + i),
        tradeId: i,
        price: 50_000,
        qty: 1,
        side: 'buy',
      });
    }
    const path = await writeStore(events);
    const { events: back, reader } = await readAll(path);
    expect(reader.rowCount).toBe(n + bids.length);
    expect(back.length).toBe(n + 1);
    expect(back[0]).toEqual(events[0]);
    expect(back[n]).toEqual(events[n]);
  });
});

describe('replay reader', () => {
  let path: string;
  beforeAll(async () => {
    path = await writeStore(EVENTS);
  });

  it('filters by symbol and remaps sym to the selection', async () => {
    const { events, reader, batches } = await readAll(path, { symbols: ['ETHUSDT'] });
    expect(reader.instruments).toEqual([ETH]);
    expect(events).toEqual(EVENTS.filter((e) => e.symbol === 'ETHUSDT'));
    expect(Array.from(batches[0]!.sym)).toEqual([0, 0, 0]);
    expect(reader.symIndex('ETHUSDT')).toBe(0);
    expect(reader.symIndex('binance-futures:ETHUSDT')).toBe(0);
    expect(reader.symIndex('BTCUSDT')).toBe(-1);
  });

  it('filters by [fromTs, toTs)', async () => {
    const { events, reader } = await readAll(path, { fromTs: T0 + 103_000, toTs: T0 + 300_000 });
    expect(events).toEqual(EVENTS.slice(1, 4));
    expect(reader.firstTs).toBe(T0 + 103_000);
    expect(reader.lastTs).toBe(T0 + 200_000);
  });

  it('combines symbol and time filters', async () => {
    const { events } = await readAll(path, { symbols: ['binance-futures:BTCUSDT'], fromTs: T0 + 100_000 });
    expect(events).toEqual(EVENTS.filter((e) => e.symbol === 'BTCUSDT' && e.localTs >= T0 + 100_000));
  });

  it('stops cleanly when the caller leaves early', async () => {
    const reader = await ReplayReader.open(path);
    for await (const batch of reader.batches()) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    await reader.close();
  });

  it('closes safely while a scan is left suspended with a fetch in flight', async () => {
    const reader = await ReplayReader.open(path);
    const scan = reader.batches();
    expect((await scan.next()).done).toBe(false);
    await reader.close();
    await expect(reader.close()).resolves.toBeUndefined();
    expect((await scan.next()).done).toBe(true); // and no fetch on the closed file
  });

  it('names the range and the file range when nothing matches', async () => {
    const err = await ReplayReader.open(path, { fromTs: T0 + 10_000_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `no events in ${path} from 2023-11-14T22:13:30.000000Z to the end; the file covers 2023-11-14T22:13:20.004000Z to 2023-11-14T22:13:20.500000Z`,
    );
  });

  it('refuses an unknown symbol, listing those it has', async () => {
    await expect(ReplayReader.open(path, { symbols: ['SOLUSDT'] })).rejects.toThrow(
      /symbol SOLUSDT is not in data file .* \(it holds: binance-futures:BTCUSDT, binance-futures:ETHUSDT\)/,
    );
  });

  it('says how to create a missing file', async () => {
    const missing = join(dir, 'nope.duckdb');
    await expect(ReplayReader.open(missing)).rejects.toThrow(
      `data file ${missing} not found; create one with botp import normalized <events.jsonl> --db ${missing}`,
    );
  });

  it('says an empty store holds no events', async () => {
    const empty = await writeStore([]);
    await expect(ReplayReader.open(empty)).rejects.toThrow(
      /holds no events; import some with botp import normalized/,
    );
  });

  it('refuses a file that is not a DuckDB file', async () => {
    const junk = join(dir, 'junk.duckdb');
    writeFileSync(junk, 'not a database\n'.repeat(500));
    await expect(ReplayReader.open(junk)).rejects.toThrow(
      `${junk} is not a BotPlatform tick store (not a DuckDB file)`,
    );
    await expect(TickStoreWriter.open(junk)).rejects.toThrow(UserError);
  });

  it('refuses a DuckDB file without the tick store tables', async () => {
    const other = join(dir, 'other.duckdb');
    const file = await openDuckDbFile(other);
    await file.conn.run('CREATE TABLE prices (ts BIGINT, price DOUBLE)');
    file.close();
    await expect(ReplayReader.open(other)).rejects.toThrow(`${other} is not a BotPlatform tick store`);
    await expect(TickStoreWriter.open(other)).rejects.toThrow(`${other} is not a BotPlatform tick store`);
  });

  it('refuses a tick store of another schema version', async () => {
    const old = await writeStore(EVENTS);
    const file = await openDuckDbFile(old);
    await file.conn.run("UPDATE meta SET value = '0' WHERE key = 'schema_version'");
    file.close();
    await expect(ReplayReader.open(old)).rejects.toThrow(
      /was written by another version of BotPlatform \(tick store schema 0/,
    );
  });

  it('refuses a store left unsorted by an interrupted writer, and a new writer sorts it', async () => {
    const p = await writeStore(EVENTS.slice(3));
    const file = await openDuckDbFile(p);
    await file.conn.run("INSERT INTO meta VALUES ('events_unsorted', 'true')");
    file.close();
    await expect(ReplayReader.open(p)).rejects.toThrow(/left unsorted by an interrupted write/);
    await (await TickStoreWriter.open(p)).close();
    expect((await readAll(p)).events).toEqual(EVENTS.slice(3));
  });
});
