import { OrderBook } from '@botplatform/sdk';
import type { EventBatch } from '../../event-batch.js';
import { DepthFlag, EventKind } from '../../schema.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import { OffenceLog } from '../offence.js';
import type { SymbolIndex } from '../symbol-index.js';

/**
 * Rebuilds each symbol's local book from depth rows, as the replay does, and checks best bid <
 * best ask after every message. Books start at a symbol's first snapshot (before it the book
 * is unknown, which the sequence check reports); symbols without an instrument are skipped
 * (no tick size to key levels by). Memory is the books, whatever the file's length.
 */
export class CrossedDepthBookCheck implements BatchCheck {
  private readonly books: Array<OrderBook | undefined> = [];
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
      const sym = b.sym[i]!;
      const flags = b.flags[i]!;
      let book = this.books[sym];
      if ((flags & (DepthFlag.First | DepthFlag.Snapshot)) === (DepthFlag.First | DepthFlag.Snapshot)) {
        if (!book) {
          const inst = this.syms.instrument(sym);
          if (!inst) continue;
          book = new OrderBook(inst.symbol, inst.tickSize);
          this.books[sym] = book;
        } else book.clear();
      }
      if (!book) continue;
      book.update(b.side[i]! > 0 ? 1 : -1, b.price[i]!, b.qty[i]!);
      if ((flags & DepthFlag.Last) !== 0 && book.isCrossed() && this.log.hit()) {
        const detail = `after seq ${b.seq[i]}: best bid ${book.bestBid()} ≥ best ask ${book.bestAsk()}`;
        this.log.add(this.syms.offence(sym, firstRow + i, b.localTs[i]!, detail));
      }
    }
  }

  result(): CheckResult {
    return {
      id: 'crossed-depth-book',
      title: 'depth: the local book rebuilt from depth has best bid < best ask after each message',
      severity: 'problem',
      count: this.log.count,
      examples: this.log.examples,
    };
  }
}
