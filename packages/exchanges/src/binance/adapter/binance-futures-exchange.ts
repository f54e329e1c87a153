import type {
  CancelCommand,
  Exchange,
  ExchangeSink,
  Instrument,
  Liquidity,
  Logger,
  Micros,
  ModifyCommand,
  OrderCommand,
  OrderReport,
  RejectReason,
} from '@botplatform/sdk';
import { rejectReason } from '@botplatform/sdk';
import type { ReconnectingWsOptions } from '../../connection/reconnecting-ws.js';
import { type Scheduler, systemScheduler } from '../../connection/scheduler.js';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import type { FeeRates } from '../exchange-info.js';
import { type BinanceEndpointConfig, type BinanceEndpoints, resolveEndpoints } from './endpoints.js';
import { BinanceMarketStream } from './market-stream.js';
import { cancelOrderParams, modifyOrderParams, newOrderParams } from './order-params.js';
import { OrderTracker } from './order-tracker.js';
import { Redactor } from './redact.js';
import {
  type BinanceOpenOrder,
  type BinanceOrderBody,
  type BinanceOrderFill,
  type BinancePosition,
  openOrderOf,
} from './rest-bodies.js';
import { BinanceRestClient, type DepthLimit, type Timed } from './rest-client.js';
import { BinanceRequestError, BinanceTransportError } from './rest-error.js';
import type { DepthSpeed, MarkPriceSpeed } from './stream-names.js';
import type { AccountUpdate, OrderTradeUpdate } from './user-messages.js';
import {
  type FeeInQuote,
  fundingOfAccountUpdate,
  positionsOfAccountUpdate,
  reportsOfOrderUpdate,
} from './user-reports.js';
import { BinanceUserStream } from './user-stream.js';
import { BinanceWsApi, type WsApiOrderMethod } from './ws-api.js';

/** One order round trip, for the tick store's `order_latency` (µs; exchTs is Binance's `updateTime`). */
export interface OrderLatencySample {
  readonly symbol: string;
  readonly reqTs: Micros;
  readonly exchTs: Micros;
  readonly respTs: Micros;
}

export interface BinanceFuturesConfig extends BinanceEndpointConfig {
  /** From BINANCE_API_KEY / BINANCE_API_SECRET, read by the caller. Without them: market data only. */
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Send orders over the WebSocket API while it is up (REST otherwise). Default true. */
  readonly useWsApi?: boolean;
  readonly recvWindowMs?: number;
  /** The account's fee rates (exchangeInfo does not carry them). Default VIP 0. */
  readonly fees?: FeeRates;
  readonly streams?: Partial<Record<'depth' | 'bookTicker' | 'trade' | 'markPrice', boolean>>;
  readonly depthSpeed?: DepthSpeed;
  readonly markPriceSpeed?: MarkPriceSpeed;
  readonly snapshotLimit?: DepthLimit;
  readonly openInterestEveryUs?: number;
  /** Called after every order round trip (place, modify, cancel) that Binance answered. */
  readonly onLatency?: (sample: OrderLatencySample) => void;
  readonly logger?: Logger;
  readonly scheduler?: Scheduler;
  /** Socket tuning for every connection (tests shorten backoffs). */
  readonly socket?: Partial<Omit<ReconnectingWsOptions, 'url' | 'name' | 'scheduler'>>;
  /** A WebSocket API request unanswered this long has an unknown outcome. Default 10 s. */
  readonly wsApiTimeoutUs?: number;
  /** The user stream's keep-alive period. Default 30 min. */
  readonly listenKeyKeepAliveUs?: number;
  /** connect() fails if the streams are not up and subscribed within this. Default 30 s. */
  readonly connectTimeoutUs?: number;
}

/**
 * The live Binance USD-M futures venue behind the SDK's Exchange interface: instruments from
 * exchangeInfo, market data from BinanceMarketStream, orders over the WebSocket API (REST when
 * it is down), execution reports from the user data stream, and open orders / positions for
 * reconciliation. Commands are fire-and-forget: every outcome, a refusal included, comes back
 * through the sink as an ExecutionReport. Credentials live in ES private fields and are
 * redacted from every log line and error message.
 */
export class BinanceFuturesExchange implements Exchange {
  readonly id = BINANCE_FUTURES_ID;
  readonly endpoints: BinanceEndpoints;
  readonly rest: BinanceRestClient;
  readonly #config: BinanceFuturesConfig;
  private readonly redactor: Redactor;
  private readonly scheduler: Scheduler;
  private readonly tracker = new OrderTracker();
  private readonly instrumentsBySymbol = new Map<string, Instrument>();
  private readonly lastMark = new Map<string, { markPrice: number; fundingRate: number }>();
  private readonly positionQty = new Map<string, number>();
  private readonly warnedFeeAssets = new Set<string>();
  private sink: ExchangeSink | undefined;
  private market: BinanceMarketStream | undefined;
  private user: BinanceUserStream | undefined;
  private wsApi: BinanceWsApi | undefined;
  private allInstruments: Promise<Instrument[]> | undefined;
  private closed = false;
  /** Ends each connect() still waiting in `within` (its timer cancelled), for close(). */
  private readonly abortConnects = new Set<() => void>();

  constructor(config: BinanceFuturesConfig = {}) {
    this.#config = config;
    this.endpoints = resolveEndpoints(config);
    this.scheduler = config.scheduler ?? systemScheduler;
    this.redactor = new Redactor([config.apiKey, config.apiSecret]);
    this.rest = new BinanceRestClient({
      baseUrl: this.endpoints.restUrl,
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      ...(config.apiSecret ? { apiSecret: config.apiSecret } : {}),
      ...(config.recvWindowMs ? { recvWindowMs: config.recvWindowMs } : {}),
      scheduler: this.scheduler,
      redactor: this.redactor,
      ...(config.logger ? { logger: this.safeLogger(config.logger) } : {}),
    });
  }

  private get hasKeys(): boolean {
    return Boolean(this.#config.apiKey && this.#config.apiSecret);
  }

  async instruments(symbols: readonly string[]): Promise<Instrument[]> {
    this.allInstruments ??= this.rest.exchangeInfo().then(
      (all) => {
        const fees = this.#config.fees;
        const withFees = fees
          ? all.map((i) => ({ ...i, makerFee: fees.makerFee, takerFee: fees.takerFee }))
          : all;
        for (const i of withFees) this.instrumentsBySymbol.set(i.symbol, i);
        return withFees;
      },
      (err: unknown) => {
        this.allInstruments = undefined;
        throw this.redactor.redactError(err);
      },
    );
    const all = await this.allInstruments;
    const missing = symbols.filter((s) => !this.instrumentsBySymbol.has(s));
    if (missing.length > 0)
      throw new Error(`Binance USD-M has no symbol ${missing.join(', ')} (check the spelling, e.g. BTCUSDT)`);
    return symbols.length === 0 ? all : symbols.map((s) => this.instrumentsBySymbol.get(s)!);
  }

  async connect(sink: ExchangeSink, symbols: readonly string[]): Promise<void> {
    this.sink = sink;
    await this.instruments(symbols);
    this.throwIfClosed('the streams');
    const log = this.#config.logger ? this.safeLogger(this.#config.logger) : undefined;
    const common = {
      scheduler: this.scheduler,
      ...(this.#config.socket ? { socket: this.#config.socket } : {}),
      ...(log ? { logger: log } : {}),
    };
    if (this.hasKeys) {
      await this.rest.syncClock();
      this.throwIfClosed('the user data stream');
      this.user = new BinanceUserStream(
        {
          privateUrl: this.endpoints.privateWsUrl,
          rest: this.rest,
          redactor: this.redactor,
          ...(this.#config.listenKeyKeepAliveUs
            ? { keepAliveEveryUs: this.#config.listenKeyKeepAliveUs }
            : {}),
          ...common,
        },
        {
          onOrderUpdate: (u) => this.onOrderUpdate(u),
          onAccountUpdate: (u) => this.onAccountUpdate(u),
          onResync: (reason) => void this.reconcile(reason),
        },
      );
      await this.within(this.user.start(), 'the user data stream');
      this.throwIfClosed('the market streams');
      if (this.#config.useWsApi !== false) {
        this.wsApi = new BinanceWsApi({
          url: this.endpoints.wsApiUrl,
          apiKey: this.#config.apiKey!,
          apiSecret: this.#config.apiSecret!,
          clock: this.rest.clock,
          limiter: this.rest.limiter,
          redactor: this.redactor,
          ...(this.#config.recvWindowMs ? { recvWindowMs: this.#config.recvWindowMs } : {}),
          ...(this.#config.wsApiTimeoutUs ? { timeoutUs: this.#config.wsApiTimeoutUs } : {}),
          ...common,
        });
        // Not awaited: orders go over REST until it is up.
        this.wsApi.start();
      }
    }
    this.market = new BinanceMarketStream(
      {
        symbols,
        publicUrl: this.endpoints.publicWsUrl,
        marketUrl: this.endpoints.marketWsUrl,
        rest: this.rest,
        ...(this.#config.streams ? { streams: this.#config.streams } : {}),
        ...(this.#config.depthSpeed ? { depthSpeed: this.#config.depthSpeed } : {}),
        ...(this.#config.markPriceSpeed ? { markPriceSpeed: this.#config.markPriceSpeed } : {}),
        ...(this.#config.snapshotLimit ? { snapshotLimit: this.#config.snapshotLimit } : {}),
        ...(this.#config.openInterestEveryUs
          ? { openInterestEveryUs: this.#config.openInterestEveryUs }
          : {}),
        ...common,
      },
      {
        onMarket: (e) => {
          if (e.type === 'markPrice')
            this.lastMark.set(e.symbol, { markPrice: e.markPrice, fundingRate: e.fundingRate });
          sink.onMarket(e);
        },
        onGap: (g) => sink.onGap(g),
      },
    );
    await this.within(this.market.start(), 'the market streams');
  }

  /**
   * `p`, or a clear error once connectTimeoutUs has passed, or as soon as close() is called
   * (which cancels the timer: a closed adapter holds no timer).
   */
  private within<T>(p: Promise<T>, what: string): Promise<T> {
    const us = this.#config.connectTimeoutUs ?? 30_000_000;
    return new Promise<T>((resolve, reject) => {
      const settle = (): void => {
        cancel();
        this.abortConnects.delete(abort);
      };
      const abort = (): void => {
        settle();
        reject(closedWhileConnecting(what));
      };
      const cancel = this.scheduler.after(us, () => {
        this.abortConnects.delete(abort);
        reject(
          new Error(`Binance: ${what} did not connect within ${us / 1e6} s (check --ws-url and the network)`),
        );
      });
      this.abortConnects.add(abort);
      p.then(
        (v) => {
          settle();
          resolve(v);
        },
        (err: unknown) => {
          settle();
          reject(this.redactor.redactError(err));
        },
      );
    });
  }

  /** connect() goes no further once close() was called (it would open sockets nobody closes). */
  private throwIfClosed(what: string): void {
    if (this.closed) throw closedWhileConnecting(what);
  }

  submit(cmd: OrderCommand): void {
    const inst = this.instrumentsBySymbol.get(cmd.symbol);
    this.tracker.track(cmd.clientOrderId, cmd.symbol);
    if (!inst) {
      this.report({
        kind: 'rejected',
        clientOrderId: cmd.clientOrderId,
        reason: rejectReason('UNKNOWN_SYMBOL', `Binance USD-M: unknown symbol ${cmd.symbol}`),
        exchTs: this.exchNow(),
      });
      return;
    }
    void this.send('order.place', cmd.symbol, newOrderParams(cmd, inst), (err) => ({
      kind: 'rejected',
      clientOrderId: cmd.clientOrderId,
      reason: err,
      exchTs: this.exchNow(),
    })).then((r) => {
      if (r)
        this.report({
          kind: 'accepted',
          clientOrderId: cmd.clientOrderId,
          exchangeOrderId: String(r.value.orderId),
          exchTs: r.value.updateTime ?? this.exchNow(),
        });
    });
  }

  cancel(cmd: CancelCommand): void {
    void this.send('order.cancel', cmd.symbol, cancelOrderParams(cmd), (err) => ({
      kind: 'cancelRejected',
      clientOrderId: cmd.clientOrderId,
      reason: err,
      exchTs: this.exchNow(),
    })).then((r) => {
      if (r && r.value.status === 'CANCELED')
        this.report({
          kind: 'canceled',
          clientOrderId: cmd.clientOrderId,
          exchTs: r.value.updateTime ?? this.exchNow(),
        });
    });
  }

  modify(cmd: ModifyCommand): void {
    const inst = this.instrumentsBySymbol.get(cmd.symbol);
    if (!inst) {
      this.report({
        kind: 'modifyRejected',
        clientOrderId: cmd.clientOrderId,
        reason: rejectReason('UNKNOWN_SYMBOL', `Binance USD-M: unknown symbol ${cmd.symbol}`),
        exchTs: this.exchNow(),
      });
      return;
    }
    void this.send('order.modify', cmd.symbol, modifyOrderParams(cmd, inst), (err) => ({
      kind: 'modifyRejected',
      clientOrderId: cmd.clientOrderId,
      reason: err,
      exchTs: this.exchNow(),
    })).then((r) => {
      if (r && r.value.status !== 'CANCELED' && r.value.status !== 'EXPIRED')
        this.report({
          kind: 'modified',
          clientOrderId: cmd.clientOrderId,
          price: r.value.price,
          qty: r.value.origQty,
          exchTs: r.value.updateTime ?? this.exchNow(),
        });
    });
  }

  /** Open orders at Binance (all symbols when none given), for reconciliation after a restart. */
  openOrders(symbol?: string): Promise<BinanceOpenOrder[]> {
    return this.rest.openOrders(symbol);
  }

  /**
   * One order as Binance holds it now, in any state (GET /fapi/v1/order), for reconciling an
   * order that is no longer open; undefined when Binance does not know it.
   */
  async queryOrder(symbol: string, clientOrderId: string): Promise<BinanceOpenOrder | undefined> {
    const body = await this.rest.queryOrder(symbol, clientOrderId);
    return body === undefined ? undefined : openOrderOf(body);
  }

  /**
   * The executions of one order (GET /fapi/v1/userTrades), oldest first, with commissions in
   * another asset valued in the quote asset as the user stream's are.
   */
  async orderFills(symbol: string, exchangeOrderId: string): Promise<BinanceOrderFill[]> {
    const trades = await this.rest.orderTrades(symbol, exchangeOrderId);
    return trades.map((t) => {
      const liquidity: Liquidity = t.maker ? 'maker' : 'taker';
      return {
        tradeId: t.id,
        price: t.price,
        qty: t.qty,
        fee:
          t.commission === 0
            ? 0
            : this.feeInQuote(t.symbol, t.commissionAsset, t.commission, t.price * t.qty, liquidity),
        liquidity,
        exchTs: t.time,
      };
    });
  }

  /** Our orders of one symbol placed since `sinceUs`, in any state (GET /fapi/v1/allOrders), oldest first. */
  ordersSince(symbol: string, sinceUs: Micros): Promise<BinanceOpenOrder[]> {
    return this.rest.ordersSince(symbol, Math.floor(sinceUs / 1000));
  }

  /** Non-flat positions at Binance, for reconciliation. */
  positions(symbol?: string): Promise<BinancePosition[]> {
    return this.rest.positions(symbol);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const abort of [...this.abortConnects]) abort();
    await Promise.allSettled([this.market?.close(), this.user?.close(), this.wsApi?.close()]);
    await this.rest.close();
  }

  /** Never lets the credentials out, whatever serializes the adapter. */
  toJSON(): Record<string, unknown> {
    return { id: this.id, endpoints: this.endpoints };
  }

  /**
   * Sends one order command over the WebSocket API when it is up, else REST; resolves with the
   * response, or undefined after reporting the failure (`onError`) or when the outcome is unknown.
   */
  private async send(
    method: WsApiOrderMethod,
    symbol: string,
    params: Record<string, string | number | boolean>,
    onError: (reason: RejectReason) => OrderReport,
  ): Promise<Timed<BinanceOrderBody> | undefined> {
    let r: Timed<BinanceOrderBody>;
    try {
      r = await this.sendOnce(method, params);
    } catch (err) {
      if (
        err instanceof BinanceRequestError &&
        err.info.action === 'resync-clock' &&
        err.endpoint.startsWith('ws ')
      ) {
        // The WebSocket API has no retry of its own (REST retried once already): resync and
        // try once more over REST.
        try {
          await this.rest.syncClock();
          r = await this.viaRest(method, params);
        } catch (err2) {
          return this.failed(err2, method, onError);
        }
      } else return this.failed(err, method, onError);
    }
    this.#config.onLatency?.({
      symbol,
      reqTs: r.reqTs,
      exchTs: r.value.updateTime ?? Number.NaN,
      respTs: r.respTs,
    });
    return r;
  }

  private async sendOnce(method: WsApiOrderMethod, params: Record<string, string | number | boolean>) {
    if (this.wsApi?.isUp) {
      try {
        return await this.wsApi.request(method, params);
      } catch (err) {
        // Nothing left: the socket was down. Anything else already reached Binance.
        if (!(err instanceof BinanceTransportError) || err.sent) throw err;
      }
    }
    return this.viaRest(method, params);
  }

  private viaRest(method: WsApiOrderMethod, params: Record<string, string | number | boolean>) {
    if (method === 'order.place') return this.rest.placeOrder(params);
    if (method === 'order.modify') return this.rest.modifyOrder(params);
    return this.rest.cancelOrder(params);
  }

  private failed(err: unknown, method: string, onError: (reason: RejectReason) => OrderReport): undefined {
    const e = this.redactor.redactError(err);
    if (err instanceof BinanceRequestError) {
      this.report(onError(err.reject));
      return undefined;
    }
    if (err instanceof BinanceTransportError && !err.sent) {
      this.report(onError(rejectReason('VENUE_ERROR', `could not reach Binance: ${e.message}`)));
      return undefined;
    }
    if (err instanceof BinanceTransportError) {
      // Sent, unanswered: Binance may have acted on it. The user stream reports what happened;
      // reporting a refusal here could contradict it.
      this.log(
        'warn',
        { method, error: e.message },
        'Binance order request outcome unknown; awaiting the user stream',
      );
      return undefined;
    }
    this.report(onError(rejectReason('VENUE_ERROR', e.message)));
    return undefined;
  }

  private onOrderUpdate(u: OrderTradeUpdate): void {
    for (const r of reportsOfOrderUpdate(u, this.feeInQuote)) this.report(r);
  }

  private onAccountUpdate(u: AccountUpdate): void {
    for (const p of positionsOfAccountUpdate(u)) this.positionQty.set(p.symbol, p.qty);
    for (const f of fundingOfAccountUpdate(u)) {
      if (!f.symbol) {
        this.log(
          'warn',
          { asset: f.asset, amount: f.amount },
          'Binance funding without a symbol; not reported',
        );
        continue;
      }
      const mark = this.lastMark.get(f.symbol);
      this.sink?.onReport({
        kind: 'funding',
        symbol: f.symbol,
        markPrice: mark?.markPrice ?? Number.NaN,
        rate: mark?.fundingRate ?? Number.NaN,
        positionQty: this.positionQty.get(f.symbol) ?? Number.NaN,
        amount: f.amount,
        exchTs: f.exchTs,
      });
    }
  }

  /** Commission in a non-quote asset (BNB discount): valued at the instrument's fee rate. */
  private readonly feeInQuote: FeeInQuote = (symbol, asset, amount, notional, liquidity: Liquidity) => {
    if (symbol.endsWith(asset)) return amount;
    const inst = this.instrumentsBySymbol.get(symbol);
    if (!this.warnedFeeAssets.has(asset)) {
      this.warnedFeeAssets.add(asset);
      this.log(
        'warn',
        { asset, symbol },
        'Binance commission in a non-quote asset: fee estimated from the fee rate',
      );
    }
    return notional * (liquidity === 'maker' ? (inst?.makerFee ?? 0) : (inst?.takerFee ?? 0));
  };

  /** After a user-stream gap: what was open before may have changed unseen. */
  private async reconcile(reason: string): Promise<void> {
    const tracked = this.tracker.open();
    if (tracked.length === 0) return;
    try {
      const open = new Set((await this.rest.openOrders()).map((o) => o.clientOrderId));
      const lost = tracked.filter((id) => !open.has(id));
      if (lost.length > 0)
        this.log(
          'warn',
          { reason, orders: lost },
          'Binance orders closed while the user stream was down; reconcile them',
        );
    } catch (err) {
      this.log(
        'warn',
        { reason, error: this.redactor.redactError(err).message },
        'Binance reconciliation failed',
      );
    }
  }

  private report(r: OrderReport): void {
    if (this.tracker.admit(r)) this.sink?.onReport(r);
  }

  /** Binance's clock now, µs: the exchTs of a refusal Binance gave no time for. */
  private exchNow(): Micros {
    return this.rest.clock.timestampMs() * 1000;
  }

  private log(level: 'warn' | 'info', obj: Record<string, unknown>, msg: string): void {
    const l = this.#config.logger;
    if (l) this.safeLogger(l)[level](obj, msg);
  }

  /** A logger whose every line goes through the redactor. */
  private safeLogger(l: Logger): Logger {
    const wrap =
      (fn: Logger['info']): Logger['info'] =>
      (obj, msg) => {
        const o =
          typeof obj === 'string'
            ? this.redactor.redact(obj)
            : JSON.parse(this.redactor.redact(JSON.stringify(obj)));
        fn.call(l, o, msg === undefined ? undefined : this.redactor.redact(msg));
      };
    return { debug: wrap(l.debug), info: wrap(l.info), warn: wrap(l.warn), error: wrap(l.error) };
  }
}

function closedWhileConnecting(what: string): Error {
  return new Error(`Binance: closed before ${what} connected`);
}
