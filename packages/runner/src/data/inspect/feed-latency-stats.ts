/** Percentiles of feed latency (local_ts − exch_ts) over a table's events, in µs. */
export interface FeedLatencyStats {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}
