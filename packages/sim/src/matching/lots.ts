import type { GridScale } from '@botplatform/sdk';

/**
 * Quantities inside the matching engine are counted in lots of the instrument's step size, so
 * sums and differences of order quantities are exact integers (0.3 − 0.1 − 0.2 is 0, not
 * 5.5e-17). Market-data sizes on the step grid map to whole lots; off-grid sizes keep their
 * fraction and only whole lots are ever filled.
 */

/** Float noise (in lots) below which a size counts as exactly on the step grid. */
const SNAP = 1e-6;

/** `qty / stepSize`, snapped to the nearest integer when within 1e-6 lot of it. */
export function qtyToLots(qty: number, stepSize: number): number {
  const r = qty / stepSize;
  const n = Math.round(r);
  return Math.abs(r - n) <= SNAP ? n : r;
}

/** Whole lots contained in `lots`: `floor(lots + 1e-6)` (never negative). */
export function wholeLots(lots: number): number {
  return lots > 0 ? Math.floor(lots + SNAP) : 0;
}

/**
 * The exact decimal value of `n` grid units: `n × num / den` (see the SDK's gridScale). Used for
 * quantities (n lots of the step) and prices (n ticks of the tick size).
 */
export function lotsToQty(lots: number, scale: GridScale): number {
  return (lots * scale.num) / scale.den;
}
