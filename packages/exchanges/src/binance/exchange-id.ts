/** Venue id of Binance USD-M futures, as stored in the tick store's `exchange` column. */
export const BINANCE_FUTURES_ID = 'binance-futures';
