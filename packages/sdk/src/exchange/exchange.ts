import type { MarketEvent } from '../events/market.js';
import type { Instrument } from '../instrument/instrument.js';
import type { ExecutionReport } from '../orders/execution-report.js';
import type { CancelCommand, ModifyCommand, OrderCommand } from '../orders/order-request.js';
import type { Micros } from '../time.js';

/** Lost market data, as an adapter or the recorder detected it. */
export interface FeedGap {
  readonly exchange: string;
  readonly symbol: string;
  readonly stream: string;
  readonly fromTs: Micros;
  readonly toTs: Micros;
  readonly reason: string;
}

/** Where a venue delivers what it produces. Called with the report's local arrival already due. */
export interface ExchangeSink {
  onMarket(event: MarketEvent): void;
  onReport(report: ExecutionReport): void;
  onGap(gap: FeedGap): void;
}

/**
 * A venue: a live adapter (Binance, OKX, BingX) or the simulated exchange behind a backtest
 * or paper run. The ExecutionEngine is its only caller for orders; the kernel is its sink.
 * Commands are fire-and-forget: every outcome, including a refusal, comes back as an
 * ExecutionReport, so backtest and live share one order state machine.
 */
export interface Exchange {
  /** Venue id as stored in the tick store's `exchange` column, e.g. `binance-futures`. */
  readonly id: string;
  instruments(symbols: readonly string[]): Promise<Instrument[]>;
  connect(sink: ExchangeSink, symbols: readonly string[]): Promise<void>;
  submit(cmd: OrderCommand): void;
  cancel(cmd: CancelCommand): void;
  /** Amends a resting limit order; the outcome comes back as `modified` or `modifyRejected`. */
  modify(cmd: ModifyCommand): void;
  close(): Promise<void>;
}
