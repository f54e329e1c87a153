import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticDataset } from '@botplatform/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/tick-store.js';

// `botp sim-exchange` as a user starts it: a tick store served as a Binance USD-M loopback.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');
const tmp = tempDir();
const db = join(tmp.dir, 'market.duckdb');
let child: ChildProcess | undefined;

beforeAll(async () => {
  expect(existsSync(cli), 'build the CLI first: pnpm build').toBe(true);
  await writeSyntheticDataset(db, { seed: 3, durationUs: 60_000_000 });
});
afterAll(() => {
  child?.kill('SIGKILL');
  tmp.cleanup();
});

/** Starts the server and resolves with the lines it printed up to "Ctrl-C to stop." */
function start(): Promise<{ proc: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [cli, 'sim-exchange', '--data', db, '--speed', 'max'], {
      cwd: root,
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no banner in 60 s: ${out}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve({ proc, out });
      }
    });
    proc.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

describe('botp sim-exchange', () => {
  it('serves the store over Binance REST with signed orders, and stops cleanly on SIGINT', async () => {
    const { proc, out } = await start();
    child = proc;
    const rest = /REST\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    const key = /API key\s+(\S+)/.exec(out)?.[1];
    const secret = /API secret\s+(\S+)/.exec(out)?.[1];
    expect(rest && key && secret).toBeTruthy();

    const info = (await (await fetch(`${rest}/fapi/v1/exchangeInfo`)).json()) as {
      symbols: { symbol: string }[];
    };
    expect(info.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT']);
    const depth = (await (await fetch(`${rest}/fapi/v1/depth?symbol=BTCUSDT&limit=5`)).json()) as {
      bids: unknown[];
      lastUpdateId: number;
    };
    expect(depth.bids.length).toBeGreaterThan(0);

    const server = (await (await fetch(`${rest}/fapi/v1/time`)).json()) as { serverTime: number };
    const sign = (q: string) => `${q}&signature=${createHmac('sha256', secret!).update(q).digest('hex')}`;
    // At --speed max the server clock jumps with the replay (up to the 60 s the data spans)
    // between reading it and sending: Binance's widest recvWindow keeps the timestamp valid.
    const query = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=45000&recvWindow=60000&timestamp=${server.serverTime}`;
    const placed = await fetch(`${rest}/fapi/v1/order?${sign(query)}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': key! },
    });
    expect(placed.status, await placed.clone().text()).toBe(200);
    expect(((await placed.json()) as { status: string }).status).toBe('NEW');
    const now = (await (await fetch(`${rest}/fapi/v1/time`)).json()) as { serverTime: number };
    const unsigned = query.replace(/timestamp=\d+/, `timestamp=${now.serverTime}`);
    const forged = await fetch(`${rest}/fapi/v1/order?${unsigned}&signature=${'0'.repeat(64)}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': key! },
    });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { code: number }).code).toBe(-1022);

    const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    child = undefined;
  });

  it('refuses a missing data file with one line, exit 2', () => {
    const r = spawnSync(process.execPath, [cli, 'sim-exchange', '--data', join(tmp.dir, 'nope.duckdb')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
