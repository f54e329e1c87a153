import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fill, Order } from '@botplatform/sdk';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREATE_SCHEMA } from '../data/schema.js';
import type { StrategySnapshot } from '../kernel/strategy-snapshot.js';
import { type BotIdentity, LiveStateStore } from './state-store.js';

const T0 = 1_700_000_000_000_000;
const bot: BotIdentity = {
  strategy: 'quoter',
  exchange: 'binance-futures',
  symbols: ['BTCUSDT'],
  paper: true,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const order = (over: Partial<Order> = {}): Order => ({
  clientOrderId: 'x-1',
  symbol: 'BTCUSDT',
  side: 'buy',
  type: 'limit',
  timeInForce: 'GTC',
  price: 100,
  qty: 0.2,
  filledQty: 0,
  avgFillPrice: Number.NaN,
  status: 'pending',
  reduceOnly: false,
  createdTs: T0,
  updatedTs: T0,
  ...over,
});

const snapshot = (n: number): StrategySnapshot => ({
  version: 1,
  strategy: 'quoter',
  ts: T0 + n,
  state: { n },
  signals: [],
});

async function sql(path: string, q: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(path);
  const c = await inst.connect();
  try {
    return (await c.runAndReadAll(q)).getRowsJS();
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

describe('LiveStateStore', () => {
  it('round trips orders, fills, positions, the snapshot, latency and gaps; each start is a new epoch', async () => {
    const path = join(dir, 'bot.duckdb');
    const a = await LiveStateStore.open(path, bot, T0);
    expect(a.epoch).toBe(1);
    expect(a.saved).toBeUndefined();
    expect(a.meta.id_prefix).toMatch(/^bp[0-9a-z]{7}$/);
    const id = `${a.runIdPrefix}-7`;
    expect(a.isOurs(id)).toBe(true);
    expect(a.isOurs('manual-1')).toBe(false);
    let n = 1;
    a.setSnapshotSource(() => snapshot(n));
    a.recordOrder(order({ clientOrderId: id }));
    a.recordOrder(order({ clientOrderId: id, status: 'new', exchangeOrderId: '55', updatedTs: T0 + 1 }));
    const fill: Fill = {
      clientOrderId: id,
      symbol: 'BTCUSDT',
      side: 'buy',
      price: 100,
      qty: 0.05,
      fee: 0.001,
      liquidity: 'maker',
      exchTs: T0 + 2,
      localTs: T0 + 3,
      tag: 'long',
    };
    a.recordFill(fill, 0.05);
    a.recordOrder(
      order({
        clientOrderId: id,
        status: 'partiallyFilled',
        exchangeOrderId: '55',
        filledQty: 0.05,
        avgFillPrice: 100,
        updatedTs: T0 + 3,
        tag: 'long',
      }),
    );
    a.recordOrder(
      order({
        clientOrderId: 'mine',
        status: 'rejected',
        reason: { code: 'QTY_TOO_SMALL', message: 'too small', exchangeCode: -4004 },
      }),
    );
    a.recordPosition(T0 + 3, 'BTCUSDT', 0.05, 100, 'fill');
    a.recordLatency({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      reqTs: T0,
      exchTs: T0 + 1,
      respTs: T0 + 2,
    });
    a.recordGap({
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      stream: 'depth',
      fromTs: T0,
      toTs: T0 + 9,
      reason: 'pu-mismatch',
    });
    await a.flush();
    expect(a.pendingRows).toBe(0);
    n = 2; // the latest snapshot is what close writes
    await a.close(T0 + 10, '/runs/x');

    const b = await LiveStateStore.open(path, bot, T0 + 20);
    expect(b.epoch).toBe(2);
    expect(b.meta.id_prefix).toBe(a.meta.id_prefix);
    expect(b.runIdPrefix).toBe(`${a.meta.id_prefix}.2`);
    const saved = b.saved!;
    expect(saved.runs).toBe(1);
    expect(saved.snapshot).toEqual(snapshot(2));
    expect(saved.openOrders).toEqual([
      order({
        clientOrderId: id,
        status: 'partiallyFilled',
        exchangeOrderId: '55',
        filledQty: 0.05,
        avgFillPrice: 100,
        updatedTs: T0 + 3,
        tag: 'long',
      }),
    ]);
    expect([...saved.usedIds].sort()).toEqual([id, 'mine'].sort());
    expect(saved.positions).toEqual([{ symbol: 'BTCUSDT', qty: 0.05, avg_entry_price: 100 }]);
    expect(b.lastIdNumber()).toBe(7);
    expect(b.lastIdNumber([`${a.meta.id_prefix}.1-12`, 'other-99'])).toBe(12);
    await b.close(T0 + 30);

    expect(await sql(path, 'SELECT epoch, ended_at, run_dir FROM runs ORDER BY epoch')).toEqual([
      [1, BigInt(T0 + 10), '/runs/x'],
      [2, BigInt(T0 + 30), null],
    ]);
    expect(await sql(path, 'SELECT count(*) FROM fills')).toEqual([[1n]]);
    expect(await sql(path, "SELECT reason_exchange_code FROM orders WHERE client_order_id = 'mine'")).toEqual(
      [[-4004]],
    );
  });

  it('order_latency and gaps have the tick store columns (the recorded latency model reads them)', async () => {
    const path = join(dir, 'bot.duckdb');
    await (await LiveStateStore.open(path, bot, T0)).close(T0);
    const tick = join(dir, 'tick.duckdb');
    const inst = await DuckDBInstance.create(tick);
    const c = await inst.connect();
    for (const ddl of CREATE_SCHEMA) await c.run(ddl);
    const described = async (t: string) =>
      (await c.runAndReadAll(`DESCRIBE ${t}`)).getRowsJS().map((r) => [r[0], r[1]]);
    const tickCols = { latency: await described('order_latency'), gaps: await described('gaps') };
    c.closeSync();
    inst.closeSync();
    const cols = async (t: string) => (await sql(path, `DESCRIBE ${t}`)).map((r) => [r[0], r[1]]);
    expect(await cols('order_latency')).toEqual(tickCols.latency);
    expect(await cols('gaps')).toEqual(tickCols.gaps);
  });

  it('snapshots are written only when they change, and pruned to the latest 100', async () => {
    const path = join(dir, 'bot.duckdb');
    const s = await LiveStateStore.open(path, bot, T0);
    let n = 0;
    s.setSnapshotSource(() => snapshot(Math.floor(n / 2)));
    for (n = 0; n < 240; n++) await s.flush(); // 120 distinct snapshots, then close writes #121
    await s.close(T0);
    expect(await sql(path, 'SELECT count(*), min(seq), max(seq) FROM strategy_snapshots')).toEqual([
      [100n, 21n, 120n],
    ]);
  });

  it('flushes by itself every interval', async () => {
    const s = await LiveStateStore.open(join(dir, 'bot.duckdb'), bot, T0);
    const errors: unknown[] = [];
    s.startAutoFlush(20, (e) => errors.push(e));
    s.recordOrder(order());
    expect(s.pendingRows).toBe(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(s.pendingRows).toBe(0);
    expect(errors).toEqual([]);
    await s.close(T0);
  });

  it('refuses another bot, a foreign DuckDB file, a non-DuckDB file and a corrupt one, in one line', async () => {
    const path = join(dir, 'bot.duckdb');
    await (await LiveStateStore.open(path, bot, T0)).close(T0);
    await expect(LiveStateStore.open(path, { ...bot, strategy: 'other' }, T0)).rejects.toThrow(
      /belongs to strategy quoter, not other; pass another --state file/,
    );
    await expect(LiveStateStore.open(path, { ...bot, paper: false }, T0)).rejects.toThrow(
      /written by a --paper run and this is a real-money run/,
    );
    await expect(LiveStateStore.open(path, { ...bot, symbols: ['ETHUSDT'] }, T0)).rejects.toThrow(
      /trades BTCUSDT, this run ETHUSDT/,
    );

    const tick = join(dir, 'tick.duckdb');
    const inst = await DuckDBInstance.create(tick);
    const c = await inst.connect();
    for (const ddl of CREATE_SCHEMA) await c.run(ddl);
    c.closeSync();
    inst.closeSync();
    await expect(LiveStateStore.open(tick, bot, T0)).rejects.toThrow(
      /is not a botp live state file \(no state_meta/,
    );

    const text = join(dir, 'notes.duckdb');
    writeFileSync(text, 'hello, this is not a database at all\n'.repeat(200));
    await expect(LiveStateStore.open(text, bot, T0)).rejects.toThrow(
      /not a botp live state file|cannot open state file/,
    );

    const s = await LiveStateStore.open(path, bot, T0);
    s.recordOrder(order());
    await s.close(T0);
    const inst2 = await DuckDBInstance.create(path);
    const c2 = await inst2.connect();
    await c2.run("UPDATE orders SET status = 'sleeping'");
    c2.closeSync();
    inst2.closeSync();
    const err = await LiveStateStore.open(path, bot, T0).catch((e: Error) => e);
    expect(String(err)).toMatch(
      /state file .* is corrupt \(orders row 1: status: .*\); restore a backup or start with a new --state file/,
    );
    expect(String(err)).not.toMatch(/\n/);
  });
});
