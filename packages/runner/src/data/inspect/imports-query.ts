import type { DuckDBConnection } from '@duckdb/node-api';

/** One file `botp import` loaded into the store. */
export interface ImportRecord {
  readonly file: string;
  readonly lines: number;
  readonly bytes: number;
  /** UTC, as DuckDB prints a TIMESTAMP. */
  readonly importedAt: string;
}

export async function queryImports(conn: DuckDBConnection): Promise<ImportRecord[]> {
  const rows = (
    await conn.runAndReadAll(
      'SELECT file, lines, size, CAST(imported_at AS VARCHAR) FROM imports ORDER BY imported_at, file',
    )
  ).getRowsJS();
  return rows.map((r) => ({
    file: String(r[0]),
    lines: Number(r[1]),
    bytes: Number(r[2]),
    importedAt: String(r[3]),
  }));
}
