import type { SimulatedExchange } from '@botplatform/sim';
import type { EventBatch } from '../data/event-batch.js';
import { DepthFlag, EventKind } from '../data/schema.js';
import type { Kernel } from '../kernel/kernel.js';
import type { BacktestVenue } from './backtest-venue.js';
import { RowWindow } from './row-window.js';

/** A depth row that starts a snapshot message: the exchange-side book is cleared first. */
const SNAPSHOT_START = DepthFlag.Snapshot | DepthFlag.First;
const INF = Number.POSITIVE_INFINITY;

export type DriverProgress = (rowsDone: number) => void;

/**
 * Runs one replay: merges four time-ordered sources into one timeline.
 *
 *   1. market rows at exch_ts      → the simulated exchange (its own book, queues, matching)
 *   2. commands at arrival time    → the simulated exchange (orders and cancels in flight)
 *   3. kernel work at local time   → reports arriving, timers, deferred order updates
 *   4. market rows at local_ts     → the kernel (local books, strategy callbacks)
 *
 * Ties at one timestamp resolve in that order (exchange before local; market data before our
 * own command), which is fixed, so a run is a pure function of its inputs. The strategy never
 * sees a row before its local_ts, and the exchange never acts on a command before it arrives.
 */
export class ReplayDriver {
  private readonly win: RowWindow;
  rows = 0;

  constructor(
    private readonly batches: AsyncIterator<EventBatch>,
    private readonly maxFeedLatency: number,
    private readonly kernel: Kernel,
    private readonly sim: SimulatedExchange,
    private readonly venue: BacktestVenue,
    private readonly onProgress?: DriverProgress,
  ) {
    this.win = new RowWindow(kernel.instruments.length);
  }

  async run(): Promise<void> {
    const win = this.win;
    const kernel = this.kernel;
    const venue = this.venue;
    const maxLat = this.maxFeedLatency;
    let batch: EventBatch | null = null;
    let bi = 0;
    let eof = false;
    let lastLocal = Number.NEGATIVE_INFINITY;
    // Local time past which the window must be read before anything at time t may run.
    let nextUnread = Number.NEGATIVE_INFINITY;

    for (;;) {
      const tEx = win.peekExchangeTs();
      const tCmd = venue.nextArrivalTs();
      const tK = kernel.nextDueTs();
      const tLoc = win.peekLocalTs();
      let t = Math.min(tEx, tCmd);
      if (tK < t) t = tK;
      if (tLoc < t) t = tLoc;

      if (!eof && nextUnread - maxLat <= t) {
        if (batch === null || bi >= batch.length) {
          const r = await this.batches.next();
          if (r.done) {
            eof = true;
            batch = null;
            nextUnread = INF;
            continue;
          }
          batch = r.value;
          bi = 0;
          if (this.onProgress) this.onProgress(this.rows);
          if (batch.length === 0) continue;
          win.addBatch(batch);
        }
        // Read every row the exchange side may need before time t (at least one).
        const b = batch;
        const limit = t + maxLat;
        const start = bi;
        do {
          win.add(b, bi++);
        } while (bi < b.length && b.localTs[bi]! <= limit);
        this.rows += bi - start;
        nextUnread = bi < b.length ? b.localTs[bi]! : Number.NEGATIVE_INFINITY;
        continue;
      }

      if (t === INF) break;
      // Market data exhausted: finish only the work due by the last event, then stop
      // (an interval timer would otherwise run forever).
      if (eof && win.tail === win.head && win.exchangeSize === 0 && t > lastLocal) break;

      if (tEx <= t) {
        win.popExchange();
        this.exchangeRow(win.foundBatch, win.foundIndex);
      } else if (tCmd <= t) venue.deliverNext();
      else if (tK <= t) kernel.runDue(t);
      else {
        lastLocal = tLoc;
        this.localRow(win.localBatch(), win.localIndex);
        win.advanceLocal();
      }
    }
    if (this.onProgress) this.onProgress(this.rows);
  }

  private exchangeRow(b: EventBatch, i: number): void {
    const sim = this.sim;
    switch (b.kind[i]) {
      case EventKind.Depth:
        sim.onDepthLevel(
          b.sym[i]!,
          b.side[i]! > 0 ? 1 : -1,
          b.price[i]!,
          b.qty[i]!,
          (b.flags[i]! & SNAPSHOT_START) === SNAPSHOT_START,
          b.exchTs[i]!,
        );
        return;
      case EventKind.Trade:
        sim.onTrade(b.sym[i]!, b.side[i]! > 0 ? 1 : -1, b.price[i]!, b.qty[i]!, b.exchTs[i]!);
        return;
      case EventKind.BookTicker:
        sim.onBookTicker(b.sym[i]!, b.price[i]!, b.qty[i]!, b.price2[i]!, b.qty2[i]!, b.exchTs[i]!);
        return;
      case EventKind.MarkPrice:
        // Funding settles on the exchange-side position at each funding time.
        sim.onMarkPrice(b.sym[i]!, b.price[i]!, b.price2[i]!, b.qty2[i]!, b.exchTs[i]!);
        return;
      default:
        return; // open interest does not move the matching engine
    }
  }

  private localRow(b: EventBatch, i: number): void {
    const k = this.kernel;
    const exchTs = b.exchTs[i]!;
    const localTs = b.localTs[i]!;
    this.venue.feedLatency = localTs - exchTs;
    switch (b.kind[i]) {
      case EventKind.Depth:
        k.depthRow(
          b.sym[i]!,
          b.side[i]! > 0 ? 1 : -1,
          b.price[i]!,
          b.qty[i]!,
          b.flags[i]!,
          b.seq[i]!,
          b.prevSeq[i]!,
          exchTs,
          localTs,
        );
        return;
      case EventKind.Trade:
        k.trade(b.sym[i]!, b.side[i]! > 0 ? 1 : -1, b.price[i]!, b.qty[i]!, b.seq[i]!, exchTs, localTs);
        return;
      case EventKind.BookTicker:
        k.bookTicker(b.sym[i]!, b.price[i]!, b.qty[i]!, b.price2[i]!, b.qty2[i]!, b.seq[i]!, exchTs, localTs);
        return;
      case EventKind.MarkPrice:
        k.markPrice(b.sym[i]!, b.price[i]!, b.qty[i]!, b.price2[i]!, b.qty2[i]!, exchTs, localTs);
        return;
      case EventKind.OpenInterest:
        k.openInterest(b.sym[i]!, b.qty[i]!, exchTs, localTs);
        return;
    }
  }
}
