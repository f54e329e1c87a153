import type { Signal } from './signal.js';

/** A signal counts as "on" when `predicate(value)` holds; default `value > 0`. */
export type SignalPredicate = (value: number) => boolean;
export const isPositive: SignalPredicate = (v) => v > 0;

/**
 * 1 when every input is on, else 0; read on demand. `null` unless every input is ready.
 * Pass `predicate` to choose what "on" means (e.g. `(v) => v > 0.3` for a threshold).
 */
export class AllOf implements Signal {
  constructor(
    readonly inputs: readonly Signal[],
    readonly predicate: SignalPredicate = isPositive,
  ) {}

  get value(): number | null {
    let all = true;
    for (const s of this.inputs) {
      const v = s.value;
      if (v === null || !s.isReady) return null;
      if (!this.predicate(v)) all = false;
    }
    return all ? 1 : 0;
  }
  get isReady(): boolean {
    return this.value !== null;
  }
}
