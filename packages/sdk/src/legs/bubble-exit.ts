/**
 * Bubble exit (a trailing take-profit on the leg's unrealized profit).
 *
 * Definition. `profit` is the leg's unrealized PnL at the mark, in quote currency
 * (`dir · qty · (mark − avgEntry) · contractSize`; fees and funding are not included).
 * - Disarmed while `profit < activation`.
 * - Armed the first time `profit ≥ activation`; from then on `peak = max(peak, profit)`.
 * - Triggers when armed and `profit ≤ peak × (1 − giveBack)`: the leg produces its exit
 *   (one reduce-only market order for the whole leg) once. After triggering it stays quiet
 *   (returns null) until the leg is flat or `resetBubble()` is called, so a slow exit fill does
 *   not produce duplicate exit orders on every tick.
 * - Whenever the leg is flat the tracker resets (disarmed, peak 0, not triggered).
 * `activation` is an absolute quote amount (e.g. 50 USDT), not a fraction of notional.
 * Scale-ins while armed keep the peak (it is a quote amount for the whole leg).
 */
export interface BubbleExit {
  /** Unrealized profit, in quote currency, at which the tracker arms. Must be > 0. */
  readonly activation: number;
  /** Fraction of the peak profit that may be given back before exiting, in (0, 1]. */
  readonly giveBack: number;
}

/** The tracker's mutable state (persisted in the leg's JSON). */
export interface BubbleState {
  armed: boolean;
  /** Highest unrealized profit seen since arming; 0 when disarmed. */
  peak: number;
  /** The exit was produced and the leg is not yet flat. */
  triggered: boolean;
}

export const initialBubbleState = (): BubbleState => ({ armed: false, peak: 0, triggered: false });

/** Throws a clear error for an invalid bubble configuration. */
export function checkBubbleConfig(b: BubbleExit): void {
  if (!Number.isFinite(b.activation) || b.activation <= 0) {
    throw new Error(`bubble exit: activation must be a positive quote amount, got ${b.activation}`);
  }
  if (!Number.isFinite(b.giveBack) || b.giveBack <= 0 || b.giveBack > 1) {
    throw new Error(`bubble exit: giveBack must be a fraction in (0, 1], got ${b.giveBack}`);
  }
}

/**
 * Advances the tracker with the current profit; returns true when the exit should be produced.
 * `flat` resets it. Pure apart from mutating `state`.
 */
export function stepBubble(cfg: BubbleExit, state: BubbleState, profit: number, flat: boolean): boolean {
  if (flat) {
    state.armed = false;
    state.peak = 0;
    state.triggered = false;
    return false;
  }
  if (state.triggered) return false;
  if (!state.armed) {
    if (profit < cfg.activation) return false;
    state.armed = true;
    state.peak = profit;
  } else if (profit > state.peak) {
    state.peak = profit;
  }
  if (profit <= state.peak * (1 - cfg.giveBack)) {
    state.triggered = true;
    return true;
  }
  return false;
}
