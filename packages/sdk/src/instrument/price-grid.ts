/**
 * Exact decimal grid math on plain `number`s (prices on a tick grid, quantities on a step grid).
 *
 * A grid value is represented by its integer index `n` (`value ≈ n × step`). Converting back
 * must give the *same double as the decimal literal* (3 ticks of 0.1 is `0.3`, not
 * `0.30000000000000004`), so values compare with `===`, hash the same and format cleanly.
 * The trick: write `n × step` as a ratio of two integers `n × num / den` that are exact in a
 * double (< 2^53). IEEE-754 division is correctly rounded, so dividing them yields the double
 * nearest to the exact decimal value, which is by definition what the literal parses to.
 * `n × step` instead multiplies by an already-rounded `step` and can land one ulp off.
 */

/** Largest number of decimals considered; steps finer than 1e-15 are not real instruments. */
const MAX_DECIMALS = 15;

/** Relative tolerance, as a fraction of a step, for "on the grid" and for floor/ceil. */
const GRID_TOLERANCE = 1e-9;

/**
 * Tolerance in units of steps for the index `r = value / step`: 1e-9 of a step, widened by a
 * few ulps of `r` so large indices (1e6 BTC at step 0.001 is r = 1e9) absorb the rounding
 * error of the division itself.
 */
const indexTolerance = (r: number): number => GRID_TOLERANCE + Math.abs(r) * 4 * Number.EPSILON;

/**
 * Number of decimals of a step size: 0.001 → 3, 0.5 → 1, 10 → 0, 1e-8 → 8.
 * The smallest `d` for which `step × 10^d` is (within 1e-9 relative) a non-zero integer.
 */
export function decimalsOf(step: number): number {
  if (!Number.isFinite(step) || step === 0) return 0;
  const a = Math.abs(step);
  let scale = 1;
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const s = a * scale;
    const n = Math.round(s);
    if (n !== 0 && Math.abs(s - n) <= GRID_TOLERANCE * s) return d;
    scale *= 10;
  }
  return MAX_DECIMALS;
}

/**
 * `step` as an exact ratio `num / den` of integers: `num = 1, den = k` when `1/step` is an
 * integer k (0.1 → 1/10, 0.25 → 1/4, 0.005 → 1/200), otherwise `num = step × 10^d` over
 * `den = 10^d` (0.3 → 3/10, 10 → 10/1). Then `n × step` is computed as `(n × num) / den`.
 */
export interface GridScale {
  readonly num: number;
  readonly den: number;
}

/** Computes a step's {@link GridScale}; cache it when converting many indices (the order book does). */
export function gridScale(step: number): GridScale {
  const k = 1 / step;
  const rk = Math.round(k);
  if (rk >= 1 && Math.abs(k - rk) <= GRID_TOLERANCE * rk) return { num: 1, den: rk };
  const den = 10 ** decimalsOf(step);
  return { num: Math.round(step * den), den };
}

/** Grid index of a value: `Math.round(price / tickSize)`. */
export const priceToTicks = (price: number, tickSize: number): number => Math.round(price / tickSize);

let lastStep = Number.NaN;
let lastNum = 1;
let lastDen = 1;

/**
 * The double equal to the decimal `ticks × tickSize` (3 ticks of 0.1 → exactly `0.3`).
 * Computes `ticks × num / den` from {@link gridScale}; the scale of the last tick size used is
 * memoized so repeated calls with one tick size do no extra work and allocate nothing.
 */
export function ticksToPrice(ticks: number, tickSize: number): number {
  if (tickSize !== lastStep) {
    const s = gridScale(tickSize);
    lastStep = tickSize;
    lastNum = s.num;
    lastDen = s.den;
  }
  return (ticks * lastNum) / lastDen;
}

/** Whether `value` is a multiple of `step`, within 1e-9 of a step (plus float noise on large values). */
export function isOnGrid(value: number, step: number): boolean {
  const r = value / step;
  return Math.abs(r - Math.round(r)) <= indexTolerance(r);
}

export type RoundMode = 'nearest' | 'down' | 'up';

/**
 * Rounds `value` to a multiple of `step` and returns it as the exact decimal double.
 * Tolerant of float noise: a value within 1e-9 of a step of a grid point counts as on it,
 * so `0.30000000000000004` rounds `down` to `0.3`, not `0.2`. `nearest` rounds halves up.
 */
export function roundToStep(value: number, step: number, mode: RoundMode): number {
  const r = value / step;
  const tol = indexTolerance(r);
  let n: number;
  if (mode === 'down') n = Math.floor(r + tol);
  else if (mode === 'up') n = Math.ceil(r - tol);
  else n = Math.round(r);
  // `n + 0` turns a -0 from ceil(-tiny) into 0.
  return ticksToPrice(n + 0, step);
}

/**
 * The decimal string of the grid value nearest to `value`, with exactly the step's decimals
 * (wire formatting): formatDecimal(0.30000000000000004, 0.1) → "0.3", (5, 0.001) → "5.000".
 * `toFixed` prints the exact binary value rounded to `d` decimals; the exact decimal's double
 * is far closer than half a unit of the last decimal, so the digits are the decimal's.
 */
export function formatDecimal(value: number, step: number): string {
  const d = decimalsOf(step);
  const v = roundToStep(value, step, 'nearest');
  return (v === 0 ? 0 : v).toFixed(d);
}
