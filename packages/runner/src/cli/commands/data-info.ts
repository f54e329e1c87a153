import type { Command } from 'commander';
import { formatStoreInfo, storeInfoJson } from '../../data/inspect/format-store-info.js';
import { readStoreInfo } from '../../data/inspect/store-info.js';

/** `botp data info <db> [--json]`: what a tick store holds, from SQL aggregates. */
export function registerDataInfoCommand(data: Command): void {
  data
    .command('info')
    .description(
      'summarize a tick store: instruments, per symbol and table the time range, rows, gaps and feed latency, imports',
    )
    .argument('<db>', 'tick store (.duckdb)')
    .option('--json', 'print the summary as JSON')
    .action(async (db: string, flags: { json?: boolean }) => {
      const info = await readStoreInfo(db);
      const text = flags.json ? JSON.stringify(storeInfoJson(info), null, 2) : formatStoreInfo(info);
      process.stdout.write(`${text}\n`);
    });
}
