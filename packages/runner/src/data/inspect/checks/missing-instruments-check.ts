import type { EventBatch } from '../../event-batch.js';
import type { BatchCheck } from '../batch-check.js';
import type { CheckResult } from '../check-result.js';
import type { Offence } from '../offence.js';
import { SYM_SLOTS, type SymbolIndex } from '../symbol-index.js';

/**
 * `events.sym` ids with no `instruments` row: their rows are invisible through the views and a
 * replay cannot name, key or validate them. Counts missing instruments (not rows); each
 * example is the first row of one, with how many rows reference it.
 */
export class MissingInstrumentsCheck implements BatchCheck {
  private readonly rows = new Float64Array(SYM_SLOTS);
  private readonly first: Array<{ row: number; localTs: number; sym: number }> = [];

  constructor(
    private readonly syms: SymbolIndex,
    private readonly maxExamples: number,
  ) {}

  feed(b: EventBatch, firstRow: number): void {
    for (let i = 0; i < b.length; i++) {
      const sym = b.sym[i]!;
      if (this.syms.instrument(sym)) continue;
      if (this.rows[sym] === 0) this.first.push({ row: firstRow + i, localTs: b.localTs[i]!, sym });
      this.rows[sym]!++;
    }
  }

  result(): CheckResult {
    const examples: Offence[] = this.first.slice(0, this.maxExamples).map((f) => ({
      row: f.row,
      localTs: f.localTs,
      exchange: null,
      symbol: null,
      detail: `sym ${f.sym} has no instruments row; ${this.rows[f.sym]} rows reference it`,
    }));
    return {
      id: 'missing-instruments',
      title: 'instruments: every sym in events has an instruments row',
      severity: 'problem',
      count: this.first.length,
      examples,
    };
  }
}
