import type { ExecutionReport, Micros } from '@botplatform/sdk';

/** Work the kernel has promised to do at a local time. Plain data: no closures. */
export type Scheduled =
  | { readonly kind: 'report'; readonly ts: Micros; readonly report: ExecutionReport }
  | {
      readonly kind: 'timer';
      readonly ts: Micros;
      readonly name: string;
      readonly generation: number;
      readonly everyUs: Micros;
    };

interface Entry {
  ts: Micros;
  seq: number;
  item: Scheduled;
}

/**
 * A binary min-heap ordered by (ts, insertion seq): items due at the same time run in the
 * order they were scheduled, which makes runs deterministic. Holds order-rate work (reports,
 * timers), never per-market-event work.
 */
export class Scheduler {
  private readonly heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Due time of the next item, or +Infinity when empty. */
  nextTs(): Micros {
    return this.heap.length > 0 ? this.heap[0]!.ts : Number.POSITIVE_INFINITY;
  }

  push(item: Scheduled): void {
    const heap = this.heap;
    const entry: Entry = { ts: item.ts, seq: this.seq++, item };
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  pop(): Scheduled | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(heap[r]!, heap[l]!) ? r : l;
        if (!less(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top.item;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}
