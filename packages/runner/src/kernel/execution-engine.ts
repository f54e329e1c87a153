import {
  adjustOrder,
  canTransition,
  type Exchange,
  type ExecutionReport,
  type Fill,
  type Instrument,
  isOpen,
  type Micros,
  type Order,
  type OrderCommand,
  type OrderRequest,
  type OrderStatus,
  type RejectReason,
  rejectReason,
} from '@botplatform/sdk';
import type { Logger } from 'pino';
import type { Portfolio } from './portfolio.js';
import type { RiskEngine } from './risk-engine.js';

/** Callbacks the ExecutionEngine drives; the kernel routes them to the strategy and the bus. */
export interface ExecutionListener {
  /** A state change made synchronously inside a strategy call: deliver after it returns. */
  deferOrderUpdate(order: Order): void;
  orderUpdate(order: Order): void;
  fill(fill: Fill): void;
}

type Mutable = { -readonly [K in keyof Order]: Order[K] };

/**
 * The one way orders leave the strategy: request → rounding → RiskEngine → venue; and the one
 * place venue reports become order-state changes and fills (the order state machine of
 * `@botplatform/sdk`'s order-status). Positions change only here, when a fill arrives locally.
 */
export class ExecutionEngine {
  private readonly orders = new Map<string, Mutable>();
  private readonly open = new Map<string, Mutable>();
  private readonly instruments = new Map<string, Instrument>();
  private nextId = 1;
  ordersPlaced = 0;
  ordersRejected = 0;
  fillCount = 0;

  constructor(
    instruments: readonly Instrument[],
    private readonly venue: Exchange,
    private readonly risk: RiskEngine,
    private readonly portfolio: Portfolio,
    private readonly listener: ExecutionListener,
    private readonly log: Logger,
    private readonly idPrefix = 'bp',
  ) {
    for (const inst of instruments) this.instruments.set(inst.symbol, inst);
  }

  place(req: OrderRequest, now: Micros, refPrice: number): Order {
    this.ordersPlaced++;
    const clientOrderId = req.clientOrderId ?? `${this.idPrefix}-${this.nextId++}`;
    const inst = this.instruments.get(req.symbol);
    const adjusted = inst ? adjustOrder(inst, req) : req;
    const order: Mutable = {
      clientOrderId,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      timeInForce: req.timeInForce ?? (req.type === 'market' ? 'IOC' : 'GTC'),
      price: req.type === 'market' ? Number.NaN : (adjusted.price ?? Number.NaN),
      qty: adjusted.qty,
      filledQty: 0,
      avgFillPrice: Number.NaN,
      status: 'pending',
      reduceOnly: req.reduceOnly ?? false,
      createdTs: now,
      updatedTs: now,
    };
    if (req.tag !== undefined) order.tag = req.tag;

    let denial: RejectReason | undefined;
    if (!inst)
      denial = rejectReason(
        'UNKNOWN_SYMBOL',
        `unknown symbol ${req.symbol}; this run trades ${[...this.instruments.keys()].join(', ')}`,
      );
    else if (this.orders.has(clientOrderId))
      denial = rejectReason('DUPLICATE_CLIENT_ID', `clientOrderId ${clientOrderId} was already used`);
    else {
      const decision = this.risk.check(inst, adjusted, refPrice);
      if (!decision.ok) denial = decision.reason;
    }
    if (denial) {
      this.ordersRejected++;
      order.status = 'rejected';
      order.reason = denial;
      if (!this.orders.has(clientOrderId)) this.orders.set(clientOrderId, order);
      const snap = freeze(order);
      this.listener.deferOrderUpdate(snap);
      return snap;
    }
    this.orders.set(clientOrderId, order);
    this.open.set(clientOrderId, order);
    const cmd: OrderCommand = {
      clientOrderId,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      qty: order.qty,
      price: order.price,
      timeInForce: order.timeInForce,
      reduceOnly: order.reduceOnly,
    };
    this.venue.submit(cmd);
    return freeze(order);
  }

  cancel(clientOrderId: string, now: Micros): boolean {
    const order = this.open.get(clientOrderId);
    if (!order) return false;
    if (order.status === 'pendingCancel') return true;
    order.status = 'pendingCancel';
    order.updatedTs = now;
    this.venue.cancel({ clientOrderId, symbol: order.symbol });
    this.listener.deferOrderUpdate(freeze(order));
    return true;
  }

  cancelAll(symbol: string | undefined, now: Micros): number {
    let n = 0;
    // Collect first: cancel() mutates nothing in `open`, but keep iteration independent of it.
    const ids: string[] = [];
    for (const o of this.open.values())
      if (symbol === undefined || o.symbol === symbol) ids.push(o.clientOrderId);
    for (const id of ids) if (this.cancel(id, now)) n++;
    return n;
  }

  openOrders(symbol?: string): Order[] {
    const out: Order[] = [];
    for (const o of this.open.values()) if (symbol === undefined || o.symbol === symbol) out.push(freeze(o));
    return out;
  }

  openOrderCount(): number {
    return this.open.size;
  }

  /** A venue report arriving locally at `now`. */
  onReport(r: ExecutionReport, now: Micros): void {
    const order = this.orders.get(r.clientOrderId);
    if (!order) {
      this.log.warn({ report: r }, 'report for an order this run does not know; ignored');
      return;
    }
    switch (r.kind) {
      case 'accepted':
        order.exchangeOrderId = r.exchangeOrderId;
        if (order.status === 'pending') this.transition(order, 'new', now);
        else order.updatedTs = now;
        return;
      case 'rejected':
        this.ordersRejected++;
        order.reason = r.reason;
        this.transition(order, 'rejected', now);
        return;
      case 'fill':
        this.onFill(order, r, now);
        return;
      case 'canceled':
        this.transition(order, 'canceled', now);
        return;
      case 'expired':
        order.reason = r.reason;
        this.transition(order, 'expired', now);
        return;
      case 'cancelRejected': {
        // The cancel lost a race with the order's own end (filled, rejected, expired): the
        // order did not change, so the strategy hears nothing new.
        if (!isOpen(order.status)) return;
        order.reason = r.reason;
        if (order.status === 'pendingCancel') {
          this.transition(order, order.filledQty > 0 ? 'partiallyFilled' : 'new', now);
        } else {
          order.updatedTs = now;
          this.listener.orderUpdate(freeze(order));
        }
        return;
      }
    }
  }

  private onFill(order: Mutable, r: Extract<ExecutionReport, { kind: 'fill' }>, now: Micros): void {
    const prevFilled = order.filledQty;
    order.filledQty = prevFilled + r.qty;
    order.avgFillPrice =
      prevFilled === 0 ? r.price : (order.avgFillPrice * prevFilled + r.price * r.qty) / order.filledQty;
    const fill: Fill = {
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      price: r.price,
      qty: r.qty,
      fee: r.fee,
      liquidity: r.liquidity,
      exchTs: r.exchTs,
      localTs: now,
      ...(order.tag !== undefined ? { tag: order.tag } : {}),
    };
    this.fillCount++;
    this.portfolio.applyFill(fill);
    this.listener.fill(fill);
    const next: OrderStatus =
      r.leavesQty <= 1e-12
        ? 'filled'
        : order.status === 'pendingCancel'
          ? 'pendingCancel'
          : 'partiallyFilled';
    this.transition(order, next, now);
  }

  private transition(order: Mutable, to: OrderStatus, now: Micros): void {
    if (order.status !== to && !canTransition(order.status, to)) {
      this.log.error(
        { clientOrderId: order.clientOrderId, from: order.status, to },
        'illegal order transition ignored',
      );
      return;
    }
    order.status = to;
    order.updatedTs = now;
    if (!isOpen(to)) this.open.delete(order.clientOrderId);
    this.listener.orderUpdate(freeze(order));
  }
}

function freeze(o: Mutable): Order {
  return Object.freeze({ ...o });
}
