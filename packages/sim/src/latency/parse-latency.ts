import { ConstantLatency } from './constant-latency.js';
import type { LatencyModel } from './latency-model.js';

/** The spec forms `parseLatencySpec` accepts, for error messages and `--help`. */
export const LATENCY_SPEC_FORMS = 'constant:<entryUs>[:<responseUs>] (whole µs ≥ 0, e.g. constant:5000:8000)';

const CONSTANT = /^constant:(\d+)(?::(\d+))?$/;

/**
 * Builds a latency model from its spec string (a CLI flag or config value):
 *
 *   constant:<entryUs>              entry = response = entryUs
 *   constant:<entryUs>:<responseUs> entry = entryUs, response = responseUs
 *
 * Anything else throws an Error naming the spec and the accepted forms.
 */
export function parseLatencySpec(spec: string): LatencyModel {
  const s = spec.trim();
  const m = CONSTANT.exec(s);
  if (m !== null) {
    const entry = Number(m[1]);
    const response = m[2] === undefined ? entry : Number(m[2]);
    if (Number.isSafeInteger(entry) && Number.isSafeInteger(response))
      return new ConstantLatency(entry, response);
  }
  const why = s.startsWith('constant') ? 'invalid' : 'unknown';
  throw new Error(`${why} latency model "${spec}": accepted forms are ${LATENCY_SPEC_FORMS}`);
}
