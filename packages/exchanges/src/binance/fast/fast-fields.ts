/**
 * The field checks of wire-fields.ts written by hand for the fast path: each accepts exactly
 * what its zod schema accepts (or less) and converts the same way; anything else is NaN, which
 * no accepted field converts to, so one `Number.isNaN` tells the caller to fall back to zod.
 */

const MAX_MS = Number.MAX_SAFE_INTEGER / 1000;

/** idField: an integer in [0, 2^53 − 1]. */
export function fastId(x: unknown): number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER
    ? x
    : Number.NaN;
}

/** millisField: integer milliseconds in [0, (2^53 − 1) / 1000], as µs. */
export function fastMillisUs(x: unknown): number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= MAX_MS ? x * 1000 : Number.NaN;
}

/** sizeField: `^\d+(\.\d+)?$`, as Number(x). */
export function fastSize(x: unknown): number {
  return typeof x === 'string' && isDecimal(x, 0) ? Number(x) : Number.NaN;
}

/** priceField: a size > 0. */
export function fastPrice(x: unknown): number {
  const v = fastSize(x);
  return v > 0 ? v : Number.NaN;
}

/** rateField: `^-?\d+(\.\d+)?$`, as Number(x). */
export function fastRate(x: unknown): number {
  return typeof x === 'string' && isDecimal(x, x.charCodeAt(0) === 45 /* - */ ? 1 : 0)
    ? Number(x)
    : Number.NaN;
}

/** symbolField: a non-empty string (undefined otherwise). */
export function fastSymbol(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

/** z.array(levelField): `[[price, size], …]` as numbers (undefined otherwise). */
export function fastLevels(x: unknown): [number, number][] | undefined {
  if (!Array.isArray(x)) return undefined;
  const out: [number, number][] = [];
  for (let i = 0; i < x.length; i++) {
    const level: unknown = x[i];
    if (!Array.isArray(level) || level.length !== 2) return undefined;
    const price = fastPrice(level[0]);
    const size = fastSize(level[1]);
    if (Number.isNaN(price) || Number.isNaN(size)) return undefined;
    out.push([price, size]);
  }
  return out;
}

/** `s.slice(from)` matches `^\d+(\.\d+)?$` (ASCII digits only, as `\d` without the u flag). */
function isDecimal(s: string, from: number): boolean {
  const n = s.length;
  let i = from;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i === from) return false;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 46 /* . */) return false;
  const fraction = ++i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  return i > fraction && i === n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
