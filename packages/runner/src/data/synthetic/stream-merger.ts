/**
 * Merges a few streams, each already in `localTs` order, into one `localTs`-ordered sequence.
 * Events are queued per stream as produced; `next(horizon)` releases the earliest queued event
 * whose `localTs` ≤ `horizon` (ties: the one produced first), so a producer that knows no
 * future event can arrive before `horizon` gets a correctly sorted output with tiny buffers.
 */
export class StreamMerger<T extends { readonly localTs: number }> {
  private readonly queues: T[][];
  private readonly orders: number[][];
  private readonly heads: number[];
  private produced = 0;

  constructor(streams: number) {
    this.queues = Array.from({ length: streams }, () => []);
    this.orders = Array.from({ length: streams }, () => []);
    this.heads = new Array<number>(streams).fill(0);
  }

  /** Queues an event of `stream`; its localTs must not be below the stream's previous one. */
  push(stream: number, event: T): void {
    this.queues[stream]!.push(event);
    this.orders[stream]!.push(this.produced++);
  }

  /** The earliest queued event with localTs ≤ horizon, removed from its queue; undefined if none. */
  next(horizon: number): T | undefined {
    let best = -1;
    let bestTs = horizon;
    let bestOrder = Number.POSITIVE_INFINITY;
    for (let s = 0; s < this.queues.length; s++) {
      const q = this.queues[s]!;
      const h = this.heads[s]!;
      if (h >= q.length) continue;
      const ts = q[h]!.localTs;
      if (ts < bestTs || (ts === bestTs && this.orders[s]![h]! < bestOrder)) {
        best = s;
        bestTs = ts;
        bestOrder = this.orders[s]![h]!;
      }
    }
    if (best < 0) return undefined;
    const q = this.queues[best]!;
    const h = this.heads[best]!;
    const event = q[h]!;
    if (h + 1 === q.length) {
      q.length = 0;
      this.orders[best]!.length = 0;
      this.heads[best] = 0;
    } else if (h >= 4096 && 2 * h >= q.length) {
      // A queue that never quite empties: drop the consumed prefix now and then.
      q.splice(0, h + 1);
      this.orders[best]!.splice(0, h + 1);
      this.heads[best] = 0;
    } else {
      this.heads[best] = h + 1;
    }
    return event;
  }
}
