import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { RunMetrics } from '../run-store/run-metrics.js';
import { RUN_SCHEMA_DDL } from '../run-store/run-schema.js';

/** 2023-11-14 22:13:20 UTC: runs that start here cross UTC midnight within two hours. */
export const FIXTURE_T0 = 1_700_000_000_000_000;

/** Survives into the page only if escaping is broken; the tests look for it. */
export const HOSTILE_TEXT = '</script><script>window.__pwned = true</script><!--';

export interface FixtureRunOptions {
  readonly strategy?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** Round trips on BTCUSDT (ETHUSDT gets a third as many); 0 = a run that never trades. */
  readonly roundTrips?: number;
  /** BTCUSDT price samples (ETHUSDT gets a fifteenth); more than the point budget to exercise downsampling. */
  readonly priceRows?: number;
  readonly hours?: number;
  readonly seed?: number;
  /** Tables created but left without a single row. */
  readonly noRows?: boolean;
  /** Written into summary.json instead of a valid summary (run_meta keeps the valid one). */
  readonly summaryJsonText?: string;
}

export interface FixtureRun {
  readonly dir: string;
  readonly fills: number;
  readonly trades: number;
  readonly btcPriceRows: number;
  readonly metrics: RunMetrics;
}

type Cell = number | bigint | string | boolean | null;

/** mulberry32: a small seeded PRNG so fixtures are identical on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Readonly<Record<string, Cell>>;

/**
 * Appends rows by column name, in the table's own column order; columns a row does not name
 * stay null, so the fixture keeps working as the run schema gains columns.
 */
async function append(conn: DuckDBConnection, table: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = (
    await conn.runAndReadAll(
      `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`,
    )
  )
    .getRowsJS()
    .map((r) => String(r[0]));
  const unknown = Object.keys(rows[0] ?? {}).filter((k) => !cols.includes(k));
  if (unknown.length > 0) throw new Error(`fixture names columns ${unknown.join(', ')} that ${table} lacks`);
  const app = await conn.createAppender(table);
  for (const row of rows) {
    for (const c of cols) {
      const v = row[c] ?? null;
      if (v === null) app.appendNull();
      else if (typeof v === 'bigint') app.appendBigInt(v);
      else if (typeof v === 'number') app.appendDouble(v);
      else if (typeof v === 'boolean') app.appendBoolean(v);
      else app.appendVarchar(v);
    }
    app.endRow();
  }
  app.closeSync();
}

interface Market {
  readonly symbol: string;
  readonly rows: number;
  readonly stepUs: number;
  readonly base: number;
  readonly tick: number;
}

/** The synthetic mid at sample i; the SQL that fills `prices` computes the same expression. */
const midSql = (m: Market) =>
  `round((${m.base} + ${m.base * 0.004} * sin(i / ${m.rows / 9}) + ${m.base * 0.0006} * sin(i / 7.0)) / ${m.tick}) * ${m.tick}`;
const mid = (m: Market, i: number) =>
  Math.round(
    (m.base + m.base * 0.004 * Math.sin(i / (m.rows / 9)) + m.base * 0.0006 * Math.sin(i / 7)) / m.tick,
  ) * m.tick;

/** A run folder as a finished backtest leaves it: run.duckdb per RUN_SCHEMA_DDL plus summary.json. */
export async function writeFixtureRun(dir: string, opts: FixtureRunOptions = {}): Promise<FixtureRun> {
  mkdirSync(dir, { recursive: true });
  const rand = prng(opts.seed ?? 42);
  const hours = opts.hours ?? 26;
  const spanUs = hours * 3_600_000_000;
  const btcRows = opts.noRows ? 0 : (opts.priceRows ?? 30_000);
  const markets: Market[] = [
    {
      symbol: 'BTCUSDT',
      rows: btcRows,
      stepUs: Math.floor(spanUs / Math.max(1, btcRows)),
      base: 37_000,
      tick: 0.1,
    },
    {
      symbol: 'ETHUSDT',
      rows: Math.ceil(btcRows / 15),
      stepUs: Math.floor(spanUs / Math.max(1, Math.ceil(btcRows / 15))),
      base: 2_050,
      tick: 0.01,
    },
  ];
  const strategy = opts.strategy ?? 'obi-scalper';
  const params = opts.params ?? { levels: 5, threshold: 0.3 };
  const trips = opts.noRows ? 0 : (opts.roundTrips ?? 36);

  const fills: Row[] = [];
  const orders: Row[] = [];
  const trades: Row[] = [];
  const positions: Row[] = [];
  // Realized PnL steps (exit time, amount) and open intervals for marking equity.
  const realized: { ts: number; pnl: number }[] = [];
  const open: { m: Market; from: number; to: number; dir: number; qty: number; entry: number }[] = [];
  let orderSeq = 0;
  let makerVolume = 0;
  let volume = 0;
  let makerFees = 0;
  let takerFees = 0;
  const latencies: number[] = [];

  const fill = (
    m: Market,
    i: number,
    side: 'buy' | 'sell',
    qty: number,
    maker: boolean,
    posAfter: number,
  ) => {
    const ts = FIXTURE_T0 + i * m.stepUs;
    const midPx = mid(m, i);
    const price = Number(
      (side === 'buy' ? (maker ? midPx - m.tick : midPx) : maker ? midPx : midPx - m.tick).toFixed(8),
    );
    const fee = Number((price * qty * (maker ? 0.0002 : 0.0005)).toFixed(8));
    const id = `bp-${++orderSeq}`;
    const latency = Math.round(400 + rand() ** 3 * 90_000);
    latencies.push(latency);
    const common = { client_order_id: id, symbol: m.symbol, side, price, qty, tag: 'entry' };
    fills.push({
      ...common,
      fee,
      liquidity: maker ? 'maker' : 'taker',
      exch_ts: BigInt(ts - 3_000),
      local_ts: BigInt(ts),
      position_after: posAfter,
    });
    orders.push({
      ...common,
      type: 'limit',
      time_in_force: maker ? 'GTX' : 'IOC',
      reduce_only: false,
      status: 'filled',
      filled_qty: qty,
      avg_fill_price: price,
      created_ts: BigInt(ts - latency),
      updated_ts: BigInt(ts),
      first_fill_ts: BigInt(ts),
    });
    positions.push({ ts: BigInt(ts), symbol: m.symbol, qty: posAfter });
    volume += price * qty;
    if (maker) {
      makerVolume += price * qty;
      makerFees += fee;
    } else takerFees += fee;
    return { price, fee, ts };
  };

  for (const m of markets) {
    const n = m === markets[0] ? trips : Math.floor(trips / 3);
    if (n === 0 || m.rows < 4) continue;
    const slot = Math.floor((m.rows - 2) / n);
    for (let k = 0; k < n; k++) {
      const start = 1 + k * slot + Math.floor(rand() * slot * 0.3);
      const hold = Math.max(1, Math.floor(slot * (0.1 + rand() * 0.5)));
      const dir = rand() < 0.55 ? 1 : -1;
      const qty =
        m.symbol === 'BTCUSDT'
          ? 0.001 * (5 + Math.floor(rand() * 40))
          : 0.01 * (10 + Math.floor(rand() * 90));
      const maker = rand() < 0.7;
      const a = fill(m, start, dir > 0 ? 'buy' : 'sell', qty, maker, dir * qty);
      const b = fill(m, start + hold, dir > 0 ? 'sell' : 'buy', qty, rand() < 0.5, 0);
      const gross = dir * (b.price - a.price) * qty;
      const fees = a.fee + b.fee;
      const net = gross - fees;
      trades.push({
        symbol: m.symbol,
        direction: dir > 0 ? 'long' : 'short',
        entry_ts: BigInt(a.ts),
        exit_ts: BigInt(b.ts),
        entry_price: a.price,
        exit_price: b.price,
        qty,
        gross_pnl: gross,
        fees,
        funding: 0,
        net_pnl: net,
        holding_s: (b.ts - a.ts) / 1e6,
        mae: -Math.abs(gross) * 0.6 - 0.5,
        mfe: Math.abs(gross) * 0.8 + 0.3,
      });
      realized.push({ ts: b.ts, pnl: net });
      open.push({ m, from: a.ts, to: b.ts, dir, qty, entry: a.price });
    }
  }
  // Orders that never filled: some canceled, one rejected post-only.
  for (let k = 0; k < Math.min(8, trips); k++) {
    const ts = FIXTURE_T0 + Math.floor((k + 0.5) * (spanUs / 8));
    orders.push({
      client_order_id: `bp-${++orderSeq}`,
      symbol: 'BTCUSDT',
      side: k % 2 ? 'buy' : 'sell',
      type: 'limit',
      time_in_force: 'GTX',
      price: 37_000,
      qty: 0.01,
      reduce_only: false,
      tag: 'quote',
      status: k === 0 ? 'rejected' : 'canceled',
      filled_qty: 0,
      created_ts: BigInt(ts),
      updated_ts: BigInt(ts + 2_000_000),
      reject_code: k === 0 ? '-5022' : null,
      reject_message:
        k === 0
          ? 'Due to the order could not be executed as maker, the Post Only order will be rejected.'
          : null,
    });
  }
  fills.sort((x, y) => Number((x.local_ts as bigint) - (y.local_ts as bigint)));
  positions.sort((x, y) => Number((x.ts as bigint) - (y.ts as bigint)));
  realized.sort((x, y) => x.ts - y.ts);

  // Equity once a minute and at every fill: realized so far plus the open trips marked to mid.
  const sampleTs = new Set<number>();
  if (!opts.noRows) for (let t = FIXTURE_T0; t <= FIXTURE_T0 + spanUs; t += 60_000_000) sampleTs.add(t);
  for (const f of fills) sampleTs.add(Number(f.local_ts as bigint));
  const equity: Row[] = [];
  let peak = 0;
  let maxDd = 0;
  let ddStart: number | null = null;
  let ddEnd: number | null = null;
  let peakTs = FIXTURE_T0;
  let r = 0;
  let realizedSum = 0;
  for (const ts of [...sampleTs].sort((x, y) => x - y)) {
    while (r < realized.length && (realized[r] as { ts: number }).ts <= ts)
      realizedSum += (realized[r++] as { pnl: number }).pnl;
    let unrealized = 0;
    let exposure = 0;
    for (const o of open) {
      if (ts < o.from || ts >= o.to) continue;
      const i = Math.min(o.m.rows - 1, Math.floor((ts - FIXTURE_T0) / o.m.stepUs));
      const px = mid(o.m, i);
      unrealized += o.dir * (px - o.entry) * o.qty;
      exposure += px * o.qty;
    }
    const eq = realizedSum + unrealized;
    if (eq > peak) {
      peak = eq;
      peakTs = ts;
    }
    const dd = peak - eq;
    if (dd > maxDd) {
      maxDd = dd;
      ddStart = peakTs;
      ddEnd = ts;
    }
    equity.push({
      ts: BigInt(ts),
      equity: eq,
      realized_pnl: realizedSum,
      unrealized_pnl: unrealized,
      fees: 0,
      funding: 0,
      drawdown: dd,
      gross_exposure: exposure,
    });
  }

  const nets = trades.map((t) => t.net_pnl as number);
  const wins = nets.filter((x) => x > 0);
  const losses = nets.filter((x) => x <= 0);
  const netPnl = equity.length > 0 ? (equity[equity.length - 1]?.equity as number) : 0;
  const capital = 2_000;
  const sortedLat = [...latencies].sort((x, y) => x - y);
  const pct = (p: number) =>
    sortedLat.length === 0
      ? null
      : (sortedLat[Math.min(sortedLat.length - 1, Math.floor(p * sortedLat.length))] as number);
  const metrics: RunMetrics = {
    starting_capital: capital,
    net_pnl: netPnl,
    gross_pnl: trades.reduce((a, t) => a + (t.gross_pnl as number), 0),
    fees: makerFees + takerFees,
    maker_fees: makerFees,
    taker_fees: takerFees,
    funding: 0,
    return_pct: netPnl / capital,
    sharpe: hours >= 48 ? 1.4 : null,
    sortino: hours >= 48 ? 2.1 : null,
    calmar: maxDd > 0 ? 3.2 : null,
    max_drawdown: maxDd,
    max_drawdown_pct: maxDd / capital,
    max_drawdown_start_ts: ddStart,
    max_drawdown_end_ts: ddEnd,
    round_trips: trades.length,
    win_rate: trades.length > 0 ? wins.length / trades.length : null,
    profit_factor:
      losses.length > 0 && wins.length > 0
        ? wins.reduce((a, b) => a + b, 0) / -losses.reduce((a, b) => a + b, 0)
        : null,
    expectancy: trades.length > 0 ? nets.reduce((a, b) => a + b, 0) / trades.length : null,
    avg_holding_s:
      trades.length > 0 ? trades.reduce((a, t) => a + (t.holding_s as number), 0) / trades.length : null,
    maker_share: volume > 0 ? makerVolume / volume : 0,
    fill_ratio: orders.length > 0 ? fills.length / orders.length : null,
    exposure: open.reduce((a, o) => a + (o.to - o.from), 0) / spanUs,
    order_to_fill_p50_us: pct(0.5),
    order_to_fill_p90_us: pct(0.9),
    order_to_fill_p99_us: pct(0.99),
    unfilled_ratio_max: orders.length > 0 ? 0.42 : null,
    cancel_within_5s_ratio_max: orders.length > 0 ? 0.1 : null,
    ioc_fok_expiry_ratio_max: null,
  };
  const summary = {
    strategy,
    symbols: markets.map((m) => m.symbol),
    from_ts: FIXTURE_T0,
    to_ts: FIXTURE_T0 + spanUs,
    events: btcRows * 40,
    orders: orders.length,
    orders_rejected: orders.filter((o) => o.status === 'rejected').length,
    fills: fills.length,
    volume,
    maker_share: metrics.maker_share,
    fees: metrics.fees,
    funding: 0,
    realized_pnl: realizedSum,
    unrealized_pnl: netPnl - realizedSum,
    net_pnl: netPnl,
    max_drawdown: maxDd,
    final_position: { BTCUSDT: 0, ETHUSDT: 0 },
    depth_gaps: 0,
    signals: 0,
    latency: 'constant:10000:10000',
    queue: 'risk-averse',
    fills_mode: 'partial',
    elapsed_s: 1.25,
    events_per_s: btcRows * 32,
    metrics,
  };

  const instance = await DuckDBInstance.create(join(dir, 'run.duckdb'));
  const conn = await instance.connect();
  try {
    for (const ddl of RUN_SCHEMA_DDL) await conn.run(ddl);
    const meta: Record<string, string> = {
      strategy,
      started_at: '2026-01-02T03:04:05.000Z',
      data_path: 'examples/data/demo.duckdb',
      data_fingerprint: 'sha256:3f7a9c0e5d2b4a6f8e1c3b5d7f9a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d0f2a',
      code_version: '0.1.0+5de64a0',
      argv: JSON.stringify(['backtest', 'strategy.ts', '--data', 'demo.duckdb', '--label', HOSTILE_TEXT]),
      config: JSON.stringify({ risk: { maxPosition: 0.1 }, capital }),
      params: JSON.stringify(params),
      summary: JSON.stringify(summary),
    };
    await append(
      conn,
      'run_meta',
      Object.entries(meta).map(([key, value]) => ({ key, value })),
    );
    for (const m of markets) {
      if (m.rows === 0) continue;
      await conn.run(
        `INSERT INTO prices SELECT CAST(${FIXTURE_T0} + i * ${m.stepUs} AS BIGINT), '${m.symbol}', m - ${m.tick}, m
         FROM (SELECT i, ${midSql(m)} AS m FROM range(${m.rows}) t(i))`,
      );
    }
    await append(conn, 'fills', fills);
    await append(conn, 'orders', orders);
    await append(conn, 'trades', trades);
    await append(conn, 'equity', equity);
    await append(conn, 'positions', positions);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  writeFileSync(join(dir, 'summary.json'), opts.summaryJsonText ?? `${JSON.stringify(summary, null, 2)}\n`);
  return { dir, fills: fills.length, trades: trades.length, btcPriceRows: btcRows, metrics };
}
