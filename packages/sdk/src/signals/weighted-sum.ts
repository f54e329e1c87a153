import type { Signal } from './signal.js';

export interface WeightedInput {
  readonly signal: Signal;
  readonly weight: number;
}

/**
 * Σ weightᵢ · valueᵢ over its inputs, read on demand (O(inputs), no state). `null` unless every
 * input is ready.
 */
export class WeightedSum implements Signal {
  constructor(readonly inputs: readonly WeightedInput[]) {}

  get value(): number | null {
    let sum = 0;
    for (const { signal, weight } of this.inputs) {
      const v = signal.value;
      if (v === null || !signal.isReady) return null;
      sum += weight * v;
    }
    return sum;
  }
  get isReady(): boolean {
    return this.value !== null;
  }
}
