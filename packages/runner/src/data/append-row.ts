import type { DuckDBAppender } from '@duckdb/node-api';

/** Column types the run store's and the live state file's appenders write. */
export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'INTEGER' | 'BOOLEAN';

export type RowValue = string | number | boolean | null | undefined;

/** Appends one row; null, undefined and NaN become NULL (BIGINT values are whole µs). */
export function appendRow(
  app: DuckDBAppender,
  types: readonly ColumnType[],
  values: readonly RowValue[],
): void {
  for (let c = 0; c < types.length; c++) {
    const v = values[c];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      app.appendNull();
      continue;
    }
    switch (types[c]) {
      case 'VARCHAR':
        app.appendVarchar(String(v));
        break;
      case 'DOUBLE':
        app.appendDouble(Number(v));
        break;
      case 'BIGINT':
        app.appendBigInt(BigInt(Math.round(Number(v))));
        break;
      case 'INTEGER':
        app.appendInteger(Number(v));
        break;
      case 'BOOLEAN':
        app.appendBoolean(Boolean(v));
        break;
    }
  }
  app.endRow();
}
