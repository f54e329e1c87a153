import type { METRIC_LABELS } from '../run-store/run-metrics.js';

/** The display unit of a metric, as METRIC_LABELS declares it. */
export type MetricUnit = (typeof METRIC_LABELS)[number][2];

const DASH = '—';

/**
 * µs since the epoch as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC). Also inlined into the report page for
 * the charts' legends, so it must stay self-contained (no calls to anything outside its body).
 */
export function formatTimestampUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = Math.round(us - ms * 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(micros).padStart(3, '0')}`;
}

/** Inserts thousands separators into a plain decimal string (`-1234567.89` → `-1,234,567.89`). */
export function groupThousands(s: string): string {
  const [int = '', frac] = s.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Drops trailing zeros of a fixed-point string (`0.012300` → `0.0123`, `2.000` → `2`). */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Quote-currency amounts: cents from 1 up (grouped), three significant digits below 1 so a run
 * that made 0.0042 does not read as 0.00.
 */
export function formatMoney(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) < 5e-9) return '0.00'; // below the 1e-8 the run store settles money to
  if (Math.abs(x) >= 1) return groupThousands(x.toFixed(2));
  return trimZeros(x.toPrecision(3).includes('e') ? x.toFixed(8) : x.toPrecision(3));
}

/** A fraction shown as a percentage (0.1234 → `12.34%`). */
export function formatPct(fraction: number): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  const pct = fraction * 100;
  const digits = Math.abs(pct) >= 100 ? 1 : 2;
  return `${groupThousands(pct.toFixed(digits))}%`;
}

export function formatRatio(x: number): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (x === Number.NEGATIVE_INFINITY) return '−∞';
  if (!Number.isFinite(x)) return String(x);
  return groupThousands(x.toFixed(2));
}

export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number.isInteger(x) ? groupThousands(x.toFixed(0)) : groupThousands(x.toFixed(2));
}

/** A duration in seconds, in the two largest units that matter (`45.2 s`, `12m 05s`, `3h 04m`, `2d 03h`). */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  const sign = s < 0 ? '-' : '';
  const a = Math.abs(s);
  if (a < 60) return `${sign}${trimZeros(a.toFixed(a < 10 ? 2 : 1))} s`;
  const two = (n: number) => String(n).padStart(2, '0');
  const whole = Math.round(a);
  if (whole < 3600) return `${sign}${Math.floor(whole / 60)}m ${two(whole % 60)}s`;
  if (whole < 86400) return `${sign}${Math.floor(whole / 3600)}h ${two(Math.floor((whole % 3600) / 60))}m`;
  return `${sign}${Math.floor(whole / 86400)}d ${two(Math.floor((whole % 86400) / 3600))}h`;
}

/** A latency in µs (`850 µs`, `12.3 ms`, `1.25 s`). */
export function formatMicrosDuration(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  const a = Math.abs(us);
  if (a < 1000) return `${trimZeros(us.toFixed(a < 10 ? 1 : 0))} µs`;
  if (a < 1_000_000) return `${trimZeros((us / 1000).toFixed(a < 10_000 ? 2 : 1))} ms`;
  return `${trimZeros((us / 1_000_000).toFixed(2))} s`;
}

/** One metric value for a table cell; null (not defined for this run) shows as a dash. */
export function formatMetric(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined) return DASH;
  switch (unit) {
    case 'money':
      return formatMoney(value);
    case 'pct':
      return formatPct(value);
    case 'ratio':
      return formatRatio(value);
    case 'count':
      return formatCount(value);
    case 'seconds':
      return formatSeconds(value);
    case 'us':
      return formatMicrosDuration(value);
    case 'ts':
      // whole seconds (as most drawdown bounds are) without the six zeros
      return `${formatTimestampUs(value).replace(/\.000000$/, '')} UTC`;
  }
}
