import type { ExecutionReport, Instrument, MarketEvent, OrderCommand } from '@botplatform/sdk';
import {
  type FillMode,
  feedMarketEvent,
  type QueueModel,
  RiskAverseQueue,
  SimulatedExchange,
} from '@botplatform/sim';
import { badSymbol, orderDoesNotExist, unknownOrderSent } from '../binance-error.js';
import type { LoopbackClock } from '../loopback-clock.js';
import type { MarketFeed } from '../market/market-feed.js';
import type { WireDecimals } from '../market/wire-decimal.js';
import { Prng } from '../prng.js';
import { accountUpdate, type ExecutionType, type FillInfo, orderTradeUpdate } from '../user/user-events.js';
import { Account } from './account.js';
import { type AllOrdersQuery, selectOrders } from './all-orders-query.js';
import type { ModifyParams, OrderRef, PlaceParams } from './order-params.js';
import { OrderRecord, orderJson } from './order-record.js';
import { rejectError } from './reject-error.js';
import { UserTradeLog, type UserTradesQuery, userTradeJson } from './user-trades.js';

export interface TradingVenueOptions {
  readonly queue?: QueueModel;
  readonly fills?: FillMode;
  /** Initial USDT wallet balance. */
  readonly balance?: number;
  readonly seed?: number;
}

export interface PlaceResult {
  /** The body for `newOrderRespType=ACK`: the order as accepted. */
  readonly ack: object;
  /** …and for RESULT: the order after everything its arrival caused. */
  readonly result: object;
}

/** Closed orders kept for queries; older ones are forgotten. */
const KEEP_CLOSED = 10_000;
/** Binance order ids are large per-symbol counters; the sim's "1", "2"… are offset by this. */
const ORDER_ID_BASE = 8_300_000_000;

/**
 * The trading side of the loopback: the SAME SimulatedExchange a backtest uses, fed the
 * market at each event's exchange time and orders at the loopback clock's time, with Binance's
 * order records, one-way positions and a USDT wallet around it. Every report of the sim
 * becomes a user-stream event (`emit`) and, for the request that caused it, the REST / WS API
 * response or Binance error.
 */
export class TradingVenue {
  readonly sim: SimulatedExchange;
  private readonly instruments = new Map<string, Instrument>();
  private readonly reports: ExecutionReport[] = [];
  private readonly byCid = new Map<string, OrderRecord>();
  private readonly byId = new Map<number, OrderRecord>();
  private readonly closed: string[] = [];
  private readonly account: Account;
  private readonly tradeIds = new Map<string, number>();
  private readonly trades = new UserTradeLog();
  private readonly rng: Prng;
  /** The order being submitted, so its `accepted` report can build the record. */
  private submitting: { cmd: OrderCommand; timeMs: number } | undefined;
  private lastAck: object | undefined;

  constructor(
    instruments: readonly Instrument[],
    private readonly clock: LoopbackClock,
    private readonly feed: MarketFeed,
    private readonly emit: (payload: object) => void,
    opts: TradingVenueOptions = {},
  ) {
    for (const i of instruments) this.instruments.set(i.symbol, i);
    this.sim = new SimulatedExchange(instruments, {
      queue: opts.queue ?? new RiskAverseQueue(),
      // The sim must not be re-entered from its sink: reports are queued and handled after each call.
      sink: (r) => this.reports.push(r),
      ...(opts.fills ? { fills: opts.fills } : {}),
    });
    this.account = new Account(opts.balance ?? 100_000);
    this.rng = new Prng(opts.seed ?? 11);
  }

  /** A market event at its exchange time, as the backtest's replay driver feeds it. */
  onMarket(ev: MarketEvent): void {
    const sym = this.sim.symbolIndex(ev.symbol);
    if (sym < 0) return;
    if (ev.type === 'openInterest') return;
    feedMarketEvent(this.sim, sym, ev);
    this.drain();
  }

  place(p: PlaceParams): PlaceResult {
    const inst = this.instrument(p.symbol);
    const cid = p.newClientOrderId ?? this.generatedClientOrderId();
    const cmd: OrderCommand = {
      clientOrderId: cid,
      symbol: p.symbol,
      side: p.side === 'BUY' ? 'buy' : 'sell',
      type: p.type === 'LIMIT' ? 'limit' : 'market',
      qty: p.quantity,
      price: p.price,
      timeInForce: p.timeInForce,
      reduceOnly: p.reduceOnly,
    };
    const nowUs = this.clock.nowUs();
    this.submitting = { cmd, timeMs: Math.floor(nowUs / 1000) };
    this.lastAck = undefined;
    this.sim.submit(cmd, nowUs);
    const refused = this.drain(cid);
    this.submitting = undefined;
    if (refused) throw rejectError(refused.reason, inst);
    const rec = this.byCid.get(cid)!;
    return {
      ack: this.lastAck ?? orderJson(rec, this.dec(rec.symbol)),
      result: orderJson(rec, this.dec(rec.symbol)),
    };
  }

  cancel(ref: OrderRef): object {
    this.instrument(ref.symbol);
    const rec = this.find(ref);
    if (rec === undefined) throw unknownOrderSent();
    this.sim.cancel({ clientOrderId: rec.clientOrderId, symbol: rec.symbol }, this.clock.nowUs());
    const refused = this.drain(rec.clientOrderId);
    if (refused) throw rejectError(refused.reason, this.instruments.get(rec.symbol));
    return orderJson(rec, this.dec(rec.symbol));
  }

  modify(p: ModifyParams): object {
    this.instrument(p.symbol);
    const rec = this.find(p);
    if (rec === undefined) throw orderDoesNotExist();
    this.sim.modify(
      {
        clientOrderId: rec.clientOrderId,
        symbol: rec.symbol,
        side: p.side === 'BUY' ? 'buy' : 'sell',
        price: p.price,
        qty: p.quantity,
      },
      this.clock.nowUs(),
    );
    const refused = this.drain(rec.clientOrderId);
    if (refused) throw rejectError(refused.reason, this.instruments.get(rec.symbol));
    return orderJson(rec, this.dec(rec.symbol));
  }

  query(ref: OrderRef): object {
    this.instrument(ref.symbol);
    const rec = this.find(ref);
    if (rec === undefined) throw orderDoesNotExist();
    return orderJson(rec, this.dec(rec.symbol), true);
  }

  /** All Orders (`GET /fapi/v1/allOrders`): the orders still kept, in any state. */
  allOrders(q: AllOrdersQuery): object[] {
    const d = this.dec(this.instrument(q.symbol).symbol);
    const all = [...this.byId.values()].sort((a, b) => a.orderId - b.orderId);
    return selectOrders(all, q, this.clock.nowMs()).map((r) => orderJson(r, d, true));
  }

  /** Account Trade List (`GET /fapi/v1/userTrades`). */
  userTrades(q: UserTradesQuery): object[] {
    const d = this.dec(this.instrument(q.symbol).symbol);
    return this.trades.query(q, this.clock.nowMs()).map((r) => userTradeJson(r, d));
  }

  openOrders(symbol: string | undefined): object[] {
    if (symbol !== undefined) this.instrument(symbol);
    const out: object[] = [];
    for (const r of this.byCid.values())
      if (r.open && (symbol === undefined || r.symbol === symbol))
        out.push(orderJson(r, this.dec(r.symbol), true));
    return out;
  }

  /** Cancels every open order of `symbol`. */
  cancelAll(symbol: string): void {
    this.instrument(symbol);
    const open = [...this.byCid.values()].filter((r) => r.open && r.symbol === symbol);
    for (const r of open) {
      this.sim.cancel({ clientOrderId: r.clientOrderId, symbol }, this.clock.nowUs());
      this.drain();
    }
  }

  /** Position Information V3 (`GET /fapi/v3/positionRisk`): symbols with a position or open orders. */
  positionRisk(symbol: string | undefined): object[] {
    if (symbol !== undefined) this.instrument(symbol);
    const out: object[] = [];
    for (const inst of this.instruments.values()) {
      if (symbol !== undefined && inst.symbol !== symbol) continue;
      const p = this.account.position(inst.symbol);
      const notional = this.openNotional(inst.symbol);
      if (p.qty === 0 && notional.bid === 0 && notional.ask === 0) continue;
      const d = this.dec(inst.symbol);
      const mark = this.feed.markPrice(inst.symbol);
      const m = Number.isFinite(mark) ? mark : p.entry;
      out.push({
        symbol: inst.symbol,
        positionSide: 'BOTH',
        positionAmt: d.qty(p.qty),
        entryPrice: d.price(p.entry),
        breakEvenPrice: d.price(p.entry),
        markPrice: m.toFixed(8),
        unRealizedProfit: ((m - p.entry) * p.qty).toFixed(8),
        liquidationPrice: '0',
        isolatedMargin: '0',
        notional: (m * p.qty).toFixed(8),
        marginAsset: 'USDT',
        isolatedWallet: '0',
        initialMargin: '0',
        maintMargin: '0',
        positionInitialMargin: '0',
        openOrderInitialMargin: '0',
        adl: 0,
        bidNotional: notional.bid.toFixed(8),
        askNotional: notional.ask.toFixed(8),
        updateTime: p.updateTime,
      });
    }
    return out;
  }

  private instrument(symbol: string): Instrument {
    const inst = this.instruments.get(symbol);
    if (inst === undefined) throw badSymbol();
    return inst;
  }

  private dec(symbol: string): WireDecimals {
    return this.feed.decimals(symbol)!;
  }

  private find(ref: OrderRef): OrderRecord | undefined {
    const rec =
      ref.orderId !== undefined
        ? this.byId.get(ref.orderId)
        : ref.origClientOrderId !== undefined
          ? this.byCid.get(ref.origClientOrderId)
          : undefined;
    return rec !== undefined && rec.symbol === ref.symbol ? rec : undefined;
  }

  /** "Automatically generated if not sent": 22 characters, like Binance's. */
  private generatedClientOrderId(): string {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < 22; i++) s += abc[Math.floor(this.rng.next() * abc.length)];
    return s;
  }

  private openNotional(symbol: string): { bid: number; ask: number } {
    let bid = 0;
    let ask = 0;
    for (const r of this.byCid.values()) {
      if (!r.open || r.symbol !== symbol || Number.isNaN(r.price)) continue;
      if (r.side === 'BUY') bid += r.price * r.leavesQty;
      else ask += r.price * r.leavesQty;
    }
    return { bid, ask };
  }

  /**
   * Handles the reports the last sim call produced, in order. Returns the refusal of order
   * `cid` (rejected / cancelRejected / modifyRejected) if there was one.
   */
  private drain(cid?: string): Extract<ExecutionReport, { reason: unknown }> | undefined {
    let refused: Extract<ExecutionReport, { reason: unknown }> | undefined;
    while (this.reports.length > 0) {
      const r = this.reports.shift()!;
      if (
        (r.kind === 'rejected' || r.kind === 'cancelRejected' || r.kind === 'modifyRejected') &&
        r.clientOrderId === cid
      ) {
        refused = r;
        continue;
      }
      this.handle(r);
    }
    return refused;
  }

  private handle(r: ExecutionReport): void {
    const eventMs = this.clock.nowMs();
    const txMs = Math.floor(r.exchTs / 1000);
    if (r.kind === 'funding') {
      this.account.funding(r.amount);
      this.emit(
        accountUpdate('FUNDING_FEE', { wallet: this.account.wallet, change: -r.amount }, [], eventMs, txMs),
      );
      return;
    }
    if (r.kind === 'accepted') {
      const s = this.submitting;
      if (s === undefined || s.cmd.clientOrderId !== r.clientOrderId) return;
      const c = s.cmd;
      const rec = new OrderRecord(
        ORDER_ID_BASE + Number(r.exchangeOrderId),
        c.clientOrderId,
        c.symbol,
        c.side === 'buy' ? 'BUY' : 'SELL',
        c.type === 'limit' ? 'LIMIT' : 'MARKET',
        c.timeInForce,
        c.type === 'limit' ? c.price : Number.NaN,
        c.qty,
        c.reduceOnly,
        s.timeMs,
      );
      this.byCid.set(rec.clientOrderId, rec);
      this.byId.set(rec.orderId, rec);
      this.lastAck = orderJson(rec, this.dec(rec.symbol));
      this.orderEvent(rec, 'NEW', undefined, eventMs, txMs);
      return;
    }
    const rec = this.byCid.get(r.clientOrderId);
    if (rec === undefined) return;
    rec.updateTime = txMs;
    switch (r.kind) {
      case 'fill': {
        rec.executedQty = Math.round((rec.executedQty + r.qty) * 1e9) / 1e9;
        rec.cumQuote += r.price * r.qty;
        rec.status = r.leavesQty > 0 ? 'PARTIALLY_FILLED' : 'FILLED';
        const signed = rec.side === 'BUY' ? r.qty : -r.qty;
        const realized = this.account.fill(rec.symbol, signed, r.price, r.fee, txMs);
        const tradeId = (this.tradeIds.get(rec.symbol) ?? 5_000_000_000) + 1;
        this.tradeIds.set(rec.symbol, tradeId);
        const fill: FillInfo = {
          qty: r.qty,
          price: r.price,
          fee: r.fee,
          maker: r.liquidity === 'maker',
          tradeId,
          realized,
        };
        this.trades.add({
          id: tradeId,
          orderId: rec.orderId,
          symbol: rec.symbol,
          side: rec.side,
          price: r.price,
          qty: r.qty,
          fee: r.fee,
          maker: fill.maker,
          realizedPnl: realized,
          time: txMs,
        });
        this.orderEvent(rec, 'TRADE', fill, eventMs, txMs);
        const d = this.dec(rec.symbol);
        const position = {
          symbol: rec.symbol,
          p: this.account.position(rec.symbol),
          mark: this.feed.markPrice(rec.symbol),
          d,
        };
        this.emit(
          accountUpdate('ORDER', { wallet: this.account.wallet, change: 0 }, [position], eventMs, txMs),
        );
        break;
      }
      case 'canceled':
        rec.status = 'CANCELED';
        this.orderEvent(rec, 'CANCELED', undefined, eventMs, txMs);
        break;
      case 'expired':
        rec.status = 'EXPIRED';
        this.orderEvent(rec, 'EXPIRED', undefined, eventMs, txMs);
        break;
      case 'modified':
        rec.price = r.price;
        rec.origQty = r.qty;
        this.orderEvent(rec, 'AMENDMENT', undefined, eventMs, txMs);
        break;
      default:
        // Refusals of orders other than the caller's (none in practice): nothing to report.
        return;
    }
    if (!rec.open) this.retire(rec);
  }

  private orderEvent(
    rec: OrderRecord,
    x: ExecutionType,
    fill: FillInfo | undefined,
    eventMs: number,
    txMs: number,
  ) {
    this.emit(
      orderTradeUpdate(rec, x, fill, eventMs, txMs, this.openNotional(rec.symbol), this.dec(rec.symbol)),
    );
  }

  private retire(rec: OrderRecord): void {
    this.closed.push(rec.clientOrderId);
    if (this.closed.length <= KEEP_CLOSED) return;
    const old = this.byCid.get(this.closed.shift()!);
    if (old === undefined) return;
    this.byCid.delete(old.clientOrderId);
    this.byId.delete(old.orderId);
  }
}
