import type { EventBatch } from '../../event-batch.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import { isEventStart } from '../event-start.js';
import { OffenceLog } from '../offence.js';
import type { SymbolIndex } from '../symbol-index.js';
import { tableOfKind } from '../table-names.js';

/**
 * Events received before the exchange says it sent them (local_ts < exch_ts): the recording
 * machine's clock was behind. Feed latency then reads negative, and the simulated exchange
 * would see the event after the strategy does.
 */
export class ClockSkewCheck implements BatchCheck {
  private readonly log: OffenceLog;

  constructor(
    private readonly syms: SymbolIndex,
    maxExamples: number,
  ) {
    this.log = new OffenceLog(maxExamples);
  }

  feed(b: EventBatch, firstRow: number): void {
    for (let i = 0; i < b.length; i++) {
      const local = b.localTs[i]!;
      const exch = b.exchTs[i]!;
      if (!(local < exch) || !isEventStart(b, i)) continue;
      if (this.log.hit()) {
        const detail = `${tableOfKind(b.kind[i]!)} local_ts is ${exch - local} µs before exch_ts ${exch}`;
        this.log.add(this.syms.offence(b.sym[i]!, firstRow + i, local, detail));
      }
    }
  }

  result(): CheckResult {
    return {
      id: 'clock-skew',
      title: 'local_ts ≥ exch_ts on every event (else the recording clock was behind)',
      severity: 'problem',
      count: this.log.count,
      examples: this.log.examples,
    };
  }
}
