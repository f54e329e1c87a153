import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from './zip-writer.test-support.js';

// Runs the built CLI as a user does (`pnpm test` builds first): exit codes and one-line errors.
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');
const BTC = '{"exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001}';
const AGG_HEADER = 'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker';

function botp(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  expect(existsSync(cli), 'build the CLI first: pnpm build').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'botp-import-cmd-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function archive(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeZip(path, { [name.replace(/\.zip$/, '.csv')]: `${lines.join('\n')}\n` });
  return path;
}

describe('botp import binance-vision', () => {
  it('imports archives, reports rows per table, and skips them the second time', () => {
    const day1 = archive('BTCUSDT-aggTrades-2024-01-01.zip', [
      AGG_HEADER,
      '1,42000.1,0.5,1,1,1704067200012,true',
      '2,42000.2,1.5,2,3,1704067200015,false',
    ]);
    const db = join(dir, 'a.duckdb');
    const r = botp(
      'import',
      'binance-vision',
      day1,
      '--db',
      db,
      '--instrument',
      BTC,
      '--feed-latency',
      '4000',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `imported 3 lines from ${day1} into ${db}\n  instruments           1 rows\n  trades                2 rows\n`,
    );
    const again = botp('import', 'binance-vision', day1, '--db', db);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${day1} was already imported into ${db} (same content); skipped\n`);
  });

  it('warns that local_ts has no feed latency unless --feed-latency is given', () => {
    const file = archive('BTCUSDT-aggTrades-2024-01-02.zip', ['3,42000.1,0.5,4,4,1704153600012,true']);
    const r = botp('import', 'binance-vision', file, '--db', join(dir, 'b.duckdb'), '--instrument', BTC);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^botp: warning: binance-vision archives hold exchange time only, .*--feed-latency <µs>.*\n$/,
    );
  });

  it('fails with one line naming file:line and exit code 2 on a malformed row', () => {
    const bad = archive('BTCUSDT-aggTrades-2024-01-03.zip', [
      AGG_HEADER,
      '4,42000.1,0.5,5,5,1704240000012,yes',
    ]);
    const db = join(dir, 'c.duckdb');
    const r = botp('import', 'binance-vision', bad, '--db', db, '--instrument', BTC, '--feed-latency', '0');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`botp: ${bad}:2: column is_buyer_maker: "yes" is not true or false\n`);
  });

  it('names the missing instrument and the flags that give it', () => {
    const file = archive('ETHUSDT-trades-2024-01-01.zip', ['1,2281.5,1,2281.5,1704067200012,false']);
    const r = botp('import', 'binance-vision', file, '--db', join(dir, 'd.duckdb'));
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^botp: .*ETHUSDT-trades-2024-01-01\.zip: no instrument for binance-futures ETHUSDT in the flags or the store; pass --exchange-info <exchangeInfo\.json>/,
    );
  });

  it('refuses bad flags and missing files in one line', () => {
    const latency = botp('import', 'binance-vision', 'x.zip', '--db', 'x.duckdb', '--feed-latency', '5ms');
    expect(latency.code).toBe(2);
    expect(latency.stderr).toBe(
      'botp: --feed-latency: must be a whole number of µs (e.g. 5000 for 5 ms); see botp import --help\n',
    );
    const fee = botp('import', 'binance-vision', 'x.zip', '--db', 'x.duckdb', '--maker-fee', '2');
    expect(fee.stderr).toMatch(/^botp: --maker-fee must be below 0\.01 .*\n$/);
    const missing = botp('import', 'binance-vision', 'missing.zip', '--db', join(dir, 'e.duckdb'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('botp: input file missing.zip not found; check the path\n');
    expect(existsSync(join(dir, 'e.duckdb'))).toBe(false);
    const noDb = botp('import', 'binance-vision', 'x.zip');
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/required option '--db <file\.duckdb>' not specified/);
  });

  it('skips bookDepth with a message, and fails when that was all', () => {
    const file = archive('BTCUSDT-bookDepth-2024-01-01.zip', [
      'timestamp,percentage,depth,notional',
      '2024-01-01 00:00:08,-1,1250.5,52500000',
    ]);
    const r = botp('import', 'binance-vision', file, '--db', join(dir, 'f.duckdb'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^botp: .*bookDepth-2024-01-01\.zip not imported: bookDepth is cumulative depth per ±% band/,
    );
    expect(r.stderr).toMatch(/\nbotp: nothing imported: the file is bookDepth, which botp does not import/);
  });

  it('explains the mapping, bookDepth and local_ts in --help', () => {
    const r = botp('import', 'binance-vision', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bookDepth +-> nothing/);
    expect(r.stdout).toMatch(/--feed-latency/);
    expect(r.stdout).toMatch(/--exchange-info <file\.json>/);
  });
});

describe('botp import tardis', () => {
  it('imports a gzipped dataset', () => {
    const file = join(dir, 'binance-futures_trades_2024-01-01_BTCUSDT.csv.gz');
    writeFileSync(
      file,
      gzipSync(
        'exchange,symbol,timestamp,local_timestamp,id,side,price,amount\n' +
          'binance-futures,BTCUSDT,1704067200012000,1704067200015000,1,sell,42000.1,0.5\n',
      ),
    );
    const db = join(dir, 'g.duckdb');
    const r = botp('import', 'tardis', file, '--db', db, '--instrument', BTC);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `imported 2 lines from ${file} into ${db}\n  instruments           1 rows\n  trades                1 rows\n`,
    );
  });
});
