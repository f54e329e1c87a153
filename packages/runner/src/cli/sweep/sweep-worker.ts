// A sweep worker thread: runs the jobs the main thread sends, one at a time, each into its own
// run folder, and answers with the outcome.
import { parentPort } from 'node:worker_threads';
import { StrategyError } from '../../kernel/strategy-error.js';
import { loadStrategy } from '../../loader/load-strategy.js';
import { renderReport } from '../../report/render-report.js';
import { executeRun } from '../../run-store/execute-run.js';
import { createLogger } from '../logger.js';
import { UserError } from '../user-error.js';
import type { SweepJob, SweepOutcome } from './sweep-messages.js';

const port = parentPort;
if (port === null) throw new Error('sweep-worker.js runs as a worker thread of botp backtest --sweep');

port.on('message', async (job: SweepJob) => {
  port.postMessage(await run(job));
});

async function run(job: SweepJob): Promise<SweepOutcome> {
  try {
    const strategy = await loadStrategy(job.settings.strategyPath);
    const result = await executeRun({
      settings: job.settings,
      strategy,
      outDir: job.outDir,
      logger: createLogger(job.logLevel),
      argv: job.argv,
    });
    if (job.report) await renderReport(job.outDir);
    return { index: job.index, ok: true, netPnl: result.summary.net_pnl, fills: result.summary.fills };
  } catch (err) {
    const kind = err instanceof UserError ? 'user' : err instanceof StrategyError ? 'strategy' : 'internal';
    const message =
      kind === 'internal' && err instanceof Error
        ? (err.stack ?? err.message)
        : err instanceof Error
          ? err.message
          : String(err);
    return { index: job.index, ok: false, kind, message };
  }
}
