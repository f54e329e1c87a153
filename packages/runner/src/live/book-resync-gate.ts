import {
  formatMicros,
  type Micros,
  type OrderRequest,
  type RejectReason,
  rejectReason,
} from '@botplatform/sdk';

interface Pause {
  readonly since: Micros;
  readonly why: string;
}

/**
 * Pauses new risk on a symbol whose local order book lost sync with the exchange (a depth gap,
 * a disconnect), until the book is rebuilt from a depth snapshot: prices computed from a wrong
 * book must not reach the exchange. Reduce-only orders (exits) and cancels still go. A refused
 * order reaches the strategy as `rejected` with code RISK_DENIED and a `[book-resync]` message,
 * like every other pre-trade refusal.
 */
export class BookResyncGate {
  private readonly paused = new Map<string, Pause>();

  /** Pauses `symbol` (a second gap while paused keeps the first one's time). */
  pause(symbol: string, why: string, since: Micros): void {
    if (!this.paused.has(symbol)) this.paused.set(symbol, { since, why });
  }

  /** Lifts the pause (a depth snapshot arrived); true if the symbol was paused. */
  resume(symbol: string): boolean {
    return this.paused.delete(symbol);
  }

  isPaused(symbol: string): boolean {
    return this.paused.has(symbol);
  }

  /** The ExecutionEngine's OrderGate: refuses non-reduce-only orders and amends on paused symbols. */
  check(req: OrderRequest): RejectReason | undefined {
    if (req.reduceOnly === true) return undefined;
    const p = this.paused.get(req.symbol);
    if (p === undefined) return undefined;
    return rejectReason(
      'RISK_DENIED',
      `[book-resync] new orders on ${req.symbol} are paused: its order book lost sync at ${formatMicros(p.since)} (${p.why}); reduce-only orders and cancels still go, and trading resumes when the next depth snapshot arrives`,
    );
  }
}
