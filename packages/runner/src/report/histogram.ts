/** Equal-width bins: counts[i] values fall in [lo + i·width, lo + (i+1)·width). */
export interface Histogram {
  readonly lo: number;
  readonly width: number;
  readonly counts: readonly number[];
}

/** The smallest of 1, 2 or 5 × 10^k that is at least `raw`: bin edges a reader can take in at a glance. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) {
    if (m * pow >= raw * (1 - 1e-12)) return m * pow;
  }
  return 10 * pow;
}

/**
 * Bins `values` into about √n (at most `maxBins`) bins of a nice width whose edges are multiples
 * of the width, so zero is always an edge and no bin mixes losses with gains.
 */
export function histogram(values: readonly number[], maxBins = 40): Histogram {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { lo: 0, width: 1, counts: [] };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const target = Math.min(maxBins, Math.max(1, Math.ceil(Math.sqrt(finite.length))));
  // All values equal: one bin around them, a tenth of their size wide (or 1 around zero).
  const width = max > min ? niceStep((max - min) / target) : niceStep(Math.abs(min) / 10 || 1);
  const lo = Math.floor(min / width) * width;
  const n = Math.max(1, Math.floor((max - lo) / width) + 1);
  const counts = new Array<number>(n).fill(0);
  for (const v of finite) {
    const i = Math.min(n - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { lo, width, counts };
}
