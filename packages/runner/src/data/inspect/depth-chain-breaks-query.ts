import type { DuckDBConnection } from '@duckdb/node-api';
import { DepthFlag, EventKind } from '../schema.js';

/**
 * DepthSequenceCheck's rule in SQL, for `botp data info`: per sym, over depth messages (their
 * first rows) in file order (rowid), a diff is a break when no snapshot came before it or its
 * prev_seq differs from the previous message's seq. Windows over messages only, not levels.
 */
const SQL = `SELECT sym, count(*) FILTER (WHERE NOT snap AND (snaps = 0 OR prev_seq IS DISTINCT FROM last_seq))
FROM (
  SELECT sym, prev_seq, (flags & ${DepthFlag.Snapshot}) <> 0 AS snap,
    lag(seq) OVER (PARTITION BY sym ORDER BY rowid) AS last_seq,
    sum(flags & ${DepthFlag.Snapshot}) OVER (PARTITION BY sym ORDER BY rowid
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS snaps
  FROM events WHERE kind = ${EventKind.Depth} AND (flags & ${DepthFlag.First}) <> 0
) GROUP BY sym ORDER BY sym`;

/** Depth-chain breaks per sym (syms with depth only). */
export async function queryDepthChainBreaks(conn: DuckDBConnection): Promise<Map<number, number>> {
  const rows = (await conn.runAndReadAll(SQL)).getRowsJS();
  return new Map(rows.map((r) => [Number(r[0]), Number(r[1])]));
}
