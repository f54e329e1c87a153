import type { MarketTable } from './table-names.js';

/** Spellings a recorder may use for a stream in `gaps.stream`, normalized (lower case, no `_`). */
const TABLES: Record<string, MarketTable> = {
  trade: 'trades',
  trades: 'trades',
  aggtrade: 'trades',
  depth: 'depth',
  bookticker: 'book_ticker',
  markprice: 'mark_price',
  openinterest: 'open_interest',
};

/** The market table a `gaps.stream` value refers to, or undefined for a stream of another name. */
export function tableOfGapStream(stream: string): MarketTable | undefined {
  return TABLES[stream.toLowerCase().replaceAll(/[_\s-]/g, '')];
}
