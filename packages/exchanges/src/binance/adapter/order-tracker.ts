import type { OrderReport } from '@botplatform/sdk';

interface Tracked {
  readonly symbol: string;
  accepted: boolean;
  terminal: boolean;
  lastModified: string | undefined;
}

/**
 * One outcome reaches the adapter twice: the order response (REST or WebSocket API) and the
 * user stream both say NEW, CANCELED or the amendment. The SDK's order state machine wants
 * each change once, so the first report of each wins and the echo is dropped. Fills only come
 * from the user stream and always pass; a fill also counts as the ack (a fill can beat it).
 */
export class OrderTracker {
  private readonly orders = new Map<string, Tracked>();
  private readonly finished: string[] = [];

  track(clientOrderId: string, symbol: string): void {
    if (!this.orders.has(clientOrderId))
      this.orders.set(clientOrderId, { symbol, accepted: false, terminal: false, lastModified: undefined });
  }

  /** Whether `r` is news (and records it). Orders never tracked (placed elsewhere) pass as they come. */
  admit(r: OrderReport): boolean {
    const o = this.orders.get(r.clientOrderId);
    if (!o) return true;
    switch (r.kind) {
      case 'accepted':
        if (o.accepted || o.terminal) return false;
        o.accepted = true;
        return true;
      case 'fill':
        o.accepted = true;
        if (r.leavesQty <= 0) this.finish(r.clientOrderId, o);
        return true;
      case 'canceled':
      case 'expired':
      case 'rejected':
        if (o.terminal) return false;
        this.finish(r.clientOrderId, o);
        return true;
      case 'modified': {
        const key = `${r.price}/${r.qty}`;
        if (o.terminal || o.lastModified === key) return false;
        o.lastModified = key;
        return true;
      }
      default:
        return !o.terminal;
    }
  }

  /** Client ids of tracked orders not known to be finished, for reconciliation. */
  open(symbol?: string): string[] {
    const out: string[] = [];
    for (const [id, o] of this.orders)
      if (!o.terminal && (symbol === undefined || o.symbol === symbol)) out.push(id);
    return out;
  }

  private finish(id: string, o: Tracked): void {
    o.terminal = true;
    // Keep finished orders a while so late echoes are still recognized; bound the memory.
    this.finished.push(id);
    if (this.finished.length > 10_000) this.orders.delete(this.finished.shift()!);
  }
}
