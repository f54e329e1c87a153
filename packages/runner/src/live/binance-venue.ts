import type { BinanceFuturesExchange } from '@botplatform/exchanges';
import type {
  CancelCommand,
  ExchangeSink,
  Instrument,
  Micros,
  ModifyCommand,
  OrderCommand,
} from '@botplatform/sdk';
import type {
  ReconcilableExchange,
  VenueFill,
  VenueOpenOrder,
  VenueOrderOutcome,
  VenueOrderRecord,
  VenuePosition,
} from './reconcilable-exchange.js';

/** Binance's final order statuses (EXPIRED_IN_MATCH: self-trade prevention). */
const FINAL: Readonly<Record<string, VenueOrderOutcome['status']>> = {
  FILLED: 'filled',
  CANCELED: 'canceled',
  EXPIRED: 'expired',
  EXPIRED_IN_MATCH: 'expired',
  REJECTED: 'rejected',
};

/**
 * The Binance USD-M adapter as the runner's ReconcilableExchange: its `openOrders(symbol?)` and
 * `positions(symbol?)` answer for one symbol (or all), reconciliation asks for the run's
 * symbols. Everything else passes straight through.
 */
export class BinanceLiveVenue implements ReconcilableExchange {
  readonly id: string;

  constructor(readonly adapter: BinanceFuturesExchange) {
    this.id = adapter.id;
  }

  instruments(symbols: readonly string[]): Promise<Instrument[]> {
    return this.adapter.instruments(symbols);
  }

  connect(sink: ExchangeSink, symbols: readonly string[]): Promise<void> {
    return this.adapter.connect(sink, symbols);
  }

  submit(cmd: OrderCommand): void {
    this.adapter.submit(cmd);
  }

  cancel(cmd: CancelCommand): void {
    this.adapter.cancel(cmd);
  }

  modify(cmd: ModifyCommand): void {
    this.adapter.modify(cmd);
  }

  close(): Promise<void> {
    return this.adapter.close();
  }

  async openOrders(symbols: readonly string[]): Promise<VenueOpenOrder[]> {
    const lists = await Promise.all(symbols.map((s) => this.adapter.openOrders(s)));
    return lists.flat();
  }

  /**
   * How an order that is no longer open ended (GET /fapi/v1/order). Undefined when Binance does
   * not know it, or still has it open (then it was not closed after all: nothing to conclude).
   */
  async orderOutcome(symbol: string, clientOrderId: string): Promise<VenueOrderOutcome | undefined> {
    const o = await this.adapter.queryOrder(symbol, clientOrderId);
    const status = o === undefined ? undefined : FINAL[o.status];
    if (o === undefined || status === undefined) return undefined;
    return {
      exchangeOrderId: o.exchangeOrderId,
      status,
      filledQty: o.filledQty,
      avgFillPrice: o.avgFillPrice,
      updateTs: o.updateTs,
    };
  }

  /** Orders of these symbols placed since `sinceTs`, in any state (GET /fapi/v1/allOrders per symbol). */
  async ordersSince(symbols: readonly string[], sinceTs: Micros): Promise<VenueOrderRecord[]> {
    const lists = await Promise.all(symbols.map((s) => this.adapter.ordersSince(s, sinceTs)));
    return lists.flat().map((o) => ({ ...o, status: FINAL[o.status] ?? 'open' }));
  }

  /** The order's executions (GET /fapi/v1/userTrades), oldest first. */
  orderFills(symbol: string, exchangeOrderId: string): Promise<VenueFill[]> {
    return this.adapter.orderFills(symbol, exchangeOrderId);
  }

  /**
   * One net position per symbol. In hedge mode Binance lists a LONG and a SHORT row: the net
   * quantity is their sum and the entry is the larger side's (the kernel keeps one net position).
   */
  async positions(symbols: readonly string[]): Promise<VenuePosition[]> {
    const rows = await this.adapter.positions();
    const out: VenuePosition[] = [];
    for (const symbol of symbols) {
      const mine = rows.filter((r) => r.symbol === symbol && r.qty !== 0);
      if (mine.length === 0) continue;
      const qty = mine.reduce((q, r) => q + r.qty, 0);
      const main = mine.reduce((a, b) => (Math.abs(b.qty) > Math.abs(a.qty) ? b : a));
      out.push({
        symbol,
        qty,
        entryPrice: main.entryPrice,
        updateTs: Math.max(...mine.map((r) => r.updateTs)),
      });
    }
    return out;
  }
}
