/**
 * Min/max bucket downsampling for the report's time charts. The page embeds every point at full
 * resolution and draws at most a point budget of them: the whole run as per-bucket extremes,
 * and, once zoomed in far enough, every tick of the visible window.
 *
 * Both functions are inlined into the report page (Function.prototype.toString), so they must
 * stay self-contained: no imports, nothing called from outside their own bodies.
 */

/** The first index i with xs[i] >= v (xs sorted ascending); xs.length when there is none. */
export function lowerBound(xs: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The indices to draw of the points lo..hi-1 (xs sorted ascending, ys aligned with xs, null = no
 * value): all of them when they fit in `budget`; otherwise the range's first and last point plus,
 * per equal-time bucket, the lowest and highest point of every series, so spikes survive and
 * lines keep their envelope. The result is ascending, without repeats, and never longer than
 * `budget` (for budget >= 2 + 2 * ys.length).
 */
export function downsampleIndices(
  xs: ArrayLike<number>,
  ys: readonly ArrayLike<number | null>[],
  lo: number,
  hi: number,
  budget: number,
): number[] {
  const out: number[] = [];
  if (hi - lo <= budget) {
    for (let i = lo; i < hi; i++) out.push(i);
    return out;
  }
  const nSeries = Math.max(1, ys.length);
  const buckets = Math.max(1, Math.floor((budget - 2) / (2 * nSeries)));
  const x0 = xs[lo] as number;
  const span = (xs[hi - 1] as number) - x0;
  const minAt = new Int32Array(buckets * nSeries).fill(-1);
  const maxAt = new Int32Array(buckets * nSeries).fill(-1);
  for (let i = lo; i < hi; i++) {
    const b = span > 0 ? Math.min(buckets - 1, Math.floor((((xs[i] as number) - x0) / span) * buckets)) : 0;
    for (let s = 0; s < ys.length; s++) {
      const col = ys[s] as ArrayLike<number | null>;
      const v = col[i];
      if (v === null || v === undefined || Number.isNaN(v)) continue;
      const k = b * nSeries + s;
      const mi = minAt[k] as number;
      const ma = maxAt[k] as number;
      if (mi < 0 || v < (col[mi] as number)) minAt[k] = i;
      if (ma < 0 || v > (col[ma] as number)) maxAt[k] = i;
    }
  }
  out.push(lo);
  let last = lo;
  const picked: number[] = [];
  for (let b = 0; b < buckets; b++) {
    picked.length = 0;
    for (let s = 0; s < nSeries; s++) {
      const mi = minAt[b * nSeries + s] as number;
      const ma = maxAt[b * nSeries + s] as number;
      if (mi >= 0) picked.push(mi);
      if (ma >= 0) picked.push(ma);
    }
    // Buckets follow x, so only the few picks inside one bucket need ordering.
    picked.sort((a, c) => a - c);
    for (const i of picked) {
      if (i > last) {
        out.push(i);
        last = i;
      }
    }
  }
  if (hi - 1 > last) out.push(hi - 1);
  return out;
}
