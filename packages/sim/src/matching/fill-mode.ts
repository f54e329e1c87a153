/**
 * How a resting order fills from trades at its own price once the queue ahead is gone:
 * `partial` fills only the trade's excess over the queue, `full` fills the whole remainder on
 * any trade that reaches the order.
 */
export type FillMode = 'partial' | 'full';

/** `--fills` help line. */
export const FILLS_HELP =
  'partial | full  a trade at the order price reaching the order fills min(trade − queue ahead, leaves) (partial, default) or the whole leaves (full)';

/** Parses a `--fills` value; throws an Error naming the accepted values otherwise. */
export function parseFillMode(spec: string): FillMode {
  const s = spec.trim();
  if (s === 'partial' || s === 'full') return s;
  throw new Error(`unknown fill mode "${spec}": accepted values are partial, full`);
}
