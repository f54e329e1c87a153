import type { Leg } from '../legs/leg.js';
import type { LegDirection } from '../legs/leg-direction.js';

/**
 * `ctx.legs`: the leg engine. The kernel applies every fill whose order `tag` equals a leg's
 * id to that leg before `onFill` runs, in backtest and live alike.
 */
export interface LegsApi {
  /** A new leg on one of the run's symbols (its instrument comes from the run). */
  create(opts: { readonly id: string; readonly symbol: string; readonly direction: LegDirection }): Leg;
  /** Registers a leg restored with `Leg.fromJSON` (e.g. from `ctx.state` after a restart). */
  restore(state: unknown): Leg;
  get(id: string): Leg | undefined;
  all(): readonly Leg[];
}
