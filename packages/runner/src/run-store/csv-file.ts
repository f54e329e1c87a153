import { closeSync, openSync, writeSync } from 'node:fs';

export type CsvValue = string | number | boolean | null | undefined;

/** A CSV field: numbers in JS shortest round-trip form (NaN and null empty), text quoted when needed. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Writes `count` rows produced by `row(i)` under `columns`, in batches (no whole-file string). */
export function writeCsv(
  path: string,
  columns: readonly string[],
  count: number,
  row: (i: number) => readonly CsvValue[],
): void {
  const fd = openSync(path, 'w');
  try {
    let chunk = `${columns.join(',')}\n`;
    for (let i = 0; i < count; i++) {
      chunk += `${row(i).map(csvField).join(',')}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
