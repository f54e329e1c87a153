import type { StoredInstrument } from '../instrument-table.js';
import type { BatchCheck } from './batch-check.js';
import { ClockSkewCheck } from './checks/clock-skew-check.js';
import { CrossedBookTickerCheck } from './checks/crossed-book-ticker-check.js';
import { CrossedDepthBookCheck } from './checks/crossed-depth-book-check.js';
import { DepthSequenceCheck } from './checks/depth-sequence-check.js';
import { ExchTsAcrossStreamsCheck } from './checks/exch-ts-across-streams-check.js';
import { ExchTsWithinStreamCheck } from './checks/exch-ts-within-stream-check.js';
import { LocalTsOrderCheck } from './checks/local-ts-order-check.js';
import { MissingInstrumentsCheck } from './checks/missing-instruments-check.js';
import { SymbolIndex } from './symbol-index.js';

/** Examples kept per check unless asked otherwise. */
export const DEFAULT_MAX_EXAMPLES = 5;

/** Every row-level check verify runs, in report order, fresh (no rows seen yet). */
export function createRowChecks(
  instruments: readonly StoredInstrument[],
  maxExamples = DEFAULT_MAX_EXAMPLES,
): BatchCheck[] {
  const syms = new SymbolIndex(instruments);
  return [
    new DepthSequenceCheck(syms, maxExamples),
    new CrossedBookTickerCheck(syms, maxExamples),
    new CrossedDepthBookCheck(syms, maxExamples),
    new LocalTsOrderCheck(syms, maxExamples),
    new ExchTsWithinStreamCheck(syms, maxExamples),
    new ExchTsAcrossStreamsCheck(syms, maxExamples),
    new ClockSkewCheck(syms, maxExamples),
    new MissingInstrumentsCheck(syms, maxExamples),
  ];
}
