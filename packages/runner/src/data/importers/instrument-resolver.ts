import type { Instrument } from '@botplatform/sdk';
import type { ImportSink } from './import-sink.js';

/**
 * Where an importer gets the instrument (tick size, step size, fees...) of a symbol it meets in
 * the data: exchange archives carry prices and sizes but no trading rules. The CLI's
 * implementation (cli/instrument-flags.ts) takes them from --exchange-info / --instrument, else
 * from the target store; importers call `resolve` once per symbol per file, before that
 * symbol's first event.
 */
export interface InstrumentResolver {
  /**
   * Makes (exchange, symbol) known to `sink.writer` (adding it through `sink` when it comes
   * from outside the store) and returns it; a UserError naming the symbol and the fix when
   * there is none.
   */
  resolve(sink: ImportSink, exchange: string, symbol: string, where: string): Promise<Instrument>;
}
