import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BinanceLoopback, startBinanceLoopback } from '@botplatform/exchanges';
import { writeSyntheticDataset } from '@botplatform/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbFile } from '../packages/runner/src/data/duckdb-file.js';

// `botp live` as a user runs it, against the Binance USD-M loopback exchange (real wire
// protocol, orders matched by the simulated exchange): --paper, and real mode with the
// loopback's test keys, killed with SIGKILL and restarted from its state file.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');
// Under the repo (tmp/ is ignored) so the strategy resolves @botplatform/sdk as a user's would.
const work = join(root, 'tmp', `live-e2e-${process.pid}`);
const strategy = join(work, 'strategy.ts');
const children = new Set<ChildProcess>();
let lb: BinanceLoopback;

/** Keeps one post-only bid at the best bid; counts starts, books and fills in ctx.state. */
const STRATEGY = `import { defineStrategy, z } from '@botplatform/sdk';
export default defineStrategy({
  name: 'e2e-bidder',
  params: z.object({ qty: z.number().default(0.01) }),
  create(ctx, p) {
    const n = (k: string) => (ctx.state[k] as number | undefined) ?? 0;
    return {
      onStart() { ctx.state.starts = n('starts') + 1; },
      onBook(book, symbol) {
        ctx.state.books = n('books') + 1;
        if (ctx.openOrders(symbol).length > 0 || Number.isNaN(book.bestBid())) return;
        ctx.placeOrder({ symbol, side: 'buy', type: 'limit', timeInForce: 'GTX', price: book.bestBid(), qty: p.qty });
      },
      onFill() { ctx.state.fills = n('fills') + 1; },
    };
  },
});
`;

beforeAll(async () => {
  expect(existsSync(cli), 'build the CLI first: pnpm build').toBe(true);
  mkdirSync(work, { recursive: true });
  writeFileSync(strategy, STRATEGY);
  lb = await startBinanceLoopback({ speed: 1, seed: 11 });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await lb?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Live {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  out(): string;
  err(): string;
}

/** Spawns `botp live`; `killAfterMs` bounds runs that are expected to end by themselves. */
function live(args: string[], env: Record<string, string> = {}, killAfterMs?: number): Live {
  const proc = spawn(process.execPath, [cli, 'live', strategy, '--symbol', 'BTCUSDT', ...args], {
    cwd: work,
    env: { ...process.env, BINANCE_API_KEY: '', BINANCE_API_SECRET: '', ...env },
  });
  if (killAfterMs !== undefined) setTimeout(() => proc.kill('SIGKILL'), killAfterMs).unref();
  children.add(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      children.delete(proc);
      resolve(code);
    }),
  );
  return { proc, exited, out: () => out, err: () => err };
}

const endpoints = () => ['--rest-url', lb.restUrl, '--ws-url', lb.wsUrl, '--ws-api-url', lb.wsApiUrl];
const keys = () => ({ BINANCE_API_KEY: lb.apiKey, BINANCE_API_SECRET: lb.apiSecret });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A real-money run's flags, on the loopback, with its state file. */
const realArgs = (state: string) => [
  '--state',
  state,
  '--stop-timeout',
  '3000',
  '--no-report',
  '--log-level',
  'warn',
  ...endpoints(),
];

async function until(cond: () => boolean, ms: number, what: string, l?: Live): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${l ? `\nstderr: ${l.err()}` : ''}`);
    await sleep(50);
  }
}

/** Starts a real-money `botp live` with the loopback's keys and waits for its banner. */
async function startReal(args: string[], what: string): Promise<Live> {
  const l = live(args, keys());
  await until(() => l.err().includes('(REAL MONEY)'), 30_000, what, l);
  return l;
}

/** A signed GET on the loopback's REST API, as the account's owner. */
async function signedGet<T>(path: string): Promise<T> {
  const q = `symbol=BTCUSDT&timestamp=${lb.nowMs()}`;
  const sig = createHmac('sha256', lb.apiSecret).update(q).digest('hex');
  const r = await fetch(`${lb.restUrl}${path}?${q}&signature=${sig}`, {
    headers: { 'X-MBX-APIKEY': lb.apiKey },
  });
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as T;
}

const openOrders = () => signedGet<{ clientOrderId: string }[]>('/fapi/v1/openOrders');
const position = async () =>
  Number(
    (await signedGet<{ positionAmt: string }[]>('/fapi/v3/positionRisk')).find(
      (p) => p.positionAmt !== undefined,
    )?.positionAmt ?? 0,
  );

async function query(path: string, sql: string): Promise<unknown[][]> {
  const db = await openDuckDbFile(path, { readOnly: true });
  try {
    return (await db.conn.runAndReadAll(sql)).getRowsJS();
  } finally {
    db.close();
  }
}

const latestState = async (path: string) =>
  JSON.parse(
    String((await query(path, 'SELECT snapshot FROM strategy_snapshots ORDER BY seq DESC LIMIT 1'))[0]![0]),
  ).state as Record<string, number>;

function botp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('botp live against the Binance loopback', () => {
  it('--paper: trades on the loopback’s market data, exits 0 on SIGINT, and writes a run folder botp compare puts next to a backtest', async () => {
    const l = live([
      '--paper',
      '--state',
      'paper.duckdb',
      '--out',
      'paper-run',
      '--no-report',
      '--log-level',
      'warn',
      ...endpoints(),
    ]);
    await until(
      () => l.err().includes('botp live: e2e-bidder on binance-futures (paper)'),
      30_000,
      'the start',
      l,
    );
    await sleep(3000);
    l.proc.kill('SIGINT');
    expect(await l.exited, l.err()).toBe(0);
    expect(l.out()).toMatch(/run folder paper-run: summary\.json/);
    const summary = JSON.parse(readFileSync(join(work, 'paper-run', 'summary.json'), 'utf8'));
    expect(summary.strategy).toBe('e2e-bidder');
    expect(summary.orders).toBeGreaterThan(0);
    expect(summary.latency).toBe('constant:10000:10000');
    expect(await openOrders()).toEqual([]); // paper orders never reach the exchange

    const state = join(work, 'paper.duckdb');
    expect(await query(state, "SELECT count(*) > 0 FROM orders WHERE status = 'pending'")).toEqual([[true]]);
    expect(await query(state, 'SELECT count(*) > 0, min(exchange) FROM order_latency')).toEqual([
      [true, 'paper:binance-futures'],
    ]);

    const db = join(work, 'market.duckdb');
    await writeSyntheticDataset(db, { seed: 3, durationUs: 30_000_000 });
    expect(botp('backtest', strategy, '--data', db, '--out', 'bt-run', '--no-report', '--json').code).toBe(0);
    const cmp = botp('compare', 'paper-run', 'bt-run');
    expect(cmp.stderr).toBe('');
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/paper-run\s+bt-run/);
  });

  it('real mode: after SIGKILL a restart adopts the open order instead of placing another, keeps the position and resumes the strategy; SIGINT cancels', async () => {
    const state = join(work, 'real.duckdb');
    const args = realArgs('real.duckdb');
    const first = await startReal([...args, '--out', 'real-1'], 'the first start');
    await sleep(3000); // more than one flush
    const before = await openOrders();
    expect(before).toHaveLength(1); // the strategy keeps one bid
    const resting = before[0]!.clientOrderId;
    first.proc.kill('SIGKILL');
    await first.exited;
    const held = await position();
    expect((await openOrders()).map((o) => o.clientOrderId)).toEqual([resting]);
    expect(await query(state, 'SELECT epoch, ended_at FROM runs')).toEqual([[1, null]]);
    const booksBefore = (await latestState(state)).books!;
    expect(booksBefore).toBeGreaterThan(0);

    const second = await startReal([...args, '--out', 'real-2'], 'the restart');
    expect(second.err()).toContain(`position BTCUSDT ${held}; 1 open order(s) adopted`);
    await sleep(1500);
    // Still one bid: the adopted one (or, if it filled meanwhile, its single successor).
    const during = await openOrders();
    expect(during.length).toBeLessThanOrEqual(1);
    second.proc.kill('SIGINT');
    expect(await second.exited, second.err()).toBe(0);
    expect(await openOrders()).toEqual([]); // canceled on the way out

    const summary = JSON.parse(readFileSync(join(work, 'real-2', 'summary.json'), 'utf8'));
    expect(summary.final_position.BTCUSDT).toBeCloseTo(await position(), 9);
    const resumed = await latestState(state);
    expect(resumed.starts).toBe(2);
    expect(resumed.books).toBeGreaterThan(booksBefore);
    const adopted = await query(
      state,
      `SELECT DISTINCT epoch FROM orders WHERE client_order_id = '${resting}' ORDER BY epoch`,
    );
    expect(adopted).toEqual([[1], [2]]);
    // Ids are never reused: each id was sent once (one pending row), across both runs.
    expect(
      await query(
        state,
        "SELECT count(*) FROM (SELECT client_order_id FROM orders WHERE status = 'pending' GROUP BY 1 HAVING count(*) > 1)",
      ),
    ).toEqual([[0n]]);
    expect(await query(state, 'SELECT epoch, ended_at IS NOT NULL FROM runs ORDER BY epoch')).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('real mode: an order that filled while botp was down is replayed on restart: the strategy hears every fill once, at the exchange’s price and fee', async () => {
    const state = join(work, 'missed.duckdb');
    const args = realArgs('missed.duckdb');
    const first = await startReal([...args, '--out', 'missed-1'], 'the first start');
    await sleep(2000);
    const before =
      await signedGet<{ clientOrderId: string; price: string; origQty: string }[]>('/fapi/v1/openOrders');
    expect(before).toHaveLength(1);
    first.proc.kill('SIGKILL');
    await first.exited;
    const { clientOrderId: bid, price, origQty } = before[0]!;

    // While botp is down, the market trades through its bid.
    lb.inject({
      type: 'trade',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exchTs: 0,
      localTs: 0,
      tradeId: 0,
      price: Number(price) - 1,
      qty: 5,
      side: 'sell',
    });
    const filled = (await openOrders()).every((o) => o.clientOrderId !== bid);
    expect(filled).toBe(true);

    const second = await startReal([...args, '--out', 'missed-2'], 'the restart');
    await sleep(1500);
    second.proc.kill('SIGINT');
    expect(await second.exited, second.err()).toBe(0);

    // The bid's fills: its whole quantity, at its price, as maker, with the maker fee; the
    // ones made while botp was down recorded by the second run.
    const rows = (await query(
      state,
      `SELECT epoch, price, qty, fee, liquidity FROM fills WHERE client_order_id = '${bid}' ORDER BY exch_ts`,
    )) as [number, number, number, number, string][];
    expect(rows.reduce((q, r) => q + r[2], 0)).toBeCloseTo(Number(origQty), 9);
    expect(rows.at(-1)![0]).toBe(2);
    const maker = lb.instruments[0]!.makerFee;
    for (const [, px, qty, fee, liquidity] of rows) {
      expect(px).toBe(Number(price));
      expect(liquidity).toBe('maker');
      expect(fee).toBeCloseTo(px * qty * maker, 8);
    }
    // Every fill heard exactly once: the strategy's count is the state file's rows.
    const [[allFills]] = (await query(state, 'SELECT count(*) FROM fills')) as [[bigint]];
    expect((await latestState(state)).fills).toBe(Number(allFills));
    const summary = JSON.parse(readFileSync(join(work, 'missed-2', 'summary.json'), 'utf8'));
    expect(summary.final_position.BTCUSDT).toBeCloseTo(await position(), 9);
  });

  it('refuses what it cannot run with one line and exit 2', async () => {
    const noKeys = live(['--state', 'x.duckdb', ...endpoints()], {}, 20_000);
    expect(await noKeys.exited).toBe(2);
    expect(noKeys.err().trim()).toMatch(/^botp: real trading needs BINANCE_API_KEY and BINANCE_API_SECRET/);
    expect(noKeys.err().trim().split('\n')).toHaveLength(1);

    const tickStore = join(work, 'ticks.duckdb');
    await writeSyntheticDataset(tickStore, { seed: 1, durationUs: 5_000_000 });
    const foreign = live(['--paper', '--state', tickStore, ...endpoints()], {}, 20_000);
    expect(await foreign.exited).toBe(2);
    expect(foreign.err().trim()).toMatch(/is not a botp live state file \(no state_meta/);

    // The state file of the real-money run above.
    const other = live(['--paper', '--state', 'real.duckdb', ...endpoints()], {}, 20_000);
    expect(await other.exited).toBe(2);
    expect(other.err().trim()).toMatch(/was written by a real-money run and this is a --paper run/);

    const down = live(['--paper', '--state', 'y.duckdb', '--rest-url', 'http://127.0.0.1:9'], {}, 20_000);
    expect(await down.exited).toBe(2);
    expect(down.err().trim()).toMatch(
      /^botp: binance-futures: could not list its instruments: .*; check --rest-url/,
    );
  });
});
