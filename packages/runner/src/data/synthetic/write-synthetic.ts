import { UserError } from '../../cli/user-error.js';
import { encodedRowCount } from '../encode-event.js';
import { TickStoreWriter } from '../tick-store-writer.js';
import { generateSyntheticMarket, type SyntheticEvent } from './synthetic-market.js';
import type { SyntheticMarketOptions } from './synthetic-options.js';

/** Optional limits and progress reporting for {@link writeSyntheticDataset}. */
export interface WriteSyntheticOptions {
  /**
   * Stop once at least this many tick-store rows are written (one per trade, book ticker or
   * mark price, one per price level of a depth message), at the end of the event that reaches
   * it, even if `durationUs` is not over. Sizes a dataset by rows: pass a generous duration.
   */
  readonly maxRows?: number;
  /** Called with the rows written so far, about every million rows. */
  readonly onProgress?: (rows: number) => void;
}

/**
 * Generates a synthetic market into the DuckDB tick store at `path` (created if absent): the
 * instrument first, then every event, streamed (memory stays flat however long the market).
 * Refuses a store that already holds the instrument, so data is never silently duplicated.
 * Returns the number of market events and of tick-store rows written.
 */
export async function writeSyntheticDataset(
  path: string,
  opts: SyntheticMarketOptions,
  limits: WriteSyntheticOptions = {},
): Promise<{ events: number; rows: number }> {
  const maxRows = limits.maxRows ?? Number.POSITIVE_INFINITY;
  if (!(maxRows > 0)) {
    throw new RangeError(`writeSyntheticDataset: maxRows must be > 0, got ${String(limits.maxRows)}`);
  }
  const onProgress = limits.onProgress;
  const writer = await TickStoreWriter.open(path);
  let events = 0;
  let rows = 0;
  let nextProgress = PROGRESS_ROWS;
  try {
    for (const ev of generateSyntheticMarket(opts)) {
      if (ev.type === 'instrument') {
        const { exchange, symbol } = ev.instrument;
        if (writer.symOf(exchange, symbol) !== undefined) {
          throw new UserError(
            `${path} already holds ${exchange} ${symbol} data; delete the file or choose another path for the synthetic dataset`,
          );
        }
        await writer.addInstrument(ev.instrument);
      } else {
        writer.append(ev);
        events++;
        rows += encodedRowCount(ev);
        if (rows >= nextProgress) {
          onProgress?.(rows);
          nextProgress += PROGRESS_ROWS;
        }
        if (rows >= maxRows) break;
      }
    }
  } finally {
    await writer.close();
  }
  return { events, rows };
}

const PROGRESS_ROWS = 1_000_000;

/**
 * The generator's output as normalized event lines (`botp import normalized`): one JSON object
 * per item, without the trailing newline, the instrument line first.
 */
export function* toNormalizedLines(gen: Iterable<SyntheticEvent>): Generator<string, void, undefined> {
  for (const ev of gen) {
    if (ev.type === 'instrument') {
      const i = ev.instrument;
      yield JSON.stringify({
        type: 'instrument',
        exchange: i.exchange,
        symbol: i.symbol,
        tickSize: i.tickSize,
        stepSize: i.stepSize,
        minQty: i.minQty,
        minNotional: i.minNotional,
        makerFee: i.makerFee,
        takerFee: i.takerFee,
        contractSize: i.contractSize,
      });
    } else {
      yield JSON.stringify(ev);
    }
  }
}
