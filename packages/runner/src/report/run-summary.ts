import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../cli/user-error.js';
import { runMetricsSchema } from '../run-store/run-metrics.js';

/**
 * What the report and `botp compare` need from summary.json (and run_meta 'summary'): the
 * metrics, strictly; the rest of the BacktestSummary loosely, since only labels come from it.
 */
export const runSummarySchema = z.looseObject({
  strategy: z.string().optional(),
  symbols: z.array(z.string()).optional(),
  from_ts: z.number().optional(),
  to_ts: z.number().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  metrics: runMetricsSchema,
});

export type RunSummary = z.infer<typeof runSummarySchema>;

/** The first problem zod found, as `path: message`. */
export function firstIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** Parses a summary JSON text; `where` names its source in the error. */
export function parseRunSummary(text: string, where: string): RunSummary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(
      `${where} is not valid JSON (${err instanceof Error ? err.message : String(err)}); re-run the backtest with --out to rewrite it`,
    );
  }
  const parsed = runSummarySchema.safeParse(json);
  if (!parsed.success) {
    throw new UserError(
      `${where} is not a run summary with metrics (${firstIssue(parsed.error)}); re-run the backtest with --out to rewrite it`,
    );
  }
  return parsed.data;
}

/** Reads and validates `<runDir>/summary.json`. */
export function readRunSummary(runDir: string): RunSummary {
  if (!existsSync(runDir)) {
    throw new UserError(`run folder ${runDir} does not exist; pass a folder written by botp backtest --out`);
  }
  const path = join(runDir, 'summary.json');
  if (!existsSync(path)) {
    throw new UserError(`${runDir} holds no summary.json; pass a run folder written by botp backtest --out`);
  }
  return parseRunSummary(readFileSync(path, 'utf8'), path);
}
