import { z } from 'zod';

/**
 * The data.binance.vision archive kinds this importer knows, with the CSV header of the USD-M
 * futures files (newer archives have it; older ones and all spot archives start with data).
 * Sources: binance/binance-public-data README (column titles per kind) and the headers of
 * the archives themselves, e.g. futures/um/daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-*.zip.
 */
export const ARCHIVE_COLUMNS = {
  aggTrades: [
    'agg_trade_id',
    'price',
    'quantity',
    'first_trade_id',
    'last_trade_id',
    'transact_time',
    'is_buyer_maker',
  ],
  trades: ['id', 'price', 'qty', 'quote_qty', 'time', 'is_buyer_maker'],
  bookTicker: [
    'update_id',
    'best_bid_price',
    'best_bid_qty',
    'best_ask_price',
    'best_ask_qty',
    'transaction_time',
    'event_time',
  ],
  bookDepth: ['timestamp', 'percentage', 'depth', 'notional'],
} as const;

export const archiveKindSchema = z.enum(['aggTrades', 'trades', 'bookTicker', 'bookDepth']);
export type ArchiveKind = z.output<typeof archiveKindSchema>;
export const ARCHIVE_KINDS = archiveKindSchema.options;

/**
 * Spot archives add a trailing `is_best_match` column to aggTrades and trades; it says nothing
 * a backtest uses, so files with it are accepted too.
 */
export const OPTIONAL_TRAILING_COLUMN: Partial<Record<ArchiveKind, string>> = {
  aggTrades: 'is_best_match',
  trades: 'is_best_match',
};

/**
 * Why bookDepth is not imported. It holds, every ~30-60 s, the cumulative quantity and notional
 * resting within ±1..5% of the price: 10-12 numbers per snapshot, no price levels, no queue
 * sizes, no update ids. The tick store's `depth` holds absolute sizes per price level, which
 * the simulated exchange matches against; inventing levels from percentage bands would give it
 * a book that never existed.
 */
export const BOOK_DEPTH_REASON =
  'bookDepth is cumulative depth per ±% band around the price, not price levels, so it cannot feed the depth table the simulator matches against; use bookTicker (best bid/ask) or a level-2 source (tardis incremental_book_L2, botp record)';

/** True when a CSV line is a header (its first field is a column name, not a number). */
export function isHeaderLine(line: string): boolean {
  const comma = line.indexOf(',');
  const first = comma === -1 ? line : line.slice(0, comma);
  return first === '' || Number.isNaN(Number(first));
}
