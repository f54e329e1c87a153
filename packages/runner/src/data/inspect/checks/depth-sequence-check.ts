import type { EventBatch } from '../../event-batch.js';
import { DepthFlag, EventKind } from '../../schema.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import { OffenceLog } from '../offence.js';
import { SYM_SLOTS, type SymbolIndex } from '../symbol-index.js';

/**
 * Depth sequence continuity, per symbol over depth messages in file order: a snapshot starts
 * the chain; every diff's prev_seq must equal the seq of the message before it, and a diff
 * before any snapshot is an offence (the book it updates was never known). Each offending
 * message counts, unlike the replay, which counts one gap per break until the next snapshot.
 * `depthChainBreaksSql` applies the same rule in SQL for `botp data info`.
 */
export class DepthSequenceCheck implements BatchCheck {
  private readonly lastSeq = new Float64Array(SYM_SLOTS);
  private readonly anchored = new Uint8Array(SYM_SLOTS);
  private readonly log: OffenceLog;

  constructor(
    private readonly syms: SymbolIndex,
    maxExamples: number,
  ) {
    this.log = new OffenceLog(maxExamples);
  }

  feed(b: EventBatch, firstRow: number): void {
    for (let i = 0; i < b.length; i++) {
      if (b.kind[i] !== EventKind.Depth) continue;
      const flags = b.flags[i]!;
      if ((flags & DepthFlag.First) === 0) continue;
      const sym = b.sym[i]!;
      const seq = b.seq[i]!;
      if ((flags & DepthFlag.Snapshot) !== 0) this.anchored[sym] = 1;
      else if (this.anchored[sym] === 0) {
        if (this.log.hit()) {
          this.log.add(
            this.syms.offence(sym, firstRow + i, b.localTs[i]!, `diff seq ${seq} before any snapshot`),
          );
        }
      } else if (b.prevSeq[i] !== this.lastSeq[sym]) {
        if (this.log.hit()) {
          const detail = `diff seq ${seq} has prev_seq ${b.prevSeq[i]}, but the previous message's seq is ${this.lastSeq[sym]}`;
          this.log.add(this.syms.offence(sym, firstRow + i, b.localTs[i]!, detail));
        }
      }
      this.lastSeq[sym] = seq;
    }
  }

  result(): CheckResult {
    return {
      id: 'depth-sequence',
      title: "depth sequence: each diff's prev_seq is the previous message's seq, after a snapshot",
      severity: 'problem',
      count: this.log.count,
      examples: this.log.examples,
    };
  }
}
