import type { EventBatch } from '../../event-batch.js';
import { DepthFlag, EventKind } from '../../schema.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import { isEventStart } from '../event-start.js';
import { OffenceLog } from '../offence.js';
import { SYM_SLOTS, type SymbolIndex } from '../symbol-index.js';
import { tableOfKind } from '../table-names.js';

/** Kinds per sym slot in the per-stream state (kinds are 1–5; 8 leaves room). */
const KINDS = 8;

/**
 * exch_ts going backwards within one stream (symbol × table): one connection delivers a
 * stream in exchange order, so this is suspicious (a recorder or importer bug, or a replayed
 * message). Judged per event: a depth message once, not per level. A depth snapshot is not
 * part of the diff stream (a REST answer taken while diffs flow; the diff that bridges it is
 * older on real Binance too), so it neither counts nor moves the stream's clock.
 */
export class ExchTsWithinStreamCheck implements BatchCheck {
  private readonly last = new Float64Array(SYM_SLOTS * KINDS).fill(Number.NEGATIVE_INFINITY);
  private readonly log: OffenceLog;

  constructor(
    private readonly syms: SymbolIndex,
    maxExamples: number,
  ) {
    this.log = new OffenceLog(maxExamples);
  }

  feed(b: EventBatch, firstRow: number): void {
    for (let i = 0; i < b.length; i++) {
      if (!isEventStart(b, i)) continue;
      if (b.kind[i] === EventKind.Depth && (b.flags[i]! & DepthFlag.Snapshot) !== 0) continue;
      const stream = b.sym[i]! * KINDS + (b.kind[i]! % KINDS);
      const ts = b.exchTs[i]!;
      const prev = this.last[stream]!;
      if (ts < prev && this.log.hit()) {
        const detail = `${tableOfKind(b.kind[i]!)} exch_ts ${ts} is ${prev - ts} µs before the stream's previous ${prev}`;
        this.log.add(this.syms.offence(b.sym[i]!, firstRow + i, b.localTs[i]!, detail));
      }
      this.last[stream] = ts;
    }
  }

  result(): CheckResult {
    return {
      id: 'exch-ts-within-stream',
      title: 'exch_ts never goes back within a stream (symbol × table): suspicious when it does',
      severity: 'problem',
      count: this.log.count,
      examples: this.log.examples,
    };
  }
}
