import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../cli/user-error.js';
import { METRIC_LABELS, type RunMetrics } from '../run-store/run-metrics.js';
import { formatMetric, type MetricUnit } from './format.js';
import { openRunDb } from './open-run-db.js';
import { readRunSummary } from './run-summary.js';

export interface ComparedRun {
  /** The folder's name (its path as given when two folders share a name). */
  readonly name: string;
  readonly path: string;
  readonly strategy: string | null;
  readonly params: Readonly<Record<string, unknown>> | null;
  readonly metrics: RunMetrics;
}

export interface CompareRow {
  readonly key: keyof RunMetrics;
  readonly label: string;
  readonly unit: MetricUnit;
  /** One per run, in the runs' order. */
  readonly values: readonly (number | null)[];
}

export interface RunComparison {
  readonly runs: readonly ComparedRun[];
  readonly metrics: readonly CompareRow[];
}

/**
 * Strategy and params from run_meta, for summaries that lack them (the BacktestSummary carries
 * the strategy's name but not its params). Best effort: a run without a readable run.duckdb
 * (say, a live run still writing it) just shows no params.
 */
async function metaFallback(dir: string): Promise<{ strategy?: string; params?: Record<string, unknown> }> {
  if (!existsSync(join(dir, 'run.duckdb'))) return {};
  let db: Awaited<ReturnType<typeof openRunDb>>;
  try {
    db = await openRunDb(dir);
  } catch (err) {
    if (err instanceof UserError) return {};
    throw err;
  }
  try {
    const rows = (
      await db.conn.runAndReadAll("SELECT key, value FROM run_meta WHERE key IN ('strategy', 'params')")
    ).getRowsJS();
    const out: { strategy?: string; params?: Record<string, unknown> } = {};
    for (const [k, v] of rows) {
      if (k === 'strategy') out.strategy = String(v);
      if (k === 'params') {
        try {
          const parsed: unknown = JSON.parse(String(v));
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
            out.params = parsed as Record<string, unknown>;
          }
        } catch {
          // unparseable params: shown as none
        }
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/** Reads each run folder's summary.json (validated) for a side-by-side comparison. */
export async function compareRuns(dirs: readonly string[]): Promise<RunComparison> {
  if (dirs.length === 0) throw new UserError('no run folders given; pass two or more run folders to compare');
  const names = dirs.map((d) => basename(resolve(d)));
  const runs: ComparedRun[] = [];
  for (const [i, dir] of dirs.entries()) {
    const summary = readRunSummary(dir);
    const fallback = summary.params && summary.strategy ? {} : await metaFallback(dir);
    const name = names[i] as string;
    runs.push({
      name: names.indexOf(name) === names.lastIndexOf(name) ? name : dir,
      path: dir,
      strategy: summary.strategy ?? fallback.strategy ?? null,
      params: summary.params ?? fallback.params ?? null,
      metrics: summary.metrics,
    });
  }
  return {
    runs,
    metrics: METRIC_LABELS.map(([key, label, unit]) => ({
      key,
      label,
      unit,
      values: runs.map((r) => r.metrics[key]),
    })),
  };
}

/** A param's value for a table cell: strings as they are, anything else as compact JSON. */
function paramText(v: unknown): string {
  if (v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The comparison as an aligned text table: strategy and params first, then one row per metric. */
export function formatComparison(c: RunComparison): string {
  const paramKeys = [...new Set(c.runs.flatMap((r) => Object.keys(r.params ?? {})))].sort();
  const head: string[][] = [
    ['', ...c.runs.map((r) => r.name)],
    ['strategy', ...c.runs.map((r) => r.strategy ?? '—')],
    ...paramKeys.map((k) => [`param ${k}`, ...c.runs.map((r) => paramText(r.params?.[k]))]),
  ];
  if (paramKeys.length === 0) head.push(['params', ...c.runs.map(() => '—')]);
  const body = c.metrics.map((row) => [row.label, ...row.values.map((v) => formatMetric(v, row.unit))]);
  const all = [...head, ...body];
  const widths = all[0]?.map((_, col) => Math.max(...all.map((r) => (r[col] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1));
  return [...head.map((r) => `  ${line(r)}`), `  ${rule}`, ...body.map((r) => `  ${line(r)}`)].join('\n');
}

/** The comparison for `--json`: raw values (null = not defined for that run). */
export function comparisonJson(c: RunComparison): unknown {
  return {
    runs: c.runs.map((r) => ({ name: r.name, path: r.path, strategy: r.strategy, params: r.params })),
    metrics: c.metrics.map((m) => ({ key: m.key, label: m.label, unit: m.unit, values: m.values })),
  };
}
