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
  type OrderChanges,
  type OrderCommand,
  type OrderReport,
  type OrderRequest,
  type OrderStatus,
  type RejectReason,
  rejectReason,
} from '@botplatform/sdk';
import type { Logger } from 'pino';
import type { Portfolio } from './portfolio.js';
import type { RiskEngine } from './risk-engine.js';

/**
 * Where the ExecutionEngine announces changes. The kernel queues both kinds in one FIFO at
 * the current local time, so the strategy hears every change of an order in the order it
 * happened, and never from inside its own call (callbacks are not re-entered).
 */
export interface ExecutionListener {
  orderUpdate(order: Order): void;
  fill(fill: Fill): void;
}

type Mutable = { -readonly [K in keyof Order]: Order[K] };

/**
 * A veto consulted before the RiskEngine for new orders and amends (live: a symbol whose book
 * lost sync takes no new risk until it is resynced). Returns the refusal, or undefined.
 */
export type OrderGate = (req: OrderRequest) => RejectReason | undefined;

/** Closed orders remembered for late reports (a cancel racing a fill arrives within ms). */
const RECENT_CLOSED = 4096;

/**
 * The one way orders leave the strategy: request → rounding → RiskEngine → venue; and the one
 * place venue reports become order-state changes and fills (the order state machine of
 * `@botplatform/sdk`'s order-status). Positions change only here, when a fill arrives locally.
 */
export class ExecutionEngine {
  /** Open orders and the most recent closed ones (late reports about those are expected). */
  private readonly orders = new Map<string, Mutable>();
  private readonly open = new Map<string, Mutable>();
  /** Every clientOrderId this run used: refuses duplicates without keeping old orders. */
  private readonly usedIds = new Set<string>();
  /** Closed orders still in `orders`, oldest first; beyond RECENT_CLOSED they are forgotten. */
  private readonly closed: string[] = [];
  private closedHead = 0;
  private readonly instruments = new Map<string, Instrument>();
  private nextId: number;
  private gate: OrderGate | undefined;
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
    /** First number of generated ids (`<prefix>-<n>`): a live restart continues its state's count. */
    firstId = 1,
  ) {
    for (const inst of instruments) this.instruments.set(inst.symbol, inst);
    this.nextId = firstId;
  }

  /** Installs (or removes, with undefined) the gate new orders and amends pass first. */
  setOrderGate(gate: OrderGate | undefined): void {
    this.gate = gate;
  }

  /**
   * Marks ids as used by earlier runs (a live restart): a strategy that picks one of them is
   * refused as a duplicate, and generated ids skip them, so no id ever names two orders.
   */
  reserveIds(ids: Iterable<string>): void {
    for (const id of ids) this.usedIds.add(id);
  }

  /**
   * Takes over an open order found at the exchange on reconciliation (placed by an earlier run):
   * it is tracked from now on like one placed here, and its reports apply to it. Nothing is sent
   * and nobody is told: the strategy sees it in `ctx.openOrders()` from onStart on.
   */
  adopt(order: Order): void {
    if (!isOpen(order.status))
      throw new Error(`adopt: order ${order.clientOrderId} is ${order.status}, not open`);
    if (this.orders.has(order.clientOrderId))
      throw new Error(`adopt: order ${order.clientOrderId} is already tracked`);
    const o: Mutable = { ...order };
    this.orders.set(o.clientOrderId, o);
    this.open.set(o.clientOrderId, o);
    this.usedIds.add(o.clientOrderId);
  }

  place(req: OrderRequest, now: Micros, refPrice: number): Order {
    this.ordersPlaced++;
    const clientOrderId = req.clientOrderId ?? this.newClientOrderId();
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

    if (this.usedIds.has(clientOrderId)) {
      // The id names another order: answer only the caller. An update under that id would
      // tell the strategy its live order had died.
      this.ordersRejected++;
      order.status = 'rejected';
      order.reason = rejectReason(
        'DUPLICATE_CLIENT_ID',
        `clientOrderId ${clientOrderId} is already used by another order of this run`,
        -4116,
      );
      this.log.warn({ clientOrderId }, 'duplicate clientOrderId refused');
      return freeze(order);
    }
    const denial = inst ? this.deny(inst, adjusted, refPrice) : this.unknownSymbol(req.symbol);
    this.orders.set(clientOrderId, order);
    this.usedIds.add(clientOrderId);
    if (denial) {
      this.ordersRejected++;
      order.status = 'rejected';
      order.reason = denial;
      this.retire(clientOrderId);
      const snap = freeze(order);
      this.listener.orderUpdate(snap);
      return snap;
    }
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
    this.risk.onSent(order, now);
    return freeze(order);
  }

  /** Requests a cancel; false if no open order has that id. A second request while one is in flight sends nothing. */
  cancel(clientOrderId: string, now: Micros): boolean {
    const order = this.open.get(clientOrderId);
    if (!order) return false;
    this.sendCancel(order, now);
    return true;
  }

  /**
   * Amends a resting limit order: the changes are rounded like a new order (passively) and
   * checked against the exchange filters first. Returns false when nothing was sent (no such
   * open limit order, a cancel already in flight, no change, or the amended order is invalid:
   * then the strategy hears the reason through onOrderUpdate).
   */
  modify(clientOrderId: string, changes: OrderChanges, now: Micros, refPrice: number): boolean {
    const order = this.open.get(clientOrderId);
    if (order?.type !== 'limit' || order.status === 'pendingCancel') return false;
    const inst = this.instruments.get(order.symbol)!;
    const req = adjustOrder(inst, {
      symbol: order.symbol,
      side: order.side,
      type: 'limit',
      timeInForce: order.timeInForce,
      price: changes.price ?? order.price,
      qty: changes.qty ?? order.qty,
      reduceOnly: order.reduceOnly,
    });
    if (req.price === order.price && req.qty === order.qty) return false;
    const denial =
      req.qty <= order.filledQty
        ? rejectReason(
            'MODIFY_REJECTED',
            `new quantity ${req.qty} is not above the filled ${order.filledQty}`,
            -4028,
          )
        : this.deny(inst, req, refPrice, order);
    if (denial) {
      order.reason = denial;
      order.updatedTs = now;
      this.listener.orderUpdate(freeze(order));
      return false;
    }
    this.venue.modify({
      clientOrderId,
      symbol: order.symbol,
      side: order.side,
      price: req.price!,
      qty: req.qty,
    });
    this.risk.onSent(order, now, true);
    return true;
  }

  /** Cancels every open order (of one symbol); returns how many cancels were sent. */
  cancelAll(symbol: string | undefined, now: Micros): number {
    let sent = 0;
    for (const o of this.open.values()) {
      if ((symbol === undefined || o.symbol === symbol) && this.sendCancel(o, now)) sent++;
    }
    return sent;
  }

  openOrders(symbol?: string): Order[] {
    const out: Order[] = [];
    for (const o of this.open.values()) if (symbol === undefined || o.symbol === symbol) out.push(freeze(o));
    return out;
  }

  openOrderCount(symbol?: string): number {
    if (symbol === undefined) return this.open.size;
    let n = 0;
    for (const o of this.open.values()) if (o.symbol === symbol) n++;
    return n;
  }

  /** Unfilled quantity of the open orders on one side of a symbol (for the RiskEngine). */
  openQty(symbol: string, side: 'buy' | 'sell'): number {
    let q = 0;
    for (const o of this.open.values()) if (o.symbol === symbol && o.side === side) q += o.qty - o.filledQty;
    return q;
  }

  /** A venue report arriving locally at `now`. */
  onReport(r: ExecutionReport, now: Micros): void {
    if (r.kind === 'funding') {
      this.portfolio.addFunding(r.symbol, r.amount);
      return;
    }
    this.onOrderReport(r, now);
  }

  private onOrderReport(r: OrderReport, now: Micros): void {
    const order = this.orders.get(r.clientOrderId);
    if (!order) {
      if (this.usedIds.has(r.clientOrderId))
        this.log.debug({ report: r }, 'late report for a long-closed order; ignored');
      else this.log.warn({ report: r }, 'report for an order this run does not know; ignored');
      return;
    }
    switch (r.kind) {
      case 'accepted':
        order.exchangeOrderId = r.exchangeOrderId;
        if (order.status === 'pending') this.transition(order, 'new', now);
        else order.updatedTs = now;
        return;
      case 'rejected':
        if (!this.legal(order, 'rejected')) return;
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
        if (!this.legal(order, 'expired')) return;
        order.reason = r.reason;
        this.transition(order, 'expired', now);
        return;
      case 'modified':
        order.price = r.price;
        order.qty = r.qty;
        order.updatedTs = now;
        delete order.reason;
        if (isOpen(order.status)) this.listener.orderUpdate(freeze(order));
        return;
      case 'modifyRejected':
        if (!isOpen(order.status)) return; // the order ended first: nothing changed for the strategy
        order.reason = r.reason;
        order.updatedTs = now;
        this.listener.orderUpdate(freeze(order));
        return;
      case 'cancelRejected': {
        // The cancel lost a race with the order's own end (filled, rejected, expired): the
        // order did not change, so the strategy hears nothing new.
        if (!isOpen(order.status)) return;
        order.reason = r.reason;
        if (order.status === 'pendingCancel') {
          const back: OrderStatus =
            order.filledQty > 0 ? 'partiallyFilled' : order.exchangeOrderId === undefined ? 'pending' : 'new';
          this.transition(order, back, now);
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
    const fill: Fill = Object.freeze({
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
    });
    this.fillCount++;
    // Money moved whatever the order's recorded state: the fill always counts. The order's
    // state changes before anyone hears of the fill, so `ctx.openOrders()` inside onFill is current.
    this.portfolio.applyFill(fill);
    this.risk.onFill(fill, prevFilled === 0, this.instruments.get(order.symbol)!.contractSize, now);
    const next: OrderStatus =
      r.leavesQty <= 1e-12
        ? 'filled'
        : order.status === 'pendingCancel'
          ? 'pendingCancel'
          : 'partiallyFilled';
    this.listener.fill(fill);
    this.transition(order, next, now);
  }

  private sendCancel(order: Mutable, now: Micros): boolean {
    if (order.status === 'pendingCancel') return false;
    order.status = 'pendingCancel';
    order.updatedTs = now;
    this.venue.cancel({ clientOrderId: order.clientOrderId, symbol: order.symbol });
    this.listener.orderUpdate(freeze(order));
    return true;
  }

  private deny(
    inst: Instrument,
    req: OrderRequest,
    refPrice: number,
    replaces?: Order,
  ): RejectReason | undefined {
    const gated = this.gate?.(req);
    if (gated !== undefined) return gated;
    const decision = this.risk.check(inst, req, refPrice, replaces);
    return decision.ok ? undefined : decision.reason;
  }

  private unknownSymbol(symbol: string): RejectReason {
    return rejectReason(
      'UNKNOWN_SYMBOL',
      `unknown symbol ${symbol}; this run trades ${[...this.instruments.keys()].join(', ')}`,
    );
  }

  /** Whether the state machine allows `order → to`; logs the venue's contradiction when not. */
  private legal(order: Mutable, to: OrderStatus): boolean {
    if (order.status === to || canTransition(order.status, to)) return true;
    this.log.error(
      { clientOrderId: order.clientOrderId, from: order.status, to },
      'illegal order transition ignored',
    );
    return false;
  }

  private transition(order: Mutable, to: OrderStatus, now: Micros): void {
    // A venue's echo of an end already applied (response and user stream both say CANCELED).
    if (order.status === to && !isOpen(to)) return;
    if (!this.legal(order, to)) return;
    order.status = to;
    order.updatedTs = now;
    if (!isOpen(to)) {
      this.open.delete(order.clientOrderId);
      this.retire(order.clientOrderId);
      this.risk.onClosed(order, now);
    }
    this.listener.orderUpdate(freeze(order));
  }

  /**
   * A closed order stays known for RECENT_CLOSED more closings (so a cancel or amend that
   * crossed its end is recognised), then is forgotten: a long run keeps memory flat.
   */
  private retire(clientOrderId: string): void {
    this.closed.push(clientOrderId);
    if (this.closed.length - this.closedHead > RECENT_CLOSED) {
      this.orders.delete(this.closed[this.closedHead]!);
      this.closedHead++;
      if (this.closedHead > RECENT_CLOSED) {
        this.closed.splice(0, this.closedHead);
        this.closedHead = 0;
      }
    }
  }

  /** `bp-1`, `bp-2`, … skipping any id the strategy chose itself. */
  private newClientOrderId(): string {
    let id = `${this.idPrefix}-${this.nextId++}`;
    while (this.usedIds.has(id)) id = `${this.idPrefix}-${this.nextId++}`;
    return id;
  }
}

function freeze(o: Mutable): Order {
  return Object.freeze({ ...o });
}
