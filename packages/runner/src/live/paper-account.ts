import type { ExecutionReport, Micros, OrderCommand } from '@botplatform/sdk';
import type { VenueOpenOrder, VenuePosition } from './reconcilable-exchange.js';

interface Entry {
  qty: number;
  avg: number;
  updateTs: Micros;
}

/**
 * The paper exchange's view of the account, from the simulated exchange's reports: open orders
 * and per-symbol average entry prices, so a paper venue answers reconciliation like a real one.
 * (The simulated exchange keeps the authoritative position quantity.)
 */
export class PaperAccount {
  private readonly open = new Map<string, VenueOpenOrder>();
  private readonly entries = new Map<string, Entry>();

  onSubmit(cmd: OrderCommand): void {
    this.open.set(cmd.clientOrderId, {
      clientOrderId: cmd.clientOrderId,
      exchangeOrderId: '',
      symbol: cmd.symbol,
      side: cmd.side,
      type: cmd.type,
      timeInForce: cmd.timeInForce,
      price: cmd.price,
      qty: cmd.qty,
      filledQty: 0,
      avgFillPrice: Number.NaN,
      reduceOnly: cmd.reduceOnly,
      updateTs: 0,
    });
  }

  /** Sets a resumed position (quantity and entry). */
  setEntry(symbol: string, qty: number, avg: number, ts: Micros): void {
    this.entries.set(symbol, { qty, avg: qty === 0 ? Number.NaN : avg, updateTs: ts });
  }

  onReport(r: ExecutionReport): void {
    if (r.kind === 'funding') return;
    const o = this.open.get(r.clientOrderId);
    if (o === undefined) return;
    switch (r.kind) {
      case 'accepted':
        this.open.set(o.clientOrderId, { ...o, exchangeOrderId: r.exchangeOrderId, updateTs: r.exchTs });
        return;
      case 'fill': {
        const filledQty = o.filledQty + r.qty;
        const avgFillPrice =
          o.filledQty === 0 ? r.price : (o.avgFillPrice * o.filledQty + r.price * r.qty) / filledQty;
        this.addFill(o.symbol, o.side === 'buy' ? r.qty : -r.qty, r.price, r.exchTs);
        if (r.leavesQty <= 1e-12) this.open.delete(o.clientOrderId);
        else this.open.set(o.clientOrderId, { ...o, filledQty, avgFillPrice, updateTs: r.exchTs });
        return;
      }
      case 'modified':
        this.open.set(o.clientOrderId, { ...o, price: r.price, qty: r.qty, updateTs: r.exchTs });
        return;
      case 'canceled':
      case 'expired':
      case 'rejected':
        this.open.delete(o.clientOrderId);
        return;
      default:
        return;
    }
  }

  openOrders(symbols: readonly string[]): VenueOpenOrder[] {
    return [...this.open.values()].filter((o) => symbols.includes(o.symbol) && o.exchangeOrderId !== '');
  }

  position(symbol: string, qty: number): VenuePosition {
    const e = this.entries.get(symbol);
    return {
      symbol,
      qty,
      entryPrice: qty === 0 || e === undefined ? Number.NaN : e.avg,
      updateTs: e?.updateTs ?? 0,
    };
  }

  /** Average-cost entry, as the Portfolio keeps it: adding averages in, reducing keeps it, a flip restarts it. */
  private addFill(symbol: string, signed: number, price: number, ts: Micros): void {
    const e = this.entries.get(symbol) ?? { qty: 0, avg: Number.NaN, updateTs: 0 };
    const next = e.qty + signed;
    if (e.qty === 0 || Math.sign(e.qty) === Math.sign(signed))
      e.avg = e.qty === 0 ? price : (Math.abs(e.qty) * e.avg + Math.abs(signed) * price) / Math.abs(next);
    else if (Math.abs(next) < 1e-12) e.avg = Number.NaN;
    else if (Math.sign(next) !== Math.sign(e.qty)) e.avg = price;
    e.qty = Math.abs(next) < 1e-12 ? 0 : next;
    e.updateTs = ts;
    this.entries.set(symbol, e);
  }
}
