import type { SimulatedExchange } from '@botplatform/sim';
import type { EventBatch } from '../data/event-batch.js';
import type { Kernel } from '../kernel/kernel.js';
import type { BacktestVenue } from './backtest-venue.js';
import { RowRing } from './row-ring.js';

const KIND_TRADE = 1;
const KIND_DEPTH = 2;
const KIND_BOOK_TICKER = 3;
const KIND_MARK_PRICE = 4;
const KIND_OPEN_INTEREST = 5;
const SNAPSHOT_START = 1 | 2; // depth flags: is_snapshot + first row of its message
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
  private readonly ring: RowRing;
  rows = 0;

  constructor(
    private readonly batches: AsyncIterator<EventBatch>,
    private readonly maxFeedLatency: number,
    private readonly kernel: Kernel,
    private readonly sim: SimulatedExchange,
    private readonly venue: BacktestVenue,
    private readonly onProgress?: DriverProgress,
  ) {
    this.ring = new RowRing(kernel.instruments.length);
  }

  async run(): Promise<void> {
    const ring = this.ring;
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
      const tEx = ring.peekExchangeTs();
      const tCmd = venue.nextArrivalTs();
      const tK = kernel.nextDueTs();
      const tLoc = ring.tail < ring.head ? ring.localTs[ring.slot(ring.tail)]! : INF;
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
        }
        // Read every row the exchange side may need before time t (at least one).
        const b = batch;
        const limit = t + maxLat;
        do {
          this.readRow(b, bi++);
        } while (bi < b.length && b.localTs[bi]! <= limit);
        nextUnread = bi < b.length ? b.localTs[bi]! : Number.NEGATIVE_INFINITY;
        continue;
      }

      if (t === INF) break;
      // Market data exhausted: finish only the work due by the last event, then stop
      // (an interval timer would otherwise run forever).
      if (eof && ring.tail === ring.head && ring.exchangeSize === 0 && t > lastLocal) break;

      if (tEx <= t) this.exchangeRow(ring.popExchange());
      else if (tCmd <= t) venue.deliverNext();
      else if (tK <= t) kernel.runDue(t);
      else {
        const s = ring.slot(ring.tail++);
        lastLocal = ring.localTs[s]!;
        this.localRow(s);
      }
    }
    if (this.onProgress) this.onProgress(this.rows);
  }

  private readRow(b: EventBatch, i: number): void {
    const ring = this.ring;
    const g = ring.head;
    const s = ring.pushSlot();
    ring.kind[s] = b.kind[i]!;
    ring.sym[s] = b.sym[i]!;
    ring.side[s] = b.side[i]!;
    ring.flags[s] = b.flags[i]!;
    ring.exchTs[s] = b.exchTs[i]!;
    ring.localTs[s] = b.localTs[i]!;
    ring.seq[s] = b.seq[i]!;
    ring.prevSeq[s] = b.prevSeq[i]!;
    ring.price[s] = b.price[i]!;
    ring.qty[s] = b.qty[i]!;
    ring.price2[s] = b.price2[i]!;
    ring.qty2[s] = b.qty2[i]!;
    ring.commitExchange(g);
    this.rows++;
  }

  private exchangeRow(s: number): void {
    const ring = this.ring;
    const sim = this.sim;
    switch (ring.kind[s]) {
      case KIND_DEPTH:
        sim.onDepthLevel(
          ring.sym[s]!,
          ring.side[s]! > 0 ? 1 : -1,
          ring.price[s]!,
          ring.qty[s]!,
          (ring.flags[s]! & SNAPSHOT_START) === SNAPSHOT_START,
          ring.exchTs[s]!,
        );
        return;
      case KIND_TRADE:
        sim.onTrade(ring.sym[s]!, ring.side[s]! > 0 ? 1 : -1, ring.price[s]!, ring.qty[s]!, ring.exchTs[s]!);
        return;
      case KIND_BOOK_TICKER:
        sim.onBookTicker(
          ring.sym[s]!,
          ring.price[s]!,
          ring.qty[s]!,
          ring.price2[s]!,
          ring.qty2[s]!,
          ring.exchTs[s]!,
        );
        return;
      case KIND_MARK_PRICE:
        // Funding settles on the exchange-side position at each funding time.
        sim.onMarkPrice(ring.sym[s]!, ring.price[s]!, ring.price2[s]!, ring.qty2[s]!, ring.exchTs[s]!);
        return;
      default:
        return; // open interest does not move the matching engine
    }
  }

  private localRow(s: number): void {
    const ring = this.ring;
    const k = this.kernel;
    const exchTs = ring.exchTs[s]!;
    const localTs = ring.localTs[s]!;
    this.venue.feedLatency = localTs - exchTs;
    switch (ring.kind[s]) {
      case KIND_DEPTH:
        k.depthRow(
          ring.sym[s]!,
          ring.side[s]! > 0 ? 1 : -1,
          ring.price[s]!,
          ring.qty[s]!,
          ring.flags[s]!,
          ring.seq[s]!,
          ring.prevSeq[s]!,
          exchTs,
          localTs,
        );
        return;
      case KIND_TRADE:
        k.trade(
          ring.sym[s]!,
          ring.side[s]! > 0 ? 1 : -1,
          ring.price[s]!,
          ring.qty[s]!,
          ring.seq[s]!,
          exchTs,
          localTs,
        );
        return;
      case KIND_BOOK_TICKER:
        k.bookTicker(
          ring.sym[s]!,
          ring.price[s]!,
          ring.qty[s]!,
          ring.price2[s]!,
          ring.qty2[s]!,
          ring.seq[s]!,
          exchTs,
          localTs,
        );
        return;
      case KIND_MARK_PRICE:
        k.markPrice(
          ring.sym[s]!,
          ring.price[s]!,
          ring.qty[s]!,
          ring.price2[s]!,
          ring.qty2[s]!,
          exchTs,
          localTs,
        );
        return;
      case KIND_OPEN_INTEREST:
        k.openInterest(ring.sym[s]!, ring.qty[s]!, exchTs, localTs);
        return;
    }
  }
}
