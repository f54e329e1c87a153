import type { Instrument, MarketEvent, MarkPrice } from '@botplatform/sdk';
import type { LoopbackClock } from '../loopback-clock.js';
import { DepthAggregator } from './depth-aggregator.js';
import { DepthBook, type DepthSnapshot } from './depth-book.js';
import {
  aggTradePayload,
  bookTickerPayload,
  depthUpdatePayload,
  markPricePayload,
  tradePayload,
} from './market-payloads.js';
import { DEPTH_CADENCES, streamName } from './stream-name.js';
import { UpdateIds } from './update-ids.js';
import { type WireDecimals, wireDecimals } from './wire-decimal.js';

/** Where market payloads go (the stream hub). */
export interface MarketPublisher {
  /** True when some socket listens to `stream`: payloads are only built then. */
  wants(stream: string): boolean;
  publish(stream: string, payload: unknown): void;
}

interface SymbolFeed {
  readonly inst: Instrument;
  readonly d: WireDecimals;
  readonly book: DepthBook;
  readonly ids: UpdateIds;
  readonly depth: Array<{ readonly stream: string; readonly agg: DepthAggregator; gap: boolean }>;
  stale: boolean;
  aggId: number;
  tradeId: number;
  mark: MarkPrice | undefined;
  lastSlowMarkMs: number;
  openInterest: { readonly value: number; readonly timeMs: number } | undefined;
}

/** Binance's `@markPrice` (no suffix) updates every 3 s, `@markPrice@1s` every second. */
const SLOW_MARK_MS = 3000;

/**
 * Turns the data's normalized market events into Binance USD-M stream payloads, per symbol:
 * the book with its update ids (non-consecutive), the three diff-depth cadences, aggTrade /
 * trade ids, book tickers and mark prices; answers REST snapshots from the same book. Two
 * faults live here: `depthGap` drops the next event of each diff-depth stream (the one after
 * it then names an unseen `pu`), `staleSnapshot` serves the next REST snapshot from a copy of
 * the book that lags the stream.
 */
export class MarketFeed {
  private readonly feeds = new Map<string, SymbolFeed>();

  constructor(
    instruments: readonly Instrument[],
    private readonly clock: LoopbackClock,
    private readonly out: MarketPublisher,
    seed = 7,
  ) {
    instruments.forEach((inst, i) => {
      // Futures update ids are large; start each symbol somewhere realistic.
      const ids = new UpdateIds(7_000_000_000_000 + i * 1_000_000_000, seed + i);
      this.feeds.set(inst.symbol, {
        inst,
        d: wireDecimals(inst),
        ids,
        book: new DepthBook(inst.symbol, inst.tickSize, ids),
        depth: DEPTH_CADENCES.map(([suffix, cadenceMs]) => ({
          stream: streamName(inst.symbol, suffix),
          agg: new DepthAggregator(cadenceMs * 1000, ids.current),
          gap: false,
        })),
        stale: false,
        aggId: 1,
        tradeId: 1,
        mark: undefined,
        lastSlowMarkMs: Number.NEGATIVE_INFINITY,
        openInterest: undefined,
      });
    });
  }

  has(symbol: string): boolean {
    return this.feeds.has(symbol);
  }

  onEvent(ev: MarketEvent): void {
    const f = this.feeds.get(ev.symbol);
    if (f === undefined) return;
    const now = this.clock.nowMs();
    switch (ev.type) {
      case 'depth': {
        const change = f.book.apply(ev);
        if (change === undefined) return;
        for (const s of f.depth) {
          const done = s.agg.add(change);
          if (done !== undefined) this.emitDepth(f, s, done, now);
          // A change at the very end of its window closes it: out now, not on the next tick.
          const closed = s.agg.due(ev.exchTs);
          if (closed !== undefined) this.emitDepth(f, s, closed, now);
        }
        return;
      }
      case 'trade': {
        const tradeId = f.tradeId++;
        const aggId = f.aggId++;
        const agg = streamName(ev.symbol, 'aggTrade');
        if (this.out.wants(agg)) this.out.publish(agg, aggTradePayload(ev, aggId, tradeId, now, f.d));
        const raw = streamName(ev.symbol, 'trade');
        if (this.out.wants(raw)) this.out.publish(raw, tradePayload(ev, tradeId, now, f.d));
        return;
      }
      case 'bookTicker': {
        const s = streamName(ev.symbol, 'bookTicker');
        const id = f.ids.single();
        if (this.out.wants(s)) this.out.publish(s, bookTickerPayload(ev, id, now, f.d));
        return;
      }
      case 'markPrice': {
        f.mark = ev;
        const fast = streamName(ev.symbol, 'markPrice@1s');
        if (this.out.wants(fast)) this.out.publish(fast, markPricePayload(ev, now));
        if (now - f.lastSlowMarkMs >= SLOW_MARK_MS) {
          f.lastSlowMarkMs = now;
          const slow = streamName(ev.symbol, 'markPrice');
          if (this.out.wants(slow)) this.out.publish(slow, markPricePayload(ev, now));
        }
        return;
      }
      case 'openInterest':
        f.openInterest = { value: ev.openInterest, timeMs: Math.floor(ev.exchTs / 1000) };
        return;
    }
  }

  /** Publishes diff-depth windows that exchange time `nowUs` has closed. */
  tick(nowUs: number): void {
    const now = Math.floor(nowUs / 1000);
    for (const f of this.feeds.values()) {
      for (const s of f.depth) {
        const done = s.agg.due(nowUs);
        if (done !== undefined) this.emitDepth(f, s, done, now);
      }
    }
  }

  /** A REST snapshot (`GET /fapi/v1/depth`); a pending staleSnapshot fault makes it lag the stream. */
  snapshot(symbol: string, limit: number): DepthSnapshot & { readonly d: WireDecimals } {
    const f = this.feeds.get(symbol)!;
    const stale = f.stale;
    f.stale = false;
    return { ...f.book.snapshot(limit, stale), d: f.d };
  }

  markPrice(symbol: string): number {
    const f = this.feeds.get(symbol);
    const m = f?.mark?.markPrice;
    return m ?? f?.book.view.mid() ?? Number.NaN;
  }

  openInterest(symbol: string): { readonly value: number; readonly timeMs: number } | undefined {
    return this.feeds.get(symbol)?.openInterest;
  }

  decimals(symbol: string): WireDecimals | undefined {
    return this.feeds.get(symbol)?.d;
  }

  /** Fault: the next event of each diff-depth stream of `symbol` (all symbols if omitted) is not sent. */
  depthGap(symbol?: string): void {
    for (const f of this.select(symbol)) for (const s of f.depth) s.gap = true;
  }

  /** Fault: the next REST snapshot of `symbol` (all if omitted) is older than the stream. */
  staleSnapshot(symbol?: string): void {
    for (const f of this.select(symbol)) f.stale = true;
  }

  private select(symbol: string | undefined): SymbolFeed[] {
    if (symbol === undefined) return [...this.feeds.values()];
    const f = this.feeds.get(symbol);
    if (f === undefined) throw new Error(`loopback: no instrument ${symbol}`);
    return [f];
  }

  private emitDepth(
    f: SymbolFeed,
    s: SymbolFeed['depth'][number],
    ev: Parameters<typeof depthUpdatePayload>[1],
    now: number,
  ): void {
    if (s.gap) {
      // Dropped for everyone: the next event's pu names this one's u, which nobody saw.
      s.gap = false;
      return;
    }
    if (this.out.wants(s.stream)) this.out.publish(s.stream, depthUpdatePayload(f.inst.symbol, ev, now, f.d));
  }
}
