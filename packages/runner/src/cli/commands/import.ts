import type { Command } from 'commander';
import { importNormalized } from '../../data/normalized/import-normalized.js';
import { registerImportBinanceVision } from './import-binance-vision.js';
import { printRows } from './import-files.js';
import { registerImportRaw } from './import-raw.js';
import { registerImportTardis } from './import-tardis.js';

interface ImportNormalizedFlags {
  db: string;
}

/** `botp import <format> ... --db <file.duckdb>`: fills a tick store from outside data. */
export function registerImportCommand(program: Command): void {
  const cmd = program.command('import').description('import market data into a tick store (DuckDB file)');
  cmd
    .command('normalized')
    .description('import a normalized event file: one JSON event per line, in localTs order')
    .argument(
      '<file>',
      'normalized .jsonl file (instrument, depth, trade, bookTicker, markPrice, openInterest lines)',
    )
    .requiredOption('--db <file.duckdb>', 'tick store to import into (created if absent)')
    .action(async (file: string, flags: ImportNormalizedFlags) => {
      const progress = process.stderr.isTTY
        ? (lines: number) => process.stderr.write(`\r  import ${lines.toLocaleString('en-US')} lines`)
        : undefined;
      const result = await importNormalized(file, flags.db, progress ? { onProgress: progress } : {});
      if (progress) process.stderr.write('\n');
      if (result.skipped) {
        process.stdout.write(`${file} was already imported into ${flags.db} (same content); skipped\n`);
        return;
      }
      process.stdout.write(`imported ${result.lines} lines from ${file} into ${flags.db}\n`);
      printRows(result.rows);
    });
  registerImportBinanceVision(cmd);
  registerImportTardis(cmd);
  registerImportRaw(cmd);
}
