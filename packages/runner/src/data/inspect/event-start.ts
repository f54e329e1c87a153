import type { EventBatch } from '../event-batch.js';
import { DepthFlag, EventKind } from '../schema.js';

/**
 * True when row i starts an event: every non-depth row, and the first row of a depth message.
 * Checks that judge events rather than rows (timestamps, sequence) look only at these, so a
 * 500-level snapshot counts once.
 */
export function isEventStart(b: EventBatch, i: number): boolean {
  return b.kind[i] !== EventKind.Depth || (b.flags[i]! & DepthFlag.First) !== 0;
}
