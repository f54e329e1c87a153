import type { Micros } from '@botplatform/sdk';

const UNIX_SECONDS = /^(\d{1,11})(?:\.(\d+))?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * The receive time a raw capture line starts with, in µs: unix seconds with an optional
 * fraction (`1700000000.123456`) or ISO-8601 (`2023-11-14T22:13:20.1234567Z`; no zone means
 * UTC). Digits past the µs are dropped (truncated, so a time never moves later). Throws a
 * RangeError saying what is wrong.
 */
export function parseReceiveTime(token: string): Micros {
  const unix = UNIX_SECONDS.exec(token);
  if (unix) return Number(unix[1]) * 1_000_000 + fractionMicros(unix[2]);
  if (/^\d{12,}(\.\d+)?$/.test(token)) {
    throw new RangeError(
      `receive time ${token} has too many digits for unix seconds (ms or µs?); write seconds, e.g. 1700000000.123456`,
    );
  }
  const iso = ISO.exec(token);
  if (!iso) {
    throw new RangeError(
      `receive time "${token}" is neither unix seconds (1700000000.123456) nor ISO-8601 (2023-11-14T22:13:20.123456Z)`,
    );
  }
  const [, y, mo, d, h, mi, s, frac, zone] = iso;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== Number(y) ||
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    back.getUTCHours() !== Number(h) ||
    back.getUTCMinutes() !== Number(mi)
  ) {
    throw new RangeError(`receive time ${token} is not a calendar date and time`);
  }
  return (ms - zoneOffsetMs(zone)) * 1000 + fractionMicros(frac);
}

/** `.1234567` → 123456 µs. */
function fractionMicros(frac: string | undefined): number {
  return frac === undefined ? 0 : Number(frac.slice(0, 6).padEnd(6, '0'));
}

/** `+02:00` → 7,200,000 (local time is ahead of UTC by that much). */
function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}
