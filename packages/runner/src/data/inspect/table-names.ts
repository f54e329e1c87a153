import { EventKind } from '../schema.js';

/** The logical table (view) of each `events.kind`, in the order reports list them. */
export const TABLE_OF_KIND = {
  [EventKind.Trade]: 'trades',
  [EventKind.Depth]: 'depth',
  [EventKind.BookTicker]: 'book_ticker',
  [EventKind.MarkPrice]: 'mark_price',
  [EventKind.OpenInterest]: 'open_interest',
} as const satisfies Record<EventKind, string>;

export type MarketTable = (typeof TABLE_OF_KIND)[EventKind];

/** The table name of a kind, or `kind N` for a kind this version does not know. */
export function tableOfKind(kind: number): string {
  return (TABLE_OF_KIND as Record<number, string | undefined>)[kind] ?? `kind ${kind}`;
}
