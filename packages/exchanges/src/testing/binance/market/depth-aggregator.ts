import type { Level } from '@botplatform/sdk';
import type { DepthChange } from './depth-book.js';

/** A diff-depth event before formatting: Binance's U / u / pu and the merged levels. */
export interface DepthEvent {
  readonly first: number;
  readonly last: number;
  readonly prevLast: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  /** Transaction time of the last change in it, µs. */
  readonly exchTs: number;
}

/**
 * Batches a symbol's book changes into one diff-depth stream's events, one per `cadenceUs`
 * window of exchange time (Binance: `@depth` 250 ms, `@depth@500ms`, `@depth@100ms`): the
 * levels changed in the window with their latest sizes, `U` the first change's first id,
 * `u` the last change's last id, `pu` the previous event's `u`. The chain runs whether or not
 * anyone listens, so a late subscriber's first `pu` names an event it never saw, as on Binance.
 *
 * A window is (k·cadence, (k+1)·cadence]: an event pushed at t carries the changes up to and
 * including t. So a store of 100 ms diffs stamped at their push time (the synthetic market's,
 * at k·100 ms) goes out on `@depth@100ms` one for one, each at its own time, not a whole
 * window late.
 */
export class DepthAggregator {
  private bids = new Map<number, number>();
  private asks = new Map<number, number>();
  private first = 0;
  private last = 0;
  private exchTs = 0;
  private window = Number.NaN;

  constructor(
    readonly cadenceUs: number,
    private prevLast: number,
  ) {}

  /** Adds a change; returns the previous window's event if this change starts a new window. */
  add(change: DepthChange): DepthEvent | undefined {
    const w = Math.ceil(change.exchTs / this.cadenceUs);
    const out = !Number.isNaN(this.window) && w !== this.window ? this.flush() : undefined;
    if (Number.isNaN(this.window)) {
      this.window = w;
      this.first = change.first;
    }
    this.last = change.last;
    this.exchTs = change.exchTs;
    for (const [p, q] of change.bids) this.bids.set(p, q);
    for (const [p, q] of change.asks) this.asks.set(p, q);
    return out;
  }

  /** The open window's event once exchange time `nowUs` has reached its end. */
  due(nowUs: number): DepthEvent | undefined {
    if (Number.isNaN(this.window) || nowUs < this.window * this.cadenceUs) return undefined;
    return this.flush();
  }

  private flush(): DepthEvent {
    const ev: DepthEvent = {
      first: this.first,
      last: this.last,
      prevLast: this.prevLast,
      bids: [...this.bids.entries()].sort((a, b) => b[0] - a[0]),
      asks: [...this.asks.entries()].sort((a, b) => a[0] - b[0]),
      exchTs: this.exchTs,
    };
    this.prevLast = this.last;
    this.bids = new Map();
    this.asks = new Map();
    this.window = Number.NaN;
    return ev;
  }
}
