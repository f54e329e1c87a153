import type { DuckDBConnection } from '@duckdb/node-api';

/** The `gaps` rows of one exchange/symbol/stream, summed. */
export interface GapSummary {
  readonly exchange: string;
  readonly symbol: string;
  readonly stream: string;
  readonly count: number;
  /** Sum of to_ts − from_ts (µs). */
  readonly totalUs: number;
  readonly firstFromTs: number;
  readonly lastToTs: number;
  /** The distinct reasons recorded, sorted. */
  readonly reasons: readonly string[];
}

const SQL = `SELECT exchange, symbol, stream, count(*), CAST(sum(to_ts - from_ts) AS DOUBLE),
  CAST(min(from_ts) AS DOUBLE), CAST(max(to_ts) AS DOUBLE), list(DISTINCT reason ORDER BY reason)
FROM gaps GROUP BY exchange, symbol, stream ORDER BY exchange, symbol, stream`;

export async function queryGapSummary(conn: DuckDBConnection): Promise<GapSummary[]> {
  const rows = (await conn.runAndReadAll(SQL)).getRowsJS();
  return rows.map((r) => ({
    exchange: String(r[0]),
    symbol: String(r[1]),
    stream: String(r[2]),
    count: Number(r[3]),
    totalUs: Number(r[4]),
    firstFromTs: Number(r[5]),
    lastToTs: Number(r[6]),
    reasons: Array.isArray(r[7]) ? r[7].map(String) : [],
  }));
}
