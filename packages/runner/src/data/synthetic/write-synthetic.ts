import { UserError } from '../../cli/user-error.js';
import { TickStoreWriter } from '../tick-store-writer.js';
import { generateSyntheticMarket, type SyntheticEvent } from './synthetic-market.js';
import type { SyntheticMarketOptions } from './synthetic-options.js';

/**
 * Generates a synthetic market into the DuckDB tick store at `path` (created if absent): the
 * instrument first, then every event, streamed (memory stays flat however long the market).
 * Refuses a store that already holds the instrument, so data is never silently duplicated.
 * Returns the number of market events written.
 */
export async function writeSyntheticDataset(
  path: string,
  opts: SyntheticMarketOptions,
): Promise<{ events: number }> {
  const writer = await TickStoreWriter.open(path);
  let events = 0;
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
      }
    }
  } finally {
    await writer.close();
  }
  return { events };
}

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
