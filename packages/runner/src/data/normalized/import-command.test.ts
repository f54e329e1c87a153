import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerImportCommand } from '../../cli/commands/import.js';
import { UserError } from '../../cli/user-error.js';

// Lives beside the importer it drives: `botp import normalized` is a thin shell over it.
const LINES = [
  '{"type":"instrument","exchange":"binance-futures","symbol":"BTCUSDT","tickSize":0.1,"stepSize":0.001}',
  '{"type":"trade","exchange":"binance-futures","symbol":"BTCUSDT","exchTs":1,"localTs":2,"tradeId":1,"price":50000,"qty":0.4,"side":"sell"}',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'botp-import-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function botp(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerImportCommand(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'botp', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('botp import normalized', () => {
  it('prints rows per table, then a skip note on the second run', async () => {
    const file = join(dir, 'events.jsonl');
    const db = join(dir, 'store.duckdb');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    const first = await botp('import', 'normalized', file, '--db', db);
    expect(first).toContain(`imported 2 lines from ${file} into ${db}`);
    expect(first).toMatch(/ trades +1 rows\n/);
    expect(first).toMatch(/ instruments +1 rows\n/);
    expect(await botp('import', 'normalized', file, '--db', db)).toBe(
      `${file} was already imported into ${db} (same content); skipped\n`,
    );
  });

  it('lets UserErrors through for the main program to print', async () => {
    await expect(
      botp('import', 'normalized', join(dir, 'none.jsonl'), '--db', join(dir, 'x.duckdb')),
    ).rejects.toThrow(UserError);
  });
});
