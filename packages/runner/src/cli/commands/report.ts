import type { Command } from 'commander';
import { renderReport } from '../../report/render-report.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('(re-)render a run folder’s report.html from its run.duckdb')
    .argument('<run-dir>', 'run folder written by botp backtest --out')
    .action(async (runDir: string) => {
      const out = await renderReport(runDir);
      process.stdout.write(`wrote ${out}\n`);
    });
}
