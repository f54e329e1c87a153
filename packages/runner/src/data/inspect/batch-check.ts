import type { EventBatch } from '../event-batch.js';
import type { CheckResult } from './check-result.js';

/**
 * A data check as a pure state machine over `events` rows: fed batches in file order, it
 * answers with a count and the first offences. No I/O, so anything holding rows (verify's
 * scan, a replay, the recorder) can run one.
 */
export interface BatchCheck {
  /** Feeds the next rows; `firstRow` is the file position of the batch's row 0. */
  feed(b: EventBatch, firstRow: number): void;
  result(): CheckResult;
}
