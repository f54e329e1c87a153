import {
  captureSignalState,
  type JsonValue,
  type Micros,
  type NumberFed,
  type OpenInterest,
  type OrderBookView,
  restoreSignalState,
  type SampleOptions,
  type Trade,
} from '@botplatform/sdk';

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

type Feed = 'book' | 'trade' | 'openInterest' | 'sampled';

/** One registered signal as saved: which feed, which symbol, its state (and a sampler's next boundary). */
export interface SavedSignal {
  readonly feed: Feed;
  readonly sym: number;
  readonly state: JsonValue;
  readonly next?: Micros;
}

/** Thrown when saved signals do not fit the signals the restarted strategy registers. */
export class SignalsRestoreError extends Error {}

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
  /** Every registration in order, for snapshots. */
  private readonly registered: { feed: Feed; sym: number; signal: object; sampled?: Sampled }[] = [];
  /** Saved signals still to be applied to registrations, in order (after `expectRestore`). */
  private pending: readonly SavedSignal[] | null = null;

  constructor(symbolCount: number) {
    this.book = Array.from({ length: symbolCount }, () => []);
    this.trade = Array.from({ length: symbolCount }, () => []);
    this.oi = Array.from({ length: symbolCount }, () => []);
    this.sampled = Array.from({ length: symbolCount }, () => []);
    this.mark = new Float64Array(symbolCount).fill(Number.NaN);
  }

  addBook<T extends BookFed>(sym: number, s: T): T {
    this.book[sym]!.push(s);
    this.register('book', sym, s);
    return s;
  }

  addTrade<T extends TradeFed>(sym: number, s: T): T {
    this.trade[sym]!.push(s);
    this.register('trade', sym, s);
    return s;
  }

  addOpenInterest<T extends OpenInterestFed>(sym: number, s: T): T {
    this.oi[sym]!.push(s);
    this.register('openInterest', sym, s);
    return s;
  }

  addSampled<T extends NumberFed>(sym: number, indicator: T, opts: SampleOptions, now: Micros): T {
    if (!(opts.everyUs > 0))
      throw new RangeError(`ctx.signals.sampled: everyUs must be > 0, got ${opts.everyUs}`);
    const sampled: Sampled = {
      indicator,
      everyUs: opts.everyUs,
      source: opts.source ?? 'mid',
      next: Math.floor(now / opts.everyUs) * opts.everyUs,
    };
    this.sampled[sym]!.push(sampled);
    this.register('sampled', sym, indicator, sampled);
    return indicator;
  }

  /** The state of every registered signal, in registration order (JSON-serializable). */
  snapshot(): SavedSignal[] {
    return this.registered.map((r) => ({
      feed: r.feed,
      sym: r.sym,
      state: captureSignalState(r.signal),
      ...(r.sampled ? { next: r.sampled.next } : {}),
    }));
  }

  /**
   * Drops every registration (a strategy restart: its signals go with it) and, with `saved`,
   * arranges for the next registrations to take the saved states in order: a strategy's
   * `create` registers the same signals in the same order every time.
   */
  reset(saved?: readonly SavedSignal[]): void {
    for (const list of [this.book, this.trade, this.oi, this.sampled]) for (const l of list) l.length = 0;
    this.registered.length = 0;
    this.pending = saved ?? null;
  }

  /** After the restarted strategy's `create`: every saved signal must have found its registration. */
  finishRestore(): void {
    const pending = this.pending;
    this.pending = null;
    if (pending !== null && pending.length !== this.registered.length) {
      throw new SignalsRestoreError(
        `the saved state holds ${pending.length} signals, the strategy registered ${this.registered.length}; state from another version of the strategy or other params cannot be restored`,
      );
    }
  }

  private register(feed: Feed, sym: number, signal: object, sampled?: Sampled): void {
    const i = this.registered.length;
    this.registered.push({ feed, sym, signal, ...(sampled ? { sampled } : {}) });
    const saved = this.pending?.[i];
    if (this.pending === null) return;
    if (saved === undefined || saved.feed !== feed || saved.sym !== sym) {
      throw new SignalsRestoreError(
        `signal #${i + 1} (${feed}) does not match the saved state (${saved ? saved.feed : 'none saved'}); state from another version of the strategy or other params cannot be restored`,
      );
    }
    try {
      restoreSignalState(signal, saved.state, `signal #${i + 1} (${signal.constructor.name})`);
    } catch (err) {
      throw new SignalsRestoreError(err instanceof Error ? err.message : String(err));
    }
    if (sampled && saved.next !== undefined) sampled.next = saved.next;
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
