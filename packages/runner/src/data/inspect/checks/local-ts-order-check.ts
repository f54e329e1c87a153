import type { EventBatch } from '../../event-batch.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import { OffenceLog } from '../offence.js';
import type { SymbolIndex } from '../symbol-index.js';

/**
 * The store's own promise: `events` rows in local_ts order, so a replay never sorts. A row
 * earlier than the row before it is an offence (one misplaced row counts once, not for every
 * row after it).
 */
export class LocalTsOrderCheck implements BatchCheck {
  private prev = Number.NEGATIVE_INFINITY;
  private readonly log: OffenceLog;

  constructor(
    private readonly syms: SymbolIndex,
    maxExamples: number,
  ) {
    this.log = new OffenceLog(maxExamples);
  }

  feed(b: EventBatch, firstRow: number): void {
    for (let i = 0; i < b.length; i++) {
      const ts = b.localTs[i]!;
      if (ts < this.prev && this.log.hit()) {
        const detail = `local_ts ${ts} is ${this.prev - ts} µs before the previous row's ${this.prev}`;
        this.log.add(this.syms.offence(b.sym[i]!, firstRow + i, ts, detail));
      }
      this.prev = ts;
    }
  }

  result(): CheckResult {
    return {
      id: 'local-ts-order',
      title: 'events: rows in local_ts order (the tick store promises it; replays depend on it)',
      severity: 'problem',
      count: this.log.count,
      examples: this.log.examples,
    };
  }
}
