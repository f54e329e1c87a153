import type { Command } from 'commander';
import { compareRuns, comparisonJson, formatComparison } from '../../report/compare-runs.js';

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('print the metrics of several runs side by side (parameter studies, live vs backtest)')
    .argument('<run-dirs...>', 'run folders (each holding a summary.json)')
    .option('--json', 'print the comparison as JSON instead of a table')
    .action(async (runDirs: string[], flags: { json?: boolean }) => {
      const comparison = await compareRuns(runDirs);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(comparisonJson(comparison), null, 2)}\n`
          : `\n${formatComparison(comparison)}\n`,
      );
    });
}
