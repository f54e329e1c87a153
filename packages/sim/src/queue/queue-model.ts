/**
 * The queue state a model keeps on each of our resting orders. Quantities are in the units
 * the exchange passes (the simulated exchange uses lots of the instrument's step size, so the
 * arithmetic is exact on integer counts). Fields are mutable and live on the order object, so
 * queue updates allocate nothing.
 */
export interface QueuePosition {
  /** Estimated market quantity ahead of the order at its price (≥ 0). */
  queueAhead: number;
  /**
   * Quantity traded at the order's price since that level's size was last updated by depth.
   * Those trades also shrink the level in the next depth update; models that infer
   * cancellations from level decreases subtract it so a trade is not counted twice.
   */
  queueTraded: number;
}

/**
 * How a resting order's place in the FIFO queue at its price level evolves on L2 data
 * (hftbacktest's QueueModel). The exchange calls it only for events at the order's own price
 * on the order's own side of the book:
 *
 * - `onAccept`: the order joins the back of the level: `ahead = levelQty`.
 * - `onTrade`: a trade at the price by the opposite aggressor consumes the queue front first:
 *   `reached = max(0, tradeQty − ahead)`, `ahead = max(0, ahead − tradeQty)`; `reached` is
 *   what the trade left for the order (the exchange fills min(reached, leaves)).
 * - `onLevelChange`: the level's absolute size went from `prevQty` to `newQty`. A decrease not
 *   explained by trades (`prevQty − newQty − queueTraded`) is cancellations, split between
 *   ahead and behind by the model; an increase joins behind the order. Always
 *   `ahead ≤ newQty` afterwards (no more can be ahead than the level holds).
 *
 * Models must be deterministic (no Math.random; a seeded PRNG if ever needed).
 */
export interface QueueModel {
  /** Spec name, e.g. `risk-averse`, `prob-power:3`. */
  readonly name: string;
  onAccept(pos: QueuePosition, levelQty: number): void;
  /** Returns the part of `tradeQty` that reached the order (≥ 0). */
  onTrade(pos: QueuePosition, tradeQty: number): number;
  onLevelChange(pos: QueuePosition, prevQty: number, newQty: number): void;
}
