import type { EventBatch } from '../../event-batch.js';
import { EventKind } from '../../schema.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import { OffenceLog } from '../offence.js';
import type { SymbolIndex } from '../symbol-index.js';

/** Book-ticker rows whose best bid is at or above the best ask (a side priced 0 is empty, not crossed). */
export class CrossedBookTickerCheck implements BatchCheck {
  private readonly log: OffenceLog;

  constructor(
    private readonly syms: SymbolIndex,
    maxExamples: number,
  ) {
    this.log = new OffenceLog(maxExamples);
  }

  feed(b: EventBatch, firstRow: number): void {
    for (let i = 0; i < b.length; i++) {
      if (b.kind[i] !== EventKind.BookTicker) continue;
      const bid = b.price[i]!;
      const ask = b.price2[i]!;
      if (!(bid >= ask && bid > 0 && ask > 0)) continue;
      if (this.log.hit()) {
        const detail = `seq ${b.seq[i]}: bid ${bid} ≥ ask ${ask}`;
        this.log.add(this.syms.offence(b.sym[i]!, firstRow + i, b.localTs[i]!, detail));
      }
    }
  }

  result(): CheckResult {
    return {
      id: 'crossed-book-ticker',
      title: 'book_ticker: bid < ask on every row',
      severity: 'problem',
      count: this.log.count,
      examples: this.log.examples,
    };
  }
}
