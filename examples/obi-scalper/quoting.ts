/** Where to quote, in integer ticks; `undefined` = do not quote that side. */
export interface QuotePlan {
  readonly bid: number | undefined;
  readonly ask: number | undefined;
}

export interface QuoteInputs {
  /** Best bid and ask as integer tick indices. */
  readonly bestBidTicks: number;
  readonly bestAskTicks: number;
  /** Combined signal in [−1, 1]. */
  readonly signal: number;
  /** |signal| at which only the favoured side is quoted. */
  readonly threshold: number;
  /** How far the quotes' centre moves at |signal| = 1, ticks. */
  readonly skewTicks: number;
  /** Distance of each quote from that centre, ticks (0.5 joins the touch on a 1-tick spread). */
  readonly edgeTicks: number;
}

/**
 * The quotes the scalper wants. Centre = mid + signal × skewTicks; bid = centre − edge rounded
 * down, ask = centre + edge rounded up, each kept passive (a bid below the best ask, an ask
 * above the best bid) so a post-only order can rest. With |signal| ≥ threshold only the
 * favoured side is quoted (bid when positive, ask when negative); below it, both sides.
 */
export function planQuotes(q: QuoteInputs): QuotePlan {
  const centre = (q.bestBidTicks + q.bestAskTicks) / 2 + q.signal * q.skewTicks;
  // The 1e-9 keeps an exact .5 centre ± 0.5 edge on the touch despite float noise.
  const bid = Math.min(Math.floor(centre - q.edgeTicks + 1e-9), q.bestAskTicks - 1);
  const ask = Math.max(Math.ceil(centre + q.edgeTicks - 1e-9), q.bestBidTicks + 1);
  const strong = q.signal !== 0 && Math.abs(q.signal) >= q.threshold;
  return {
    bid: !strong || q.signal > 0 ? bid : undefined,
    ask: !strong || q.signal < 0 ? ask : undefined,
  };
}

/** Whether a resting quote at `currentTicks` should be replaced by one at `desiredTicks`. */
export function needsRequote(currentTicks: number, desiredTicks: number, requoteTicks: number): boolean {
  return Math.abs(desiredTicks - currentTicks) >= requoteTicks;
}
