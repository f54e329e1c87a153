import type { Micros, NumberFed, OpenInterest, OrderBookView, SampleOptions, Trade } from '@botplatform/sdk';

interface BookFed {
  update(book: OrderBookView): unknown;
}
interface TradeFed {
  update(trade: Trade): unknown;
}
interface OpenInterestFed {
  update(oi: OpenInterest): unknown;
}
interface Sampled {
  readonly indicator: NumberFed;
  readonly everyUs: Micros;
  readonly source: 'mid' | 'markPrice';
  /** Local time of the next boundary to sample at. */
  next: Micros;
}

/**
 * Keeps the signals a strategy bound through `ctx.signals` up to date: each is fed the events
 * it reads, per symbol, before the strategy's callback for the same event. Nothing runs for
 * symbols or event kinds no signal reads.
 */
export class SignalsEngine {
  private readonly book: BookFed[][];
  private readonly trade: TradeFed[][];
  private readonly oi: OpenInterestFed[][];
  private readonly sampled: Sampled[][];
  private readonly mark: Float64Array;

  constructor(symbolCount: number) {
    this.book = Array.from({ length: symbolCount }, () => []);
    this.trade = Array.from({ length: symbolCount }, () => []);
    this.oi = Array.from({ length: symbolCount }, () => []);
    this.sampled = Array.from({ length: symbolCount }, () => []);
    this.mark = new Float64Array(symbolCount).fill(Number.NaN);
  }

  addBook<T extends BookFed>(sym: number, s: T): T {
    this.book[sym]!.push(s);
    return s;
  }

  addTrade<T extends TradeFed>(sym: number, s: T): T {
    this.trade[sym]!.push(s);
    return s;
  }

  addOpenInterest<T extends OpenInterestFed>(sym: number, s: T): T {
    this.oi[sym]!.push(s);
    return s;
  }

  addSampled<T extends NumberFed>(sym: number, indicator: T, opts: SampleOptions, now: Micros): T {
    if (!(opts.everyUs > 0))
      throw new RangeError(`ctx.signals.sampled: everyUs must be > 0, got ${opts.everyUs}`);
    this.sampled[sym]!.push({
      indicator,
      everyUs: opts.everyUs,
      source: opts.source ?? 'mid',
      next: Math.floor(now / opts.everyUs) * opts.everyUs,
    });
    return indicator;
  }

  wantsTrades(sym: number): boolean {
    return this.trade[sym]!.length > 0;
  }

  wantsOpenInterest(sym: number): boolean {
    return this.oi[sym]!.length > 0;
  }

  setMark(sym: number, price: number): void {
    this.mark[sym] = price;
  }

  /**
   * After a depth message: book-fed signals, then sampled indicators whose boundary has come.
   * A sample is taken on the first book update at or after each boundary k·everyUs; a missing
   * price (empty side, no mark yet) waits for the next update.
   */
  onBook(sym: number, book: OrderBookView, now: Micros): void {
    const fed = this.book[sym]!;
    for (let i = 0; i < fed.length; i++) fed[i]!.update(book);
    const sampled = this.sampled[sym]!;
    for (let i = 0; i < sampled.length; i++) {
      const s = sampled[i]!;
      if (now < s.next) continue;
      const price = s.source === 'mid' ? book.mid() : this.mark[sym]!;
      if (Number.isNaN(price)) continue;
      s.indicator.update(price);
      s.next = (Math.floor(now / s.everyUs) + 1) * s.everyUs;
    }
  }

  onTrade(sym: number, trade: Trade): void {
    const fed = this.trade[sym]!;
    for (let i = 0; i < fed.length; i++) fed[i]!.update(trade);
  }

  onOpenInterest(sym: number, oi: OpenInterest): void {
    const fed = this.oi[sym]!;
    for (let i = 0; i < fed.length; i++) fed[i]!.update(oi);
  }
}
