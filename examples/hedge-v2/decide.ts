/**
 * hedge-v2's decisions as pure functions of numbers: no kernel, no context, no orders.
 * strategy.ts feeds them the indicator values and the legs' state and turns the answers into
 * orders; decide.test.ts checks them directly.
 */
import type { LadderLevel, LegDirection } from '@botplatform/sdk';

export type Trend = 'up' | 'down';

/** Indicator values on the sampled mid; null while an indicator is warming up. */
export interface TrendInputs {
  readonly emaFast: number | null;
  readonly emaSlow: number | null;
  readonly rsi: number | null;
  readonly macdHistogram: number | null;
}

/**
 * Trend filter. Up when all agree: EMA(fast) > EMA(slow), MACD histogram > 0 and
 * 50 < RSI < rsiOverbought (momentum up but not exhausted). Down is the mirror image
 * (EMA(fast) < EMA(slow), histogram < 0, 100 − rsiOverbought < RSI < 50). Otherwise (or while
 * any indicator is warming up) null: no new entries.
 */
export function trendOf(x: TrendInputs, rsiOverbought: number): Trend | null {
  const { emaFast, emaSlow, rsi, macdHistogram } = x;
  if (emaFast === null || emaSlow === null || rsi === null || macdHistogram === null) return null;
  if (emaFast > emaSlow && macdHistogram > 0 && rsi > 50 && rsi < rsiOverbought) return 'up';
  if (emaFast < emaSlow && macdHistogram < 0 && rsi < 50 && rsi > 100 - rsiOverbought) return 'down';
  return null;
}

/**
 * Entry trigger: the book must lean the trend's way by at least `threshold`
 * (OBI ≥ threshold for a long in an up trend, ≤ −threshold for a short in a down trend).
 */
export function entryDirection(
  trend: Trend | null,
  obi: number | null,
  threshold: number,
): LegDirection | null {
  if (trend === null || obi === null) return null;
  if (trend === 'up' && obi >= threshold) return 'long';
  if (trend === 'down' && obi <= -threshold) return 'short';
  return null;
}

export const opposite = (d: LegDirection): LegDirection => (d === 'long' ? 'short' : 'long');

/** Move of `mid` from `avgEntry` in the leg's favour, in ticks (negative = adverse). */
export function favourableTicks(
  direction: LegDirection,
  avgEntry: number,
  mid: number,
  tickSize: number,
): number {
  const move = direction === 'long' ? mid - avgEntry : avgEntry - mid;
  return move / tickSize;
}

/** Hard stop: the mid is `stopTicks` or more against the leg's average entry. */
export function hitStop(
  direction: LegDirection,
  avgEntry: number,
  mid: number,
  tickSize: number,
  stopTicks: number,
): boolean {
  return favourableTicks(direction, avgEntry, mid, tickSize) <= -stopTicks;
}

/**
 * Scale-out ladder of profits: the n-th scale-out (n = done + 1) is due once the mid is
 * n · stepTicks in the leg's favour, at most `maxScaleOuts` times per position.
 */
export function scaleOutDue(
  direction: LegDirection,
  avgEntry: number,
  mid: number,
  tickSize: number,
  stepTicks: number,
  done: number,
  maxScaleOuts: number,
): boolean {
  if (done >= maxScaleOuts) return false;
  return favourableTicks(direction, avgEntry, mid, tickSize) >= (done + 1) * stepTicks;
}

/**
 * Scale-in ladder: `levels` rungs at stepTicks, 2·stepTicks, … from the average entry on the
 * adverse side (the leg's scaleIn puts positive offsets below for a long, above for a short),
 * each `qtyPerLevel`, trimmed so that the leg's quantity plus the whole ladder stays within
 * `maxQty`. Rungs trimmed to 0 are dropped.
 */
export function scaleInLevels(
  legQty: number,
  maxQty: number,
  levels: number,
  stepTicks: number,
  qtyPerLevel: number,
): LadderLevel[] {
  const out: LadderLevel[] = [];
  let room = maxQty - legQty;
  for (let i = 1; i <= levels && room > 0; i++) {
    const qty = Math.min(qtyPerLevel, room);
    out.push({ offsetTicks: i * stepTicks, qty });
    room -= qty;
  }
  return out;
}

/**
 * Whether a working order (or ladder) anchored at `current` must be replaced now that the
 * anchor is `desired`: only when it moved by `minTicks` ticks or more (no cancel/replace churn
 * on every book update).
 */
export function needsReplace(current: number, desired: number, tickSize: number, minTicks: number): boolean {
  return Math.abs(desired - current) >= minTicks * tickSize - tickSize * 1e-9;
}
