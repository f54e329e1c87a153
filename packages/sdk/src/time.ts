/**
 * Time is an integer count of microseconds since the Unix epoch, held in a `number`
 * (exact below 2^53, i.e. until the year 2255). No `Date` and no `bigint` on hot paths.
 */
export type Micros = number;

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const US_PER_DAY = 24 * US_PER_HOUR;

/** Formats a µs timestamp as ISO-8601 with microseconds, e.g. `2023-11-14T22:13:20.000123Z`. */
export function formatMicros(ts: Micros): string {
  const ms = Math.floor(ts / 1000);
  const iso = new Date(ms).toISOString();
  const micros = String(Math.round(ts - ms * 1000)).padStart(3, '0');
  return `${iso.slice(0, -1)}${micros}Z`;
}
