import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { compareRuns, comparisonJson, formatComparison } from '../../report/compare-runs.js';
import { writeCsv } from '../../run-store/csv-file.js';
import type { BacktestSettings } from '../backtest-settings.js';
import { UserError } from '../user-error.js';
import { pointDirName, type SweepAxis, sweepPoints } from './parse-sweep.js';
import type { SweepJob, SweepOutcome } from './sweep-messages.js';

export interface SweepOptions {
  readonly settings: BacktestSettings;
  readonly grid: readonly SweepAxis[];
  /** The sweep's folder: one run folder per point inside, plus sweep.csv. */
  readonly outDir: string;
  readonly argv: readonly string[];
  readonly logLevel: string;
  readonly report: boolean;
  readonly json: boolean;
  /** --workers; default one per core (never more than the points). */
  readonly workers?: string;
}

/**
 * `botp backtest --sweep`: every point of the grid is one backtest (params = the config's and
 * --params, with the point's values over them) run in a pool of worker threads, each into its
 * own run folder. Points are independent and each run is deterministic, so the results do not
 * depend on the number of workers. The first failing point stops the sweep with its message.
 */
export async function runSweep(opts: SweepOptions): Promise<void> {
  const points = sweepPoints(opts.grid);
  const workers = workerCount(opts.workers, points.length);
  mkdirSync(opts.outDir, { recursive: true });
  const jobs: SweepJob[] = points.map((point, index) => ({
    index,
    settings: { ...opts.settings, params: { ...opts.settings.params, ...point } },
    outDir: join(opts.outDir, pointDirName(index, point, points.length)),
    argv: opts.argv,
    logLevel: opts.logLevel,
    report: opts.report,
  }));
  process.stderr.write(
    `botp: sweep of ${points.length} runs on ${workers} worker thread(s) into ${opts.outDir}\n`,
  );
  const outcomes = await runPool(jobs, workers, (done) => {
    if (process.stderr.isTTY) process.stderr.write(`\r  ${done}/${jobs.length} runs done`);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');

  const comparison = await compareRuns(jobs.map((j) => j.outDir));
  const names = opts.grid.map((a) => a.name);
  writeCsv(
    join(opts.outDir, 'sweep.csv'),
    ['run', ...names, ...comparison.metrics.map((r) => r.key)],
    jobs.length,
    (i) => [
      pointDirName(i, points[i]!, points.length),
      ...names.map((n) => points[i]![n]),
      ...comparison.metrics.map((r) => r.values[i] ?? null),
    ],
  );
  if (opts.json) process.stdout.write(`${JSON.stringify(comparisonJson(comparison), null, 2)}\n`);
  else {
    process.stdout.write(`\n${formatComparison(comparison)}\n`);
    const best = outcomes.reduce((b, o) => (o.netPnl > b.netPnl ? o : b));
    process.stdout.write(
      `\n  best net PnL: ${jobs[best.index]!.outDir} (${best.netPnl}); all points in ${join(opts.outDir, 'sweep.csv')}\n`,
    );
  }
}

function workerCount(flag: string | undefined, points: number): number {
  if (flag === undefined) return Math.max(1, Math.min(availableParallelism(), points));
  const n = Number(flag);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--workers ${flag} must be a whole number ≥ 1`);
  return Math.min(n, points);
}

type Success = Extract<SweepOutcome, { ok: true }>;

/** Runs the jobs on `size` worker threads; resolves with every outcome in job order. */
function runPool(
  jobs: readonly SweepJob[],
  size: number,
  onDone: (done: number) => void,
): Promise<Success[]> {
  return new Promise((resolvePool, reject) => {
    const results: Success[] = new Array(jobs.length);
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const stop = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(err);
    };
    const feed = (w: Worker) => {
      if (next < jobs.length) w.postMessage(jobs[next++]);
      else void w.terminate();
    };
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./sweep-worker.js', import.meta.url));
      pool.push(w);
      w.on('message', (o: SweepOutcome) => {
        if (failed) return;
        if (!o.ok) {
          const where = `sweep run ${jobs[o.index]!.outDir}`;
          stop(
            o.kind === 'internal'
              ? new Error(`${where}: ${o.message}`)
              : new UserError(`${where}: ${o.message}`, o.kind === 'strategy' ? 1 : 2),
          );
          return;
        }
        results[o.index] = o;
        onDone(++done);
        if (done === jobs.length) {
          resolvePool(results);
          for (const p of pool) void p.terminate();
        } else feed(w);
      });
      w.on('error', (err) => stop(err));
      feed(w);
    }
  });
}
