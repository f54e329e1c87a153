import { formatMicros } from '@botplatform/sdk';
import type { CheckResult } from './check-result.js';
import type { Offence } from './offence.js';
import type { VerifyReport } from './verify-store.js';

/** The human-readable verify report: one line per check, its first offences, the summary line. */
export function formatVerifyReport(r: VerifyReport): string {
  const lines = [`verify ${r.path}: ${r.rows.toLocaleString('en-US')} rows`];
  const exchanges = new Set(r.checks.flatMap((c) => c.examples.map((e) => e.exchange)));
  const withExchange = exchanges.size > 1;
  for (const c of r.checks) {
    lines.push(`  ${status(c).padEnd(4)}  ${c.count.toLocaleString('en-US').padStart(11)}  ${c.title}`);
    // Informational findings are normal; their examples stay in --json.
    if (c.severity === 'info') continue;
    for (const e of c.examples) lines.push(`        ${example(e, withExchange)}`);
    if (c.count > c.examples.length && c.examples.length > 0) {
      lines.push(`        … ${(c.count - c.examples.length).toLocaleString('en-US')} more`);
    }
  }
  lines.push(summaryLine(r));
  return lines.join('\n');
}

/** `verify: N problems in M checks`, the last line of every verify run. */
export function summaryLine(r: VerifyReport): string {
  const problems = `${r.problems.toLocaleString('en-US')} problem${r.problems === 1 ? '' : 's'}`;
  return `verify: ${problems} in ${r.checksRun} check${r.checksRun === 1 ? '' : 's'}`;
}

/** The report as plain JSON, with each example's time also as UTC ISO. */
export function verifyReportJson(r: VerifyReport): unknown {
  return {
    path: r.path,
    rows: r.rows,
    ok: r.problems === 0,
    problems: r.problems,
    checks_run: r.checksRun,
    checks: r.checks.map((c) => ({
      id: c.id,
      title: c.title,
      severity: c.severity,
      count: c.count,
      examples: c.examples.map((e) => ({
        row: e.row,
        local_ts: e.localTs,
        time: e.localTs === null ? null : formatMicros(e.localTs),
        exchange: e.exchange,
        symbol: e.symbol,
        detail: e.detail,
      })),
    })),
  };
}

function status(c: CheckResult): string {
  if (c.severity === 'info') return 'info';
  return c.count === 0 ? 'ok' : 'FAIL';
}

function example(e: Offence, withExchange: boolean): string {
  if (e.row === null || e.localTs === null) return e.detail;
  const symbol = e.symbol === null ? '?' : withExchange ? `${e.exchange}:${e.symbol}` : e.symbol;
  return `${formatMicros(e.localTs)}  ${symbol}  row ${e.row}  ${e.detail}`;
}
