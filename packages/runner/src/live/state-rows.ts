import type { DuckDBAppender } from '@duckdb/node-api';

/** Column types the state file's appenders write. */
export type StateColumn = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'INTEGER' | 'BOOLEAN';

export type StateValue = string | number | boolean | null | undefined;

/** Appends one row; null, undefined and NaN become NULL (BIGINT values are whole µs). */
export function appendRow(
  app: DuckDBAppender,
  types: readonly StateColumn[],
  values: readonly StateValue[],
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

/** Rows waiting for the next flush, per table, with the table's column types. */
export class RowBuffer {
  private rows: StateValue[][] = [];

  constructor(
    readonly table: string,
    readonly types: readonly StateColumn[],
  ) {}

  push(values: StateValue[]): void {
    this.rows.push(values);
  }

  get size(): number {
    return this.rows.length;
  }

  /** Hands over the buffered rows and starts a new buffer (rows pushed during a flush wait for the next). */
  take(): StateValue[][] {
    const out = this.rows;
    this.rows = [];
    return out;
  }

  /** Puts rows back in front (a flush that failed). */
  restore(rows: StateValue[][]): void {
    this.rows = rows.concat(this.rows);
  }
}
