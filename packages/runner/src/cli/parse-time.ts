import type { Micros } from '@botplatform/sdk';
import { UserError } from './user-error.js';

/**
 * Parses a --from / --to value: µs since the epoch (an integer of 16 digits) or an ISO-8601
 * date-time (`2023-11-14T22:13:20Z`, `2023-11-14`; no zone means UTC).
 */
export function parseTime(flag: string, value: string): Micros {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    if (v.length < 15 || v.length > 17) {
      throw new UserError(
        `${flag} ${value}: a number must be µs since the epoch (16 digits, e.g. 1700000000000000); or give an ISO date like 2023-11-14T22:13:20Z`,
      );
    }
    return Number(v);
  }
  const hasZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(v);
  const ms = Date.parse(v.includes('T') ? (hasZone ? v : `${v}Z`) : `${v}T00:00:00Z`);
  if (Number.isNaN(ms)) {
    throw new UserError(
      `${flag} ${value} is not a time; use ISO-8601 (2023-11-14T22:13:20Z) or µs since the epoch`,
    );
  }
  return ms * 1000;
}
