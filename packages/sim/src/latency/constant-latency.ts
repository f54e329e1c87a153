import type { LatencyModel } from './latency-model.js';

/** `--latency` help line for this model. */
export const CONSTANT_LATENCY_HELP =
  'constant:<entryUs>[:<responseUs>]  entry = entryUs, response = responseUs (default: entryUs), whole µs';

const check = (name: string, us: number): void => {
  if (!(Number.isSafeInteger(us) && us >= 0)) {
    throw new RangeError(`ConstantLatency: ${name} must be a whole number of µs ≥ 0, got ${us}`);
  }
};

/**
 * Fixed delays whatever the time or the feed:
 *
 *   entry(t, f)    = entryUs
 *   response(x, f) = responseUs   (defaults to entryUs)
 *
 * So an order sent at local t is at the exchange at t + entryUs, and its ack at exchange time
 * x is back at x + responseUs: a round trip of entryUs + responseUs.
 */
export class ConstantLatency implements LatencyModel {
  readonly responseUs: number;

  constructor(
    readonly entryUs: number,
    responseUs: number = entryUs,
  ) {
    check('entryUs', entryUs);
    check('responseUs', responseUs);
    this.responseUs = responseUs;
  }

  entry(_localTs: number, _feedLatencyUs: number): number {
    return this.entryUs;
  }

  response(_exchTs: number, _feedLatencyUs: number): number {
    return this.responseUs;
  }
}
