const US_PER_HOUR = 3_600_000_000;
const US_PER_DAY = 24 * US_PER_HOUR;

/** PnL summed per bucket: `keys` ascending, `pnl` aligned with them. */
export interface PnlBuckets {
  readonly keys: readonly number[];
  readonly pnl: readonly number[];
}

/**
 * Each change of equity between two consecutive samples, credited to the bucket of the later
 * sample. The buckets therefore add up to the run's PnL after its first sample, funding and
 * open positions included (round trips alone would miss both).
 */
function equityDeltas(ts: readonly number[], equity: readonly number[], bucketOf: (ts: number) => number) {
  const sums = new Map<number, number>();
  for (let i = 1; i < ts.length; i++) {
    const key = bucketOf(ts[i] as number);
    sums.set(key, (sums.get(key) ?? 0) + (equity[i] as number) - (equity[i - 1] as number));
  }
  return sums;
}

/** PnL per UTC hour of day, all 24 hours (0 where nothing changed); empty without equity samples. */
export function pnlByHourOfDay(ts: readonly number[], equity: readonly number[]): PnlBuckets {
  if (ts.length === 0) return { keys: [], pnl: [] };
  const sums = equityDeltas(ts, equity, (t) =>
    Math.floor((((t % US_PER_DAY) + US_PER_DAY) % US_PER_DAY) / US_PER_HOUR),
  );
  const keys = Array.from({ length: 24 }, (_, h) => h);
  return { keys, pnl: keys.map((h) => sums.get(h) ?? 0) };
}

/** PnL per UTC day (keys: µs of the day's midnight), every day from the first sample to the last. */
export function pnlByDay(ts: readonly number[], equity: readonly number[]): PnlBuckets {
  if (ts.length === 0) return { keys: [], pnl: [] };
  const dayOf = (t: number) => Math.floor(t / US_PER_DAY) * US_PER_DAY;
  const sums = equityDeltas(ts, equity, dayOf);
  const keys: number[] = [];
  for (let d = dayOf(ts[0] as number); d <= dayOf(ts[ts.length - 1] as number); d += US_PER_DAY) keys.push(d);
  return { keys, pnl: keys.map((d) => sums.get(d) ?? 0) };
}
