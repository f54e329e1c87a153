import type { z } from 'zod';
import { BinanceParseError } from './parse-error.js';

/** Validates `payload` against a wire schema; a mismatch throws BinanceParseError naming `kind`. */
export function parseWith<S extends z.ZodType>(schema: S, payload: unknown, kind: string): z.output<S> {
  const r = schema.safeParse(payload);
  if (!r.success) throw new BinanceParseError(kind, describeIssues(r.error));
  return r.data;
}

/** The first few zod issues as `path: message`, on one line. */
function describeIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues
    .slice(0, max)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
  const more = error.issues.length - max;
  return more > 0 ? `${parts.join('; ')} (+${more} more)` : parts.join('; ');
}
