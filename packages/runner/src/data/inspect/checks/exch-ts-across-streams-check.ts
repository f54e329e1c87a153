import type { EventBatch } from '../../event-batch.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import { isEventStart } from '../event-start.js';
import { OffenceLog } from '../offence.js';
import type { SymbolIndex } from '../symbol-index.js';
import { tableOfKind } from '../table-names.js';

/**
 * Events whose exch_ts is earlier than the previous event's when that one came from another
 * stream. Normal: streams arrive over different connections with different latencies, and the
 * store is ordered by local time. Reported for information only, never a failure.
 */
export class ExchTsAcrossStreamsCheck implements BatchCheck {
  private prevTs = Number.NEGATIVE_INFINITY;
  private prevSym = -1;
  private prevKind = -1;
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
      const ts = b.exchTs[i]!;
      const sym = b.sym[i]!;
      const kind = b.kind[i]!;
      const otherStream = sym !== this.prevSym || kind !== this.prevKind;
      if (otherStream && ts < this.prevTs && this.log.hit()) {
        const detail = `${tableOfKind(kind)} exch_ts ${ts} is ${this.prevTs - ts} µs before the previous event's (${tableOfKind(this.prevKind)})`;
        this.log.add(this.syms.offence(sym, firstRow + i, b.localTs[i]!, detail));
      }
      this.prevTs = ts;
      this.prevSym = sym;
      this.prevKind = kind;
    }
  }

  result(): CheckResult {
    return {
      id: 'exch-ts-across-streams',
      title: 'exch_ts going back across streams: normal (streams arrive with different latencies)',
      severity: 'info',
      count: this.log.count,
      examples: this.log.examples,
    };
  }
}
