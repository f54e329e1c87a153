import { type Command, InvalidArgumentError } from 'commander';
import {
  formatVerifyReport,
  summaryLine,
  verifyReportJson,
} from '../../data/inspect/format-verify-report.js';
import { DEFAULT_MAX_EXAMPLES } from '../../data/inspect/row-checks.js';
import { verifyStore } from '../../data/inspect/verify-store.js';

/**
 * `botp data verify <db> [--json] [--max-examples N]`: checks a tick store's data; exit 0 when
 * clean, 1 when a check found problems, 2 for a user error (missing file, not a tick store).
 */
export function registerDataVerifyCommand(data: Command): void {
  data
    .command('verify')
    .description(
      'check a tick store: depth sequence, crossed books, timestamp order, clock skew, missing instruments (exit 1 on problems)',
    )
    .argument('<db>', 'tick store (.duckdb)')
    .option('--json', 'print the report as JSON (the summary line goes to stderr)')
    .option('--max-examples <n>', 'offending rows listed per check', count, DEFAULT_MAX_EXAMPLES)
    .action(async (db: string, flags: { json?: boolean; maxExamples: number }) => {
      const report = await verifyStore(db, { maxExamples: flags.maxExamples });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(verifyReportJson(report), null, 2)}\n`);
        process.stderr.write(`${summaryLine(report)}\n`);
      } else process.stdout.write(`${formatVerifyReport(report)}\n`);
      if (report.problems > 0) process.exitCode = 1;
    });
}

function count(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('--max-examples must be a whole number ≥ 0');
  return Number(v);
}
