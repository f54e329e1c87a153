import { basename } from 'node:path';

/** What an archive's file name says: `BTCUSDT-aggTrades-2024-01-01.zip`, `…-2024-01.csv`. */
export interface ArchiveName {
  readonly symbol: string;
  readonly kind: string;
}

/** Reads a file name starting `SYMBOL-KIND-YYYY-MM` (daily or monthly, any suffix), or undefined. */
export function parseArchiveName(file: string): ArchiveName | undefined {
  const m = /^([A-Z0-9_]+)-([A-Za-z]+)-\d{4}-\d{2}/.exec(basename(file));
  return m ? { symbol: m[1]!, kind: m[2]! } : undefined;
}
