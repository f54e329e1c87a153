import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../cli/user-error.js';
import type { RunMetrics } from '../run-store/run-metrics.js';
import { breakdownCharts } from './breakdown-charts.js';
import type { ReportPayload } from './chart-spec.js';
import { readRun } from './read-run.js';
import { type ReportModel, reportHtml } from './report-html.js';
import { runCharts, runSpan, runSymbols } from './run-charts.js';
import type { RunData } from './run-data.js';
import { parseRunSummary, type RunSummary } from './run-summary.js';

/** The most points one time chart draws at once; beyond it, min/max buckets (about 2 per pixel). */
export const DEFAULT_POINT_BUDGET = 4000;

export interface RenderReportOptions {
  readonly pointBudget?: number;
}

/**
 * The run's summary: run_meta 'summary' first (the contract's copy inside run.duckdb), else the
 * folder's summary.json. A missing or invalid one costs the metrics table, not the report.
 */
function loadSummary(runDir: string, run: RunData): { summary: RunSummary | null; note: string } {
  const sources: [string, () => string][] = [];
  const inMeta = run.meta.get('summary');
  if (inMeta !== undefined)
    sources.push([`run_meta 'summary' of ${join(runDir, 'run.duckdb')}`, () => inMeta]);
  const file = join(runDir, 'summary.json');
  if (existsSync(file)) sources.push([file, () => readFileSync(file, 'utf8')]);
  if (sources.length === 0) return { summary: null, note: 'the run recorded no summary' };
  let note = '';
  for (const [where, text] of sources) {
    try {
      return { summary: parseRunSummary(text(), where), note: '' };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      note ||= err.message.replace(/; re-run.*$/, '');
    }
  }
  return { summary: null, note };
}

/** Shapes everything the page shows from what was read of the run. */
export function buildReportModel(runDir: string, run: RunData, opts: RenderReportOptions = {}): ReportModel {
  const span = runSpan(run);
  const t0 = span?.start ?? 0;
  const payload: ReportPayload = {
    t0,
    pointBudget: Math.max(16, Math.floor(opts.pointBudget ?? DEFAULT_POINT_BUDGET)),
    charts: [...runCharts(run, t0), ...breakdownCharts(run, t0)],
  };
  const { summary, note } = loadSummary(runDir, run);
  let metrics: RunMetrics | null = null;
  let rest: Record<string, unknown> | null = null;
  if (summary) {
    const { metrics: m, ...others } = summary;
    metrics = m;
    rest = others;
  }
  return {
    runName: basename(resolve(runDir)),
    strategy: run.meta.get('strategy') ?? summary?.strategy ?? 'strategy run',
    symbols: runSymbols(run),
    span,
    metrics,
    metricsNote: note,
    meta: run.meta,
    summary: rest,
    payload,
  };
}

/** Reads `<runDir>/run.duckdb` and writes `<runDir>/report.html`; returns that file's path. */
export async function renderReport(runDir: string, opts: RenderReportOptions = {}): Promise<string> {
  const run = await readRun(runDir);
  const html = reportHtml(buildReportModel(runDir, run, opts));
  const out = join(runDir, 'report.html');
  writeFileSync(out, html);
  return out;
}
