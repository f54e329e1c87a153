// A fake in-memory exchange for the live runtime's tests (excluded from the build).
import type {
  CancelCommand,
  DepthUpdate,
  ExchangeSink,
  ExecutionReport,
  FeedGap,
  Instrument,
  Level,
  Liquidity,
  MarketEvent,
  Micros,
  ModifyCommand,
  OrderCommand,
  Trade,
} from '@botplatform/sdk';
import type {
  ReconcilableExchange,
  VenueFill,
  VenueOpenOrder,
  VenueOrderOutcome,
  VenueOrderRecord,
  VenuePosition,
} from './reconcilable-exchange.js';

export const nowUs = (): Micros => Math.round((performance.timeOrigin + performance.now()) * 1000);

interface HeldOrder {
  readonly cmd: OrderCommand;
  readonly exchangeOrderId: string;
  filledQty: number;
  avgFillPrice: number;
  status: 'new' | 'filled' | 'canceled';
  updateTs: Micros;
  readonly fills: VenueFill[];
}

/**
 * An exchange account that lives in memory and outlives the sessions connected to it (a
 * restart reconnects to the same account). It acks submits and cancels asynchronously (like a
 * real one; `autoAck` / `autoCancel` off to hold the answers back), fills only when a test says
 * so, and answers reconciliation from its own book of orders and positions.
 */
export class MemoryExchange implements ReconcilableExchange {
  readonly id = 'memory';
  readonly submits: OrderCommand[] = [];
  readonly cancels: CancelCommand[] = [];
  readonly modifies: ModifyCommand[] = [];
  readonly orders = new Map<string, HeldOrder>();
  readonly account = new Map<string, { qty: number; entry: number; updateTs: Micros }>();
  autoAck = true;
  autoCancel = true;
  connects = 0;
  closes = 0;
  private sink: ExchangeSink | undefined;
  private nextOrderId = 1;
  private nextTradeId = 1;
  /** Lists an order's executions (as Binance's Account Trade List does); absent when built with `listsFills: false`. */
  readonly orderFills?: (symbol: string, exchangeOrderId: string) => Promise<VenueFill[]>;

  constructor(
    private readonly instrumentList: readonly Instrument[],
    opts: { readonly listsFills?: boolean } = {},
  ) {
    if (opts.listsFills !== false)
      this.orderFills = async (_symbol, exchangeOrderId) =>
        [...this.orders.values()].find((o) => o.exchangeOrderId === exchangeOrderId)?.fills.slice() ?? [];
  }

  async instruments(symbols: readonly string[]): Promise<Instrument[]> {
    return this.instrumentList.filter((i) => symbols.includes(i.symbol));
  }

  async connect(sink: ExchangeSink): Promise<void> {
    this.sink = sink;
    this.connects++;
  }

  get connected(): boolean {
    return this.sink !== undefined;
  }

  submit(cmd: OrderCommand): void {
    this.submits.push(cmd);
    this.orders.set(cmd.clientOrderId, {
      cmd,
      exchangeOrderId: String(this.nextOrderId++),
      filledQty: 0,
      avgFillPrice: Number.NaN,
      status: 'new',
      updateTs: nowUs(),
      fills: [],
    });
    if (this.autoAck) setImmediate(() => this.ack(cmd.clientOrderId));
  }

  cancel(cmd: CancelCommand): void {
    this.cancels.push(cmd);
    if (this.autoCancel) setImmediate(() => this.cancelNow(cmd.clientOrderId));
  }

  modify(cmd: ModifyCommand): void {
    this.modifies.push(cmd);
  }

  async close(): Promise<void> {
    this.sink = undefined;
    this.closes++;
  }

  /** The process died: nothing more reaches it, the account stays. */
  crash(): void {
    this.sink = undefined;
  }

  // ---- what the exchange says

  ack(clientOrderId: string): void {
    const o = this.orders.get(clientOrderId);
    if (o === undefined) return;
    this.report({ kind: 'accepted', clientOrderId, exchangeOrderId: o.exchangeOrderId, exchTs: nowUs() });
  }

  cancelNow(clientOrderId: string): void {
    const o = this.orders.get(clientOrderId);
    if (o === undefined || o.status !== 'new') {
      this.report({
        kind: 'cancelRejected',
        clientOrderId,
        reason: { code: 'UNKNOWN_ORDER', message: 'Unknown order sent.', exchangeCode: -2011 },
        exchTs: nowUs(),
      });
      return;
    }
    o.status = 'canceled';
    o.updateTs = nowUs();
    this.report({ kind: 'canceled', clientOrderId, exchTs: o.updateTs });
  }

  /** Fills `qty` of an open order at its price (or `price`), paying `fee`; the account's position moves. */
  fill(clientOrderId: string, qty: number, price?: number, liquidity: Liquidity = 'maker', fee = 0): void {
    const o = this.orders.get(clientOrderId)!;
    const px = price ?? o.cmd.price;
    o.avgFillPrice = o.filledQty === 0 ? px : (o.avgFillPrice * o.filledQty + px * qty) / (o.filledQty + qty);
    o.filledQty = Math.round((o.filledQty + qty) * 1e9) / 1e9;
    const leaves = Math.round((o.cmd.qty - o.filledQty) * 1e9) / 1e9;
    if (leaves <= 0) o.status = 'filled';
    o.updateTs = nowUs();
    const p = this.account.get(o.cmd.symbol) ?? { qty: 0, entry: Number.NaN, updateTs: 0 };
    const signed = o.cmd.side === 'buy' ? qty : -qty;
    const next = Math.round((p.qty + signed) * 1e9) / 1e9;
    if (p.qty === 0 || Math.sign(p.qty) === Math.sign(signed))
      p.entry = ((p.qty === 0 ? 0 : Math.abs(p.qty) * p.entry) + qty * px) / Math.abs(next);
    else if (next === 0) p.entry = Number.NaN;
    else if (Math.sign(next) !== Math.sign(p.qty)) p.entry = px;
    p.qty = next;
    p.updateTs = o.updateTs;
    this.account.set(o.cmd.symbol, p);
    o.fills.push({ tradeId: this.nextTradeId++, price: px, qty, fee, liquidity, exchTs: o.updateTs });
    this.report({
      kind: 'fill',
      clientOrderId,
      price: px,
      qty,
      fee,
      liquidity,
      leavesQty: leaves,
      exchTs: o.updateTs,
    });
  }

  /** An order placed by hand on the same account (not by the bot). */
  manualOrder(cmd: OrderCommand): void {
    this.orders.set(cmd.clientOrderId, {
      cmd,
      exchangeOrderId: String(this.nextOrderId++),
      filledQty: 0,
      avgFillPrice: Number.NaN,
      status: 'new',
      updateTs: nowUs(),
      fills: [],
    });
  }

  market(e: MarketEvent): void {
    this.sink?.onMarket(e);
  }

  gap(g: FeedGap): void {
    this.sink?.onGap(g);
  }

  report(r: ExecutionReport): void {
    this.sink?.onReport(r);
  }

  // ---- reconciliation

  async openOrders(symbols: readonly string[]): Promise<VenueOpenOrder[]> {
    return [...this.orders.values()]
      .filter((o) => o.status === 'new' && symbols.includes(o.cmd.symbol))
      .map(venueOrder);
  }

  async ordersSince(symbols: readonly string[], sinceTs: Micros): Promise<VenueOrderRecord[]> {
    return [...this.orders.values()]
      .filter((o) => o.updateTs >= sinceTs && symbols.includes(o.cmd.symbol))
      .map((o) => ({ ...venueOrder(o), status: o.status === 'new' ? 'open' : o.status }));
  }

  async positions(symbols: readonly string[]): Promise<VenuePosition[]> {
    return [...this.account.entries()]
      .filter(([s]) => symbols.includes(s))
      .map(([symbol, p]) => ({ symbol, qty: p.qty, entryPrice: p.entry, updateTs: p.updateTs }));
  }

  async orderOutcome(_symbol: string, clientOrderId: string): Promise<VenueOrderOutcome | undefined> {
    const o = this.orders.get(clientOrderId);
    if (o === undefined || o.status === 'new') return undefined;
    return {
      exchangeOrderId: o.exchangeOrderId,
      status: o.status,
      filledQty: o.filledQty,
      avgFillPrice: o.avgFillPrice,
      updateTs: o.updateTs,
    };
  }
}

/** An order as the exchange lists it. */
function venueOrder(o: HeldOrder): VenueOpenOrder {
  return {
    clientOrderId: o.cmd.clientOrderId,
    exchangeOrderId: o.exchangeOrderId,
    symbol: o.cmd.symbol,
    side: o.cmd.side,
    type: o.cmd.type,
    timeInForce: o.cmd.timeInForce,
    price: o.cmd.price,
    qty: o.cmd.qty,
    filledQty: o.filledQty,
    avgFillPrice: o.avgFillPrice,
    reduceOnly: o.cmd.reduceOnly,
    updateTs: o.updateTs,
  };
}

// ---- market events

let seq = 100;

/** A depth snapshot with one level each side around `bid`, stamped now (feed latency `latUs`). */
export function snapshot(symbol: string, bid: number, latUs = 1000): DepthUpdate {
  const t = nowUs();
  seq += 1;
  return depth(symbol, t - latUs, t, seq, seq - 1, true, [[bid, 5]], [[bid + 0.1, 5]]);
}

/** A diff that continues the chain (or breaks it with `prevSeq`). */
export function diff(symbol: string, bids: Level[], asks: Level[], prevSeq = seq, latUs = 1000): DepthUpdate {
  const t = nowUs();
  seq += 1;
  return depth(symbol, t - latUs, t, seq, prevSeq, false, bids, asks);
}

export const lastSeq = (): number => seq;

function depth(
  symbol: string,
  exchTs: Micros,
  localTs: Micros,
  s: number,
  prevSeq: number,
  isSnapshot: boolean,
  bids: Level[],
  asks: Level[],
): DepthUpdate {
  return {
    type: 'depth',
    exchange: 'binance-futures',
    symbol,
    exchTs,
    localTs,
    seq: s,
    prevSeq,
    isSnapshot,
    bids,
    asks,
  };
}

export function trade(symbol: string, price: number, qty: number, side: 'buy' | 'sell', latUs = 1000): Trade {
  const t = nowUs();
  return {
    type: 'trade',
    exchange: 'binance-futures',
    symbol,
    exchTs: t - latUs,
    localTs: t,
    tradeId: seq++,
    price,
    qty,
    side,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds (polling), failing after `ms`. */
export async function until(cond: () => boolean, ms = 2000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}
