import type { ExchangeSink, FeedGap, Instrument, MarketEvent } from '@botplatform/sdk';
import type { RecordClock } from './record-clock.js';
import type { RecordSource } from './record-source.js';

export const EXCHANGE = 'binance-futures';
export const T0 = 1_700_000_000_000_000;

export const instrument = (symbol: string): Instrument => ({
  exchange: EXCHANGE,
  symbol,
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
});

/** A venue driven by the test: it hands out instruments and pushes whatever the test emits. */
export class FakeSource implements RecordSource {
  readonly id = EXCHANGE;
  sink: ExchangeSink | undefined;
  connectedSymbols: readonly string[] = [];
  closed = 0;
  /** Events the source still delivers while closing (what was in flight). */
  onClose: MarketEvent[] = [];

  constructor(private readonly known: readonly string[] = ['BTCUSDT', 'ETHUSDT']) {}

  async instruments(symbols: readonly string[]): Promise<Instrument[]> {
    return symbols.filter((s) => this.known.includes(s)).map(instrument);
  }

  async connect(sink: ExchangeSink, symbols: readonly string[]): Promise<void> {
    this.sink = sink;
    this.connectedSymbols = symbols;
  }

  async close(): Promise<void> {
    this.closed++;
    for (const ev of this.onClose) this.sink?.onMarket(ev);
    this.onClose = [];
  }

  emit(...events: MarketEvent[]): void {
    for (const ev of events) this.sink!.onMarket(ev);
  }

  gap(gap: FeedGap): void {
    this.sink!.onGap(gap);
  }
}

/** Timers that run only when the test advances time. */
export class FakeClock implements RecordClock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(private t = T0) {}

  now(): number {
    return this.t;
  }

  after(delayUs: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.t + delayUs, fn, id });
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  }

  /** Moves time forward, running the timers that fall due in order. */
  advance(us: number): void {
    const end = this.t + us;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    // A timer may have advanced the clock itself (a slow flush in a test).
    this.t = Math.max(this.t, end);
  }

  get pending(): number {
    return this.timers.length;
  }
}

const base = (symbol: string, localTs: number) => ({
  exchange: EXCHANGE,
  symbol,
  exchTs: localTs - 2_000,
  localTs,
});

export const trade = (symbol: string, localTs: number, tradeId: number): MarketEvent => ({
  type: 'trade',
  ...base(symbol, localTs),
  tradeId,
  price: 50_000,
  qty: 0.5,
  side: 'buy',
});

export const snapshot = (symbol: string, localTs: number, seq: number): MarketEvent => ({
  type: 'depth',
  ...base(symbol, localTs),
  seq,
  prevSeq: 0,
  isSnapshot: true,
  bids: [
    [50_000, 1],
    [49_999.9, 2],
  ],
  asks: [[50_000.1, 1.5]],
});

export const diff = (symbol: string, localTs: number, seq: number, prevSeq: number): MarketEvent => ({
  type: 'depth',
  ...base(symbol, localTs),
  seq,
  prevSeq,
  isSnapshot: false,
  bids: [[50_000, 0.5]],
  asks: [],
});

export const bookTicker = (symbol: string, localTs: number, seq: number): MarketEvent => ({
  type: 'bookTicker',
  ...base(symbol, localTs),
  seq,
  bidPrice: 50_000,
  bidQty: 1,
  askPrice: 50_000.1,
  askQty: 1.5,
});

export const markPrice = (symbol: string, localTs: number): MarketEvent => ({
  type: 'markPrice',
  ...base(symbol, localTs),
  markPrice: 50_000.05,
  indexPrice: 50_001,
  fundingRate: 0.0001,
  nextFundingTs: T0 + 3_600_000_000,
});
