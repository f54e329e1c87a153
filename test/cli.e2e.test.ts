import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticMarket, toNormalizedLines } from '@botplatform/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/tick-store.js';

// Runs the built CLI exactly as a user does (`pnpm test` builds first).
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');
const scalper = join(root, 'examples/obi-scalper/strategy.ts');
const fixture = (name: string) => join(root, 'test/fixtures', name);

function botp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = tempDir();
const jsonl = join(tmp.dir, 'market.jsonl');
const db = join(tmp.dir, 'market.duckdb');

beforeAll(() => {
  expect(existsSync(cli), 'build the CLI first: pnpm build').toBe(true);
  // 90 s of synthetic market as normalized lines: the import path a user with their own data takes.
  const lines = [...toNormalizedLines(generateSyntheticMarket({ seed: 7, durationUs: 90_000_000 }))];
  writeFileSync(jsonl, `${lines.join('\n')}\n`);
});
afterAll(() => tmp.cleanup());

describe('botp import normalized + botp backtest', () => {
  it('imports a normalized file and reports the rows per table', () => {
    const r = botp('import', 'normalized', jsonl, '--db', db);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trades/);
    expect(r.stdout).toMatch(/depth/);
  });

  it('does not import the same file twice', () => {
    const r = botp('import', 'normalized', jsonl, '--db', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already imported/i);
  });

  it('backtests a TypeScript strategy with no build step and writes summary.json and fills.csv', () => {
    const out = join(tmp.dir, 'run1');
    const r = botp('backtest', scalper, '--data', db, '--out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    for (const key of [
      'events',
      'orders',
      'fills',
      'volume',
      'fees',
      'realized_pnl',
      'net_pnl',
      'max_drawdown',
      'elapsed_s',
      'events_per_s',
    ]) {
      expect(summary, key).toHaveProperty(key);
    }
    expect(summary.events).toBeGreaterThan(10_000);
    expect(summary.fills).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(summary);
    const csv = readFileSync(join(out, 'fills.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(
      'client_order_id,symbol,side,price,qty,fee,liquidity,exch_ts,local_ts,tag,position_after',
    );
    expect(csv).toHaveLength(summary.fills + 1);
    const [id, symbol, side, price, qty, fee, liquidity, exchTs, localTs] = csv[1]!.split(',');
    expect(id).toMatch(/^bp-\d+$/);
    expect(symbol).toBe('BTCUSDT');
    expect(['buy', 'sell']).toContain(side);
    expect(Number(price)).toBeGreaterThan(0);
    expect(Number(qty)).toBeGreaterThan(0);
    expect(Number.isFinite(Number(fee))).toBe(true);
    expect(['maker', 'taker']).toContain(liquidity);
    expect(Number(localTs)).toBeGreaterThan(Number(exchTs));
  });

  it('is deterministic: a second run writes a byte-identical fills.csv', () => {
    const a = join(tmp.dir, 'det-a');
    const b = join(tmp.dir, 'det-b');
    expect(botp('backtest', scalper, '--data', db, '--out', a).code).toBe(0);
    expect(botp('backtest', scalper, '--data', db, '--out', b).code).toBe(0);
    const fa = readFileSync(join(a, 'fills.csv'));
    expect(fa.length).toBeGreaterThan(100);
    expect(fa.equals(readFileSync(join(b, 'fills.csv')))).toBe(true);
    const strip = (p: string) => {
      const { elapsed_s, events_per_s, ...rest } = JSON.parse(readFileSync(join(p, 'summary.json'), 'utf8'));
      return rest;
    };
    expect(strip(a)).toEqual(strip(b));
  });

  it('runs a plain JavaScript strategy, takes liquidity and honours --params', () => {
    const r = botp('backtest', fixture('taker.mjs'), '--data', db, '--params', '{"qty":0.02}', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.fills).toBeGreaterThanOrEqual(2);
    expect(s.maker_share).toBe(0);
    expect(s.final_position).toEqual({ BTCUSDT: 0 });
    expect(s.volume).toBeGreaterThan(0);
  });

  it('restricts the replay to --from/--to', () => {
    const full = JSON.parse(botp('backtest', fixture('taker.mjs'), '--data', db, '--json').stdout);
    const r = botp(
      'backtest',
      fixture('taker.mjs'),
      '--data',
      db,
      '--json',
      '--from',
      '2023-11-14T22:13:30Z',
      '--to',
      '2023-11-14T22:14:00Z',
    );
    expect(r.code).toBe(0);
    const part = JSON.parse(r.stdout);
    expect(part.events).toBeLessThan(full.events);
    expect(part.from_ts).toBeGreaterThanOrEqual(Date.parse('2023-11-14T22:13:30Z') * 1000);
    expect(part.to_ts).toBeLessThan(Date.parse('2023-11-14T22:14:00Z') * 1000);
  });
});

describe('botp backtest --config', () => {
  it('applies the risk limits of the run config: denied orders never reach the exchange', () => {
    const cfg = join(tmp.dir, 'risk.json');
    writeFileSync(cfg, JSON.stringify({ risk: { maxOpenOrders: 1 } }));
    const free = JSON.parse(botp('backtest', scalper, '--data', db, '--json').stdout);
    const r = botp('backtest', scalper, '--data', db, '--json', '--config', cfg);
    expect(r.code).toBe(0);
    const limited = JSON.parse(r.stdout);
    // The scalper quotes both sides; with one open order allowed, the other quote is refused.
    expect(limited.orders_rejected).toBeGreaterThan(free.orders_rejected);
  });
});

describe('user errors: one clear line, exit code 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'a module without a default-exported strategy',
      [fixture('no-default.ts'), '--data', db],
      /does not default-export a strategy.*export default defineStrategy/,
    ],
    [
      'a module that does not compile',
      [fixture('syntax-error.ts'), '--data', db],
      /could not load strategy module/,
    ],
    ['a strategy file that does not exist', ['nope.ts', '--data', db], /strategy module nope\.ts not found/],
    [
      'params that fail validation',
      [scalper, '--data', db, '--params', '{"levels":"five"}'],
      /params for strategy obi-scalper are invalid: levels:/,
    ],
    [
      'params that are not JSON',
      [scalper, '--data', db, '--params', '{levels:5}'],
      /--params is not valid JSON/,
    ],
    ['a missing data file', [scalper, '--data', 'missing.duckdb'], /missing\.duckdb.*not found/],
    ['an empty time range', [scalper, '--data', db, '--from', '2030-01-01'], /no .*2030|2030.*no /i],
    [
      '--to before --from',
      [scalper, '--data', db, '--from', '2023-11-14T22:14:00Z', '--to', '2023-11-14T22:13:00Z'],
      /--to .* is not after --from/,
    ],
    ['an unknown latency model', [scalper, '--data', db, '--latency', 'gaussian:5'], /--latency.*gaussian/],
    ['an unknown queue model', [scalper, '--data', db, '--queue', 'optimistic'], /--queue.*optimistic/],
    ['an unknown symbol', [scalper, '--data', db, '--symbol', 'DOGEUSDT'], /DOGEUSDT/],
    [
      'a missing config file',
      [scalper, '--data', db, '--config', 'nope.json'],
      /config file nope\.json not found/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const r = botp('backtest', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('a config file with a misspelt risk limit', () => {
    const cfg = join(tmp.dir, 'bad-risk.json');
    writeFileSync(cfg, JSON.stringify({ risk: { maxOpenOrder: 1 } }));
    const r = botp('backtest', scalper, '--data', db, '--config', cfg);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config file .*bad-risk\.json is invalid: risk.*maxOpenOrder/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a data file that is not a tick store', () => {
    const bogus = join(tmp.dir, 'bogus.duckdb');
    writeFileSync(bogus, 'not a database');
    const r = botp('backtest', scalper, '--data', bogus);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a malformed normalized line names the file and line', () => {
    const bad = join(tmp.dir, 'bad.jsonl');
    const good = readFileSync(jsonl, 'utf8').split('\n').slice(0, 3);
    writeFileSync(bad, `${[...good, '{"type":"trade","oops":true}'].join('\n')}\n`);
    const r = botp('import', 'normalized', bad, '--db', join(tmp.dir, 'bad.duckdb'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:4:/);
  });

  it('a strategy that throws stops the run naming the callback and time, with its stack (exit 1)', () => {
    const r = botp('backtest', fixture('throws.ts'), '--data', db);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/strategy buggy threw in onTrade at 2023-11-14T22:1\d:\d\d\.\d{6}Z: boom/);
    expect(r.stderr).toMatch(/throws\.ts/);
  });
});
