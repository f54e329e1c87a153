import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticDataset } from '@botplatform/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbFile } from '../packages/runner/src/data/duckdb-file.js';
import { runSummarySchema } from '../packages/runner/src/report/run-summary.js';
import { tempDir } from './support/tick-store.js';

// The run folder a backtest leaves, through the built CLI as a user runs it.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');
const scalper = join(root, 'examples/obi-scalper/strategy.ts');
const tmp = tempDir();
const db = join(tmp.dir, 'demo.duckdb');

function botp(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** RFC 4180 lines (quoted fields may hold commas and doubled quotes; no newlines in ours). */
const csv = (dir: string, name: string) =>
  readFileSync(join(dir, name), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) =>
      [...l.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) =>
        m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'),
      ),
    );
async function query(file: string, sql: string): Promise<unknown[][]> {
  const f = await openDuckDbFile(file, { readOnly: true });
  try {
    return (await f.conn.runAndReadAll(sql)).getRowsJS();
  } finally {
    f.close();
  }
}

beforeAll(async () => {
  await writeSyntheticDataset(db, { seed: 42, durationUs: 2 * 60_000_000 });
});
afterAll(() => tmp.cleanup());

describe('botp backtest --out: the run folder', () => {
  const out = join(tmp.dir, 'run');
  let summary: ReturnType<typeof runSummarySchema.parse> & Record<string, unknown>;

  beforeAll(() => {
    const r = botp(root, 'backtest', scalper, '--data', db, '--out', out, '--no-progress', '--no-report');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  });

  it('writes every file, and the summary carries valid metrics', () => {
    for (const f of ['summary.json', 'fills.csv', 'orders.csv', 'trades.csv', 'equity.csv', 'run.duckdb'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(runSummarySchema.safeParse(summary).success).toBe(true);
  });

  it('orders.csv holds every order once with its state history; fills and trades add up to the summary', () => {
    const orders = csv(out, 'orders.csv');
    const head = orders[0]!;
    expect(orders).toHaveLength((summary.orders as number) + 1);
    const history = orders.slice(1).map((r) => r[head.indexOf('history')]!);
    expect(
      history.every((h) =>
        /^\d+ (new|rejected|filled|canceled|expired|partiallyFilled|pendingCancel)/.test(h),
      ),
    ).toBe(true);
    const rejected = orders.slice(1).filter((r) => r[head.indexOf('status')] === 'rejected');
    expect(rejected.length).toBe(summary.orders_rejected);
    for (const r of rejected) expect(r[head.indexOf('reject_code')]).not.toBe('');

    const fills = csv(out, 'fills.csv');
    expect(fills).toHaveLength((summary.fills as number) + 1);
    const trades = csv(out, 'trades.csv');
    const th = trades[0]!;
    const net = trades.slice(1).reduce((s, r) => s + Number(r[th.indexOf('net_pnl')]), 0);
    expect(net).toBeCloseTo(summary.net_pnl as number, 6);
    const metrics = summary.metrics as Record<string, number>;
    expect(metrics.round_trips).toBe(
      trades.slice(1).filter((r) => r[th.indexOf('is_open')] === 'false').length,
    );
    const equity = csv(out, 'equity.csv');
    expect(Number(equity.at(-1)![1])).toBeCloseTo(summary.net_pnl as number, 6);
  });

  it('run.duckdb holds the tables and the inputs the result traces back to', async () => {
    const file = join(out, 'run.duckdb');
    const [fills, orders, events, trades, equity, prices, positions] = (
      await query(
        file,
        `SELECT (SELECT count(*) FROM fills), (SELECT count(*) FROM orders), (SELECT count(*) FROM order_events),
              (SELECT count(*) FROM trades), (SELECT count(*) FROM equity), (SELECT count(*) FROM prices),
              (SELECT count(*) FROM positions)`,
      )
    )[0] as bigint[];
    expect(Number(fills)).toBe(summary.fills);
    expect(Number(orders)).toBe(summary.orders);
    expect(Number(events)).toBeGreaterThan(Number(orders));
    expect(Number(trades)).toBeGreaterThan(0);
    expect(Number(equity)).toBeGreaterThan(100); // 2 min at 1 s plus every fill
    expect(Number(prices)).toBeGreaterThan(1000); // 2 min at 100 ms
    expect(Number(positions)).toBe(summary.fills);
    const meta = Object.fromEntries(
      (await query(file, 'SELECT key, value FROM run_meta')) as [string, string][],
    );
    expect(meta.strategy).toBe('obi-scalper');
    expect(meta.data_fingerprint).toMatch(/^\d+ rows sha256:[0-9a-f]{32}$/);
    expect(meta.code_version).toMatch(/^@botplatform\/runner@\d+\.\d+\.\d+/);
    expect(JSON.parse(meta.params!)).toHaveProperty('levels');
    expect(JSON.parse(meta.summary!)).toEqual(summary);
  });

  it('is deterministic: a second run writes byte-identical CSVs', () => {
    const again = join(tmp.dir, 'again');
    expect(
      botp(root, 'backtest', scalper, '--data', db, '--out', again, '--no-progress', '--no-report').code,
    ).toBe(0);
    for (const f of ['fills.csv', 'orders.csv', 'trades.csv', 'equity.csv'])
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
  });
});

describe('botp.config.json and runs/<strategy>-<timestamp>', () => {
  it('picks up botp.config.json from the working directory, flags override it, runs land in runs/', () => {
    const project = join(tmp.dir, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'botp.config.json'),
      JSON.stringify({ strategy: scalper, data: db, params: { levels: 3 }, latency: 'constant:5000:5000' }),
    );
    const r = botp(
      project,
      'backtest',
      '--params',
      '{"threshold":0.4}',
      '--no-progress',
      '--no-report',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.latency).toBe('constant:5000:5000');
    const runs = readdirSync(join(project, 'runs'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^obi-scalper-\d{8}T\d{6}Z$/);
    const meta = readFileSync(join(project, 'runs', runs[0]!, 'summary.json'), 'utf8');
    expect(JSON.parse(meta).net_pnl).toBe(s.net_pnl);
  });

  it('a bad config names the key and the fix, exit 2', () => {
    const project = join(tmp.dir, 'bad-config');
    mkdirSync(project);
    writeFileSync(
      join(project, 'botp.config.json'),
      JSON.stringify({ data: db, risk: { maxOpenOrders: 'ten' }, lantency: 1 }),
    );
    const r = botp(project, 'backtest', scalper);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/botp\.config\.json is invalid: .*lantency/);
    expect(r.stderr).toMatch(/risk\.maxOpenOrders: /);
  });

  it('loads a botp.config.ts', () => {
    const project = join(tmp.dir, 'ts-config');
    mkdirSync(project);
    writeFileSync(
      join(project, 'botp.config.ts'),
      `export default { strategy: ${JSON.stringify(scalper)}, data: ${JSON.stringify(db)}, symbols: ['BTCUSDT'], queue: 'prob-power:2' };\n`,
    );
    const r = botp(project, 'backtest', '--out', 'x', '--no-progress', '--no-report', '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).queue).toBe('prob-power:2');
  });
});

describe('botp backtest --sweep', () => {
  it('runs the grid on worker threads, one run folder per point, the same results as single runs', () => {
    const out = join(tmp.dir, 'sweep');
    const r = botp(
      root,
      'backtest',
      scalper,
      '--data',
      db,
      '--out',
      out,
      '--sweep',
      'levels=3,5',
      '--sweep',
      'threshold=0.2:0.3:0.1',
      '--workers',
      '2',
      '--no-report',
    );
    expect(r.code).toBe(0);
    const dirs = readdirSync(out)
      .filter((d) => !d.endsWith('.csv'))
      .sort();
    expect(dirs).toEqual([
      '1-levels=3,threshold=0.2',
      '2-levels=3,threshold=0.3',
      '3-levels=5,threshold=0.2',
      '4-levels=5,threshold=0.3',
    ]);
    const rows = csv(out, 'sweep.csv');
    expect(rows[0]!.slice(0, 3)).toEqual(['run', 'levels', 'threshold']);
    expect(rows).toHaveLength(5);
    expect(r.stdout).toMatch(/Net PnL/);
    // A point equals the same params run alone.
    const single = join(tmp.dir, 'single');
    botp(
      root,
      'backtest',
      scalper,
      '--data',
      db,
      '--out',
      single,
      '--params',
      '{"levels":5,"threshold":0.3}',
      '--no-report',
    );
    expect(readFileSync(join(out, dirs[3]!, 'fills.csv'), 'utf8')).toBe(
      readFileSync(join(single, 'fills.csv'), 'utf8'),
    );
  });

  it('refuses a malformed sweep with one line, exit 2', () => {
    const r = botp(root, 'backtest', scalper, '--data', db, '--sweep', 'levels');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sweep 'levels' is not name=values/);
    const bad = botp(root, 'backtest', scalper, '--data', db, '--sweep', 'levels=1:5:0');
    expect(bad.stderr).toMatch(/step > 0/);
  });
});
