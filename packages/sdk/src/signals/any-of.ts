import { isPositive, type SignalPredicate } from './all-of.js';
import type { Signal } from './signal.js';

/**
 * 1 when at least one input is on, else 0; read on demand. `null` unless every input is ready
 * (the same readiness rule as `AllOf`, so a warming input cannot hide a later "off").
 */
export class AnyOf implements Signal {
  constructor(
    readonly inputs: readonly Signal[],
    readonly predicate: SignalPredicate = isPositive,
  ) {}

  get value(): number | null {
    let any = false;
    for (const s of this.inputs) {
      const v = s.value;
      if (v === null || !s.isReady) return null;
      if (this.predicate(v)) any = true;
    }
    return any ? 1 : 0;
  }
  get isReady(): boolean {
    return this.value !== null;
  }
}
