import { UserError } from '../../cli/user-error.js';

/**
 * The current row of a comma-separated file and strict parsers for its fields, each failing
 * with `<file>:<line>: column <name>: ...`. One instance serves a whole file: a per-row zod
 * parse would cost more than the rest of the import, so rows are checked by these hand-written
 * parsers instead (the file's header and every flag still go through zod). The archives this
 * reads (Binance, tardis.dev) never quote fields, so a plain split on commas is exact.
 */
export class CsvRow {
  fields: string[] = [];
  line = 0;

  constructor(readonly file: string) {}

  /** Makes `text` (line `line` of the file) the current row. */
  set(text: string, line: number): void {
    this.fields = text.split(',');
    this.line = line;
  }

  /** A UserError naming the current line. */
  fail(what: string): UserError {
    return new UserError(`${this.file}:${this.line}: ${what}`);
  }

  /** The raw text of field `i` ('' when absent). */
  text(i: number): string {
    return this.fields[i] ?? '';
  }

  /** A finite decimal number. */
  num(i: number, name: string): number {
    const s = this.text(i);
    const v = s === '' ? Number.NaN : Number(s);
    if (!Number.isFinite(v)) throw this.fail(`column ${name}: ${quote(s)} is not a number`);
    return v;
  }

  /** A finite number, or NaN when the field is empty (optional columns). */
  optNum(i: number, name: string): number {
    const s = this.text(i);
    if (s === '') return Number.NaN;
    const v = Number(s);
    if (!Number.isFinite(v)) throw this.fail(`column ${name}: ${quote(s)} is not a number`);
    return v;
  }

  /** A number > 0 (prices). */
  positive(i: number, name: string): number {
    const v = this.num(i, name);
    if (v <= 0) throw this.fail(`column ${name}: ${quote(this.text(i))} must be greater than 0`);
    return v;
  }

  /** A number ≥ 0 (sizes; 0 removes a book level). */
  nonNegative(i: number, name: string): number {
    const v = this.num(i, name);
    if (v < 0) throw this.fail(`column ${name}: ${quote(this.text(i))} must not be negative`);
    return v;
  }

  /** An integer that a JS number holds exactly (ids, timestamps). */
  int(i: number, name: string): number {
    const v = this.num(i, name);
    if (!Number.isSafeInteger(v)) throw this.fail(`column ${name}: ${quote(this.text(i))} is not an integer`);
    return v;
  }

  /** `true`/`false` in any letter case (Binance writes both `true` and `True`). */
  bool(i: number, name: string): boolean {
    const s = this.text(i);
    if (s === 'true' || s === 'True' || s === 'TRUE') return true;
    if (s === 'false' || s === 'False' || s === 'FALSE') return false;
    throw this.fail(`column ${name}: ${quote(s)} is not true or false`);
  }

  /** Fails unless the row has `n` fields (or `alt`, for formats with an optional last column). */
  expectFields(n: number, alt = n): void {
    const got = this.fields.length;
    if (got === n || got === alt) return;
    const expected = alt === n ? `${n}` : `${n} or ${alt}`;
    throw this.fail(`${got} columns, expected ${expected}; is this the right kind of file?`);
  }
}

function quote(s: string): string {
  return s === '' ? 'an empty value' : JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}
