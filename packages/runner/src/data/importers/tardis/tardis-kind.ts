/**
 * The tardis.dev CSV datasets this importer reads, told apart by their header row (file names
 * vary with how they were downloaded). Columns per https://docs.tardis.dev/downloadable-csv-files
 * (data types): every file starts `exchange,symbol,timestamp,local_timestamp`, timestamps in µs
 * since the epoch (`timestamp` the exchange's, `local_timestamp` tardis' arrival time).
 */
export type TardisKind =
  | { readonly name: 'trades' }
  | { readonly name: 'incremental_book_L2' }
  | { readonly name: 'quotes' }
  | { readonly name: 'derivative_ticker' }
  | { readonly name: 'book_snapshot'; readonly levels: number };

const PREFIX = 'exchange,symbol,timestamp,local_timestamp';

/** Fixed-schema datasets by their exact header. `book_ticker` has the quotes schema. */
const FIXED_HEADERS: Record<string, TardisKind> = {
  [`${PREFIX},id,side,price,amount`]: { name: 'trades' },
  [`${PREFIX},is_snapshot,side,price,amount`]: { name: 'incremental_book_L2' },
  [`${PREFIX},ask_amount,ask_price,bid_price,bid_amount`]: { name: 'quotes' },
  [`${PREFIX},funding_timestamp,funding_rate,predicted_funding_rate,open_interest,last_price,index_price,mark_price`]:
    { name: 'derivative_ticker' },
};

export const TARDIS_KIND_NAMES = [
  'trades',
  'incremental_book_L2',
  'book_snapshot_25 (or _5)',
  'quotes',
  'book_ticker',
  'derivative_ticker',
] as const;

/** The dataset a header row belongs to, or undefined for one this importer does not read. */
export function tardisKindOf(header: string): TardisKind | undefined {
  const fixed = FIXED_HEADERS[header];
  if (fixed) return fixed;
  return bookSnapshotKind(header);
}

/** `book_snapshot_N`: the prefix, then asks[i].price,asks[i].amount,bids[i].price,bids[i].amount for i < N. */
function bookSnapshotKind(header: string): TardisKind | undefined {
  if (!header.startsWith(`${PREFIX},`)) return undefined;
  const cols = header.slice(PREFIX.length + 1).split(',');
  if (cols.length === 0 || cols.length % 4 !== 0) return undefined;
  const levels = cols.length / 4;
  for (let i = 0; i < levels; i++) {
    if (
      cols[4 * i] !== `asks[${i}].price` ||
      cols[4 * i + 1] !== `asks[${i}].amount` ||
      cols[4 * i + 2] !== `bids[${i}].price` ||
      cols[4 * i + 3] !== `bids[${i}].amount`
    ) {
      return undefined;
    }
  }
  return { name: 'book_snapshot', levels };
}

/** Column count of a dataset's rows. */
export function tardisColumnCount(kind: TardisKind): number {
  switch (kind.name) {
    case 'trades':
    case 'incremental_book_L2':
    case 'quotes':
      return 8;
    case 'derivative_ticker':
      return 11;
    case 'book_snapshot':
      return 4 + 4 * kind.levels;
  }
}
