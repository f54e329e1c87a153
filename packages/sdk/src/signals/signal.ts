/**
 * The minimal read side every signal implements, so composites (`WeightedSum`, `AllOf`, `AnyOf`,
 * `Hysteresis`) can wrap any of them. `value` is `null` until `isReady`.
 */
export interface Signal {
  readonly value: number | null;
  readonly isReady: boolean;
}

/**
 * A streaming indicator: `update` folds one input in O(1) and returns the current value, or
 * `null` while warming up; `reset()` returns it to its freshly constructed state.
 */
export interface Indicator<TValue = number> {
  readonly value: TValue | null;
  readonly isReady: boolean;
  reset(): void;
}
