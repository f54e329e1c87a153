import type { DuckDBConnection } from '@duckdb/node-api';
import { DepthFlag, EventKind } from '../schema.js';
import type { FeedLatencyStats } from './feed-latency-stats.js';

/** Aggregates of one stream: the rows of one `events.kind` for one `sym`. */
export interface StreamStats {
  readonly sym: number;
  readonly kind: number;
  readonly rows: number;
  /** Depth only: distinct seq values, i.e. depth messages; null for other kinds. */
  readonly messages: number | null;
  /** First and last local_ts (µs). */
  readonly firstTs: number;
  readonly lastTs: number;
  /** Over events: one sample per depth message (not per level), one per row elsewhere. */
  readonly latency: FeedLatencyStats;
}

/**
 * One aggregate pass over `events` grouped by (sym, kind), entirely in DuckDB: nothing but the
 * per-stream figures comes back to JS. quantile_cont interpolates linearly between ranks.
 */
const SQL = `SELECT sym, kind, n, messages, first_ts, last_ts, lat[1], lat[2], lat[3], lat_max FROM (
  SELECT sym, kind, count(*) AS n,
    count(DISTINCT seq) FILTER (WHERE kind = ${EventKind.Depth}) AS messages,
    CAST(min(local_ts) AS DOUBLE) AS first_ts, CAST(max(local_ts) AS DOUBLE) AS last_ts,
    quantile_cont(CAST(local_ts - exch_ts AS DOUBLE), [0.5, 0.9, 0.99])
      FILTER (WHERE kind <> ${EventKind.Depth} OR (flags & ${DepthFlag.First}) <> 0) AS lat,
    CAST(max(local_ts - exch_ts) AS DOUBLE) AS lat_max
  FROM events GROUP BY sym, kind
) ORDER BY sym, kind`;

export async function queryStreamStats(conn: DuckDBConnection): Promise<StreamStats[]> {
  const rows = (await conn.runAndReadAll(SQL)).getRowsJS();
  return rows.map((r) => ({
    sym: Number(r[0]),
    kind: Number(r[1]),
    rows: Number(r[2]),
    messages: Number(r[1]) === EventKind.Depth ? Number(r[3]) : null,
    firstTs: Number(r[4]),
    lastTs: Number(r[5]),
    latency: { p50: Number(r[6]), p90: Number(r[7]), p99: Number(r[8]), max: Number(r[9]) },
  }));
}
