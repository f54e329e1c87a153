import { type RejectReason, rejectReason } from '@botplatform/sdk';
import type { LatencyModel } from './latency-model.js';

/** `--latency` help line for this model. */
export const RECORDED_LATENCY_HELP =
  'recorded  entry(t) = interp(exch_ts − req_ts), response = interp(resp_ts − exch_ts), both at req_ts = t over the order_latency table; a request whose nearest sample has exch_ts ≤ 0 is rejected after resp_ts − req_ts';

/**
 * One row of the `order_latency` table: a request sent at local `reqTs`, seen by the exchange
 * at `exchTs`, answered locally at `respTs` (µs). `exchTs ≤ 0` records a request the exchange
 * rejected (overload); its answer still arrived at `respTs`.
 */
export interface OrderLatencySample {
  readonly reqTs: number;
  readonly exchTs: number;
  readonly respTs: number;
}

/** The reason a backtest reports for a request the recorded latency model rejects. */
export const RECORDED_REJECTION: RejectReason = Object.freeze(
  rejectReason(
    'VENUE_ERROR',
    'the exchange rejected the request (replayed from a recorded order_latency sample with exch_ts ≤ 0)',
  ),
);

/**
 * A cursor-based linear interpolator over points (xs[i], ys[i]), xs nondecreasing. `at(t)`
 * clamps outside [xs[0], xs[n−1]]. Calls with nondecreasing t cost amortized O(1) (the cursor
 * walks forward), any other call O(log n) (binary search).
 */
class Interpolator {
  private cur = 0;

  constructor(
    private readonly xs: Float64Array,
    private readonly ys: Float64Array,
  ) {}

  at(t: number): number {
    const xs = this.xs;
    const ys = this.ys;
    const n = xs.length;
    const i = seek(xs, this.cur, t);
    if (i < 0) return ys[0]!;
    this.cur = i;
    if (i >= n - 1) return ys[n - 1]!;
    // xs[i] ≤ t < xs[i + 1], so the segment has positive width.
    const x0 = xs[i]!;
    const y0 = ys[i]!;
    return y0 + ((ys[i + 1]! - y0) * (t - x0)) / (xs[i + 1]! - x0);
  }
}

/** Steps the cursor walks forward before it switches to a binary search. */
const WALK = 8;

/** The largest i with xs[i] ≤ t (−1 when t < xs[0]), searching from the hint `cur`. */
function seek(xs: Float64Array, cur: number, t: number): number {
  const n = xs.length;
  let lo = 0;
  if (cur < n && xs[cur]! <= t) {
    for (let k = 0; k < WALK; k++) {
      if (cur + 1 >= n || xs[cur + 1]! > t) return cur;
      cur++;
    }
    lo = cur;
  }
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Whole µs ≥ 0 (a negative recorded leg, from clock skew, counts as 0). */
const us = (x: number): number => (x > 0 ? Math.round(x) : 0);

/**
 * Order latency replayed from a live run's `order_latency` records (hftbacktest's
 * IntpOrderLatency). With the accepted samples (exch_ts > 0) as points over req_ts:
 *
 *   entry(t)    = interp(exch_ts − req_ts)  at req_ts = t
 *   response(x) = interp(resp_ts − exch_ts) at req_ts = x
 *
 * where interp is linear between the two samples around the time and clamps to the first /
 * last sample outside their range; results are whole µs, negative ones (clock skew) 0.
 * `response` is asked at a report's exchange time x and uses it as the request time (an ack
 * comes one entry latency after its request; the samples are far sparser than that).
 * Samples with the same req_ts: the value at that time is the last one's.
 *
 * Rejections: a request sent at t is rejected when the sample nearest to t in req_ts (over
 * all samples, ties to the earlier req_ts, and among equal req_ts the first) has exch_ts ≤ 0;
 * `rejection(t)` then returns that sample's round trip `resp_ts − req_ts` (µs ≥ 0), else
 * undefined. Rejected samples take no part in the entry / response interpolation. Beyond the
 * samples' range the first / last sample decides.
 *
 * Construction validates the samples (finite, sorted by req_ts) and needs at least one
 * accepted sample. Each method keeps its own cursor: O(1) amortized for nondecreasing times.
 */
export class RecordedLatency implements LatencyModel {
  readonly sampleCount: number;
  readonly rejectedCount: number;
  private readonly entryCurve: Interpolator;
  private readonly responseCurve: Interpolator;
  /** Distinct req_ts of all samples (the first sample at each). */
  private readonly rejX: Float64Array;
  /** Round trip of that sample when it is a rejection, NaN when accepted. */
  private readonly rejRoundTrip: Float64Array;
  private rejCur = 0;

  constructor(samples: readonly OrderLatencySample[]) {
    const n = samples.length;
    if (n === 0) throw new Error('RecordedLatency: no order latency samples');
    let accepted = 0;
    let distinct = 0;
    let prevReq = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const s = samples[i]!;
      if (!(Number.isFinite(s.reqTs) && Number.isFinite(s.exchTs) && Number.isFinite(s.respTs))) {
        throw new Error(
          `RecordedLatency: sample ${i} has a non-finite time (req_ts ${s.reqTs}, exch_ts ${s.exchTs}, resp_ts ${s.respTs})`,
        );
      }
      if (s.reqTs < prevReq) {
        throw new Error(
          `RecordedLatency: samples must be sorted by req_ts; sample ${i} (req_ts ${s.reqTs}) comes after req_ts ${prevReq}`,
        );
      }
      if (s.reqTs !== prevReq) distinct++;
      prevReq = s.reqTs;
      if (s.exchTs > 0) accepted++;
    }
    if (accepted === 0) {
      throw new Error(
        `RecordedLatency: all ${n} order_latency samples are rejections (exch_ts ≤ 0), so there is no entry or response latency to replay; use constant:/feed-multiple:`,
      );
    }
    const okX = new Float64Array(accepted);
    const entryY = new Float64Array(accepted);
    const responseY = new Float64Array(accepted);
    this.rejX = new Float64Array(distinct);
    this.rejRoundTrip = new Float64Array(distinct);
    let k = 0;
    let d = 0;
    prevReq = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const s = samples[i]!;
      const rejected = !(s.exchTs > 0);
      if (s.reqTs !== prevReq) {
        this.rejX[d] = s.reqTs;
        this.rejRoundTrip[d] = rejected ? us(s.respTs - s.reqTs) : Number.NaN;
        d++;
        prevReq = s.reqTs;
      }
      if (rejected) continue;
      okX[k] = s.reqTs;
      entryY[k] = s.exchTs - s.reqTs;
      responseY[k] = s.respTs - s.exchTs;
      k++;
    }
    this.sampleCount = n;
    this.rejectedCount = n - accepted;
    this.entryCurve = new Interpolator(okX, entryY);
    this.responseCurve = new Interpolator(okX, responseY);
  }

  entry(localTs: number, _feedLatencyUs: number): number {
    return us(this.entryCurve.at(localTs));
  }

  response(exchTs: number, _feedLatencyUs: number): number {
    return us(this.responseCurve.at(exchTs));
  }

  rejection(localTs: number): number | undefined {
    const xs = this.rejX;
    const n = xs.length;
    let i = seek(xs, this.rejCur, localTs);
    if (i < 0) i = 0;
    else {
      this.rejCur = i;
      // Nearest of xs[i] ≤ t < xs[i + 1]; a tie goes to the earlier.
      if (i + 1 < n && xs[i + 1]! - localTs < localTs - xs[i]!) i++;
    }
    const rt = this.rejRoundTrip[i]!;
    return Number.isNaN(rt) ? undefined : rt;
  }
}
