import { z } from 'zod';
import { BinanceError } from '../binance-error.js';
import { optionalParam, type RawParams } from './order-params.js';

/** The time window and page size of Binance's history endpoints (All Orders, Account Trade List). */
export interface HistoryWindow {
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;

const integer = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/** `startTime`, `endTime` (ms) and `limit` (1–1000, default 500); a window over 7 days is refused (-4166). */
export function readHistoryWindow(raw: RawParams): HistoryWindow {
  const w = {
    startTime: optionalParam(raw, 'startTime', integer),
    endTime: optionalParam(raw, 'endTime', integer),
    limit: optionalParam(raw, 'limit', integer) ?? DEFAULT_LIMIT,
  };
  if (w.limit < 1 || w.limit > MAX_LIMIT)
    throw new BinanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
  if (w.startTime !== undefined && w.endTime !== undefined && w.endTime - w.startTime > WEEK_MS)
    throw new BinanceError(400, -4166, 'Search window is restricted to recent 7 days only.');
  return w;
}

/** The window's bounds in ms: a missing side is 7 days from the other, or the last 7 days. */
export function windowBounds(
  w: HistoryWindow,
  nowMs: number,
): { readonly from: number; readonly to: number } {
  const from = w.startTime ?? (w.endTime !== undefined ? w.endTime - WEEK_MS : nowMs - WEEK_MS);
  const to = w.endTime ?? (w.startTime !== undefined ? w.startTime + WEEK_MS : nowMs);
  return { from, to };
}
