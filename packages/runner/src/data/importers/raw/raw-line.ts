import type { Micros } from '@botplatform/sdk';
import { parseReceiveTime } from './receive-time.js';

/** One line of a raw capture: when it was received and the message text as it came. */
export interface RawLine {
  readonly localTs: Micros;
  readonly message: string;
}

/**
 * Splits `<receive time>[:] <message>`: the time (see parseReceiveTime), an optional colon,
 * blanks, then the message, a JSON object or array. The message starts at the first `{` or
 * `[`, which no receive time contains (ISO times have colons of their own, so the colon is
 * only taken as a separator right before the message). Throws a RangeError saying what is
 * missing.
 */
export function splitRawLine(text: string): RawLine {
  const brace = text.indexOf('{');
  const bracket = text.indexOf('[');
  const start = brace === -1 ? bracket : bracket === -1 ? brace : Math.min(brace, bracket);
  if (start === -1) throw new RangeError('no JSON message on the line (expected `<receive time> {...}`)');
  let prefix = text.slice(0, start).trim();
  if (prefix.endsWith(':')) prefix = prefix.slice(0, -1).trimEnd();
  if (prefix === '')
    throw new RangeError('no receive time before the message (expected `<receive time> {...}`)');
  return { localTs: parseReceiveTime(prefix), message: text.slice(start) };
}
