import { CONSTANT_LATENCY_HELP, ConstantLatency } from './constant-latency.js';
import { FEED_MULTIPLE_LATENCY_HELP, FeedMultipleLatency } from './feed-multiple-latency.js';
import type { LatencyModel } from './latency-model.js';
import { type OrderLatencySample, RECORDED_LATENCY_HELP, RecordedLatency } from './recorded-latency.js';

/** The spec forms `parseLatencySpec` accepts, for error messages. */
export const LATENCY_SPEC_FORMS =
  'constant:<entryUs>[:<responseUs>], feed-multiple:<entryMult>:<responseMult>[:<offsetUs>], recorded (µs; e.g. constant:5000:8000, feed-multiple:1.5:1.5:200)';

/** `--latency` help: every form with its formula, one line each. */
export const LATENCY_HELP = [CONSTANT_LATENCY_HELP, FEED_MULTIPLE_LATENCY_HELP, RECORDED_LATENCY_HELP].join(
  '\n',
);

/** What a latency spec may need besides its string. */
export interface LatencySpecOptions {
  /**
   * The data file's `order_latency` rows sorted by req_ts, for `recorded` (ignored by the
   * other forms). The runner reads them; see {@link latencySpecNeedsSamples}.
   */
  readonly recordedSamples?: readonly OrderLatencySample[];
}

const CONSTANT = /^constant:(\d+)(?::(\d+))?$/;
const DECIMAL = '(\\d+(?:\\.\\d+)?)';
const FEED_MULTIPLE = new RegExp(`^feed-multiple:${DECIMAL}:${DECIMAL}(?::(\\d+))?$`);
const RECORDED = 'recorded';

/** Whether `spec` is the `recorded` form, whose model needs the `order_latency` samples. */
export const latencySpecNeedsSamples = (spec: string): boolean => spec.trim() === RECORDED;

/**
 * Builds a latency model from its spec string (a CLI flag or config value):
 *
 *   constant:<entryUs>[:<responseUs>]                       {@link ConstantLatency}
 *   feed-multiple:<entryMult>:<responseMult>[:<offsetUs>]   {@link FeedMultipleLatency}
 *   recorded                                                {@link RecordedLatency}, from
 *                                                            `opts.recordedSamples`
 *
 * Anything else throws an Error naming the spec and the accepted forms; `recorded` without
 * samples throws an Error saying the data has no order_latency rows.
 */
export function parseLatencySpec(spec: string, opts: LatencySpecOptions = {}): LatencyModel {
  const s = spec.trim();
  const c = CONSTANT.exec(s);
  if (c !== null) {
    const entry = Number(c[1]);
    const response = c[2] === undefined ? entry : Number(c[2]);
    if (Number.isSafeInteger(entry) && Number.isSafeInteger(response))
      return new ConstantLatency(entry, response);
  }
  const f = FEED_MULTIPLE.exec(s);
  if (f !== null) {
    const offset = f[3] === undefined ? 0 : Number(f[3]);
    const entryMult = Number(f[1]);
    const responseMult = Number(f[2]);
    if (Number.isFinite(entryMult) && Number.isFinite(responseMult) && Number.isSafeInteger(offset))
      return new FeedMultipleLatency(entryMult, responseMult, offset);
  }
  if (s === RECORDED) {
    const samples = opts.recordedSamples;
    if (samples === undefined || samples.length === 0) {
      throw new Error(
        'latency model "recorded" replays recorded order latencies, but the data file has no order_latency rows; record a live run first or use constant:/feed-multiple:',
      );
    }
    return new RecordedLatency(samples);
  }
  const known = s.startsWith('constant') || s.startsWith('feed-multiple') || s.startsWith(RECORDED);
  throw new Error(
    `${known ? 'invalid' : 'unknown'} latency model "${spec}": accepted forms are ${LATENCY_SPEC_FORMS}`,
  );
}
