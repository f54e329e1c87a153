import { loadInstruments } from '../instrument-table.js';
import { META_UNSORTED } from '../schema.js';
import { openTickStore } from '../tick-store-file.js';
import type { CheckResult } from './check-result.js';
import { unsortedMarkResult } from './checks/unsorted-mark-check.js';
import { scanEvents } from './event-scan.js';
import { createRowChecks, DEFAULT_MAX_EXAMPLES } from './row-checks.js';

export interface VerifyOptions {
  /** Offending rows kept per check (default 5). */
  readonly maxExamples?: number;
}

/** What `botp data verify` found in one tick store. */
export interface VerifyReport {
  readonly path: string;
  /** `events` rows scanned. */
  readonly rows: number;
  /** Every check in report order, passing ones included. */
  readonly checks: readonly CheckResult[];
  /** Checks that can fail (severity 'problem'). */
  readonly checksRun: number;
  /** Sum of the counts of 'problem' checks: 0 means the store verified clean. */
  readonly problems: number;
}

/**
 * Verifies a tick store in one streaming scan of `events` in file order (the order a replay
 * reads), feeding every row check; memory stays flat whatever the file's length.
 */
export async function verifyStore(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const file = await openTickStore(path, 'read');
  try {
    const instruments = await loadInstruments(file.conn);
    const mark = await file.conn.runAndReadAll(`SELECT count(*) FROM meta WHERE key = '${META_UNSORTED}'`);
    const marked = Number(mark.getRowsJS()[0]?.[0] ?? 0) > 0;
    const checks = createRowChecks(instruments, opts.maxExamples ?? DEFAULT_MAX_EXAMPLES);
    let rows = 0;
    for await (const batch of scanEvents(file)) {
      for (const check of checks) check.feed(batch, rows);
      rows += batch.length;
    }
    const results = checks.map((c) => c.result());
    // The mark belongs with the ordering checks in the report.
    const at = results.findIndex((r) => r.id === 'local-ts-order') + 1;
    results.splice(at, 0, unsortedMarkResult(marked));
    const canFail = results.filter((r) => r.severity === 'problem');
    return {
      path,
      rows,
      checks: results,
      checksRun: canFail.length,
      problems: canFail.reduce((sum, r) => sum + r.count, 0),
    };
  } finally {
    file.close();
  }
}
