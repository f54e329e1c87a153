import type { LatencyModel } from './latency-model.js';

/** `--latency` help line for this model. */
export const FEED_MULTIPLE_LATENCY_HELP =
  'feed-multiple:<entryMult>:<responseMult>[:<offsetUs>]  entry = entryMult × feedLatency + offsetUs, response = responseMult × feedLatency + offsetUs (feedLatency = local_ts − exch_ts of the latest market event)';

const check = (name: string, x: number, integer: boolean): void => {
  if (!(Number.isFinite(x) && x >= 0 && (!integer || Number.isSafeInteger(x)))) {
    const what = integer ? 'a whole number of µs ≥ 0' : 'a finite number ≥ 0';
    throw new RangeError(`FeedMultipleLatency: ${name} must be ${what}, got ${x}`);
  }
};

/** The feed latency the formula uses: negative (clock skew) or unknown (NaN) counts as 0. */
const feedUs = (f: number): number => (Number.isNaN(f) ? 0 : Math.max(f, 0));

/**
 * Order latency proportional to the market feed's own latency at that moment (hftbacktest's
 * FeedLatency), so latency spikes in the recorded data become order-latency spikes:
 *
 *   entry(t, f)    = round(entryMult    × max(f, 0) + offsetUs)
 *   response(x, f) = round(responseMult × max(f, 0) + offsetUs)
 *
 * where f = local_ts − exch_ts of the latest market event the caller saw. A negative f (clock
 * skew between the exchange and the recorder) counts as 0; results are whole µs.
 */
export class FeedMultipleLatency implements LatencyModel {
  constructor(
    readonly entryMult: number,
    readonly responseMult: number,
    readonly offsetUs: number = 0,
  ) {
    check('entryMult', entryMult, false);
    check('responseMult', responseMult, false);
    check('offsetUs', offsetUs, true);
  }

  entry(_localTs: number, feedLatencyUs: number): number {
    return Math.round(this.entryMult * feedUs(feedLatencyUs) + this.offsetUs);
  }

  response(_exchTs: number, feedLatencyUs: number): number {
    return Math.round(this.responseMult * feedUs(feedLatencyUs) + this.offsetUs);
  }
}
