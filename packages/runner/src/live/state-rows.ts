import type { ColumnType as StateColumn, RowValue as StateValue } from '../data/append-row.js';

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
