import type { Command } from 'commander';
import { importNormalized } from '../../data/normalized/import-normalized.js';

interface ImportNormalizedFlags {
  db: string;
}

/** `botp import normalized <file> --db <file.duckdb>`: fills a tick store from event lines. */
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
      const width = Math.max(...Object.keys(result.rows).map((t) => t.length));
      for (const [table, n] of Object.entries(result.rows)) {
        process.stdout.write(`  ${table.padEnd(width)}  ${String(n).padStart(10)} rows\n`);
      }
    });
}
