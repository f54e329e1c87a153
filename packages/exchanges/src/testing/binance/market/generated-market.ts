import { decimalsOf, type Instrument, type Level, type MarketEvent, type Micros } from '@botplatform/sdk';
import { BINANCE_FUTURES_ID } from '../../../binance/exchange-id.js';
import { Prng } from '../prng.js';

export interface GeneratedMarketOptions {
  readonly symbol?: string;
  /** Exchange time of the first event, µs; default: the wall clock now (so clients need no clock offset). */
  readonly startUs?: Micros;
  /** Stop after this long of market time; default: never. */
  readonly durationMs?: number;
  readonly seed?: number;
  readonly midPrice?: number;
  readonly tickSize?: number;
  readonly stepSize?: number;
  /** Levels per side of the book. */
  readonly levels?: number;
  /** Market time between depth updates. */
  readonly stepMs?: number;
}

const DEFAULTS = {
  symbol: 'BTCUSDT',
  seed: 1,
  midPrice: 50_000,
  tickSize: 0.1,
  stepSize: 0.001,
  levels: 20,
  stepMs: 100,
} as const;

/** The instrument the generated market trades (Binance's BTCUSDT filters and VIP 0 fees). */
export function generatedInstrument(opts: GeneratedMarketOptions = {}): Instrument {
  return {
    exchange: BINANCE_FUTURES_ID,
    symbol: opts.symbol ?? DEFAULTS.symbol,
    tickSize: opts.tickSize ?? DEFAULTS.tickSize,
    stepSize: opts.stepSize ?? DEFAULTS.stepSize,
    minQty: opts.stepSize ?? DEFAULTS.stepSize,
    minNotional: 5,
    makerFee: 0.0002,
    takerFee: 0.0005,
    contractSize: 1,
    maxQty: 1000,
  };
}

const EIGHT_HOURS_US = 8 * 3600 * 1_000_000;
/** Feed latency stamped on the events (the loopback itself publishes at exchange time). */
const FEED_LATENCY_US = 2_000;

/**
 * A quick synthetic perpetual for the loopback when no tick store is at hand: a random-walk
 * fair price, a book of `levels` per side one tick apart around it, trades that take the
 * touch (and shrink it), a depth diff and a book ticker every `stepMs`, a mark price and open
 * interest every second. Deterministic for a seed. (The runner's synthetic market is richer,
 * but packages/exchanges cannot import the runner.)
 */
export function* generateMarket(opts: GeneratedMarketOptions = {}): Generator<MarketEvent, void, undefined> {
  const inst = generatedInstrument(opts);
  const symbol = inst.symbol;
  const tick = inst.tickSize;
  const step = inst.stepSize;
  const pd = decimalsOf(tick);
  const qd = decimalsOf(step);
  const px = (t: number): number => Number((t * tick).toFixed(pd));
  const qty = (lots: number): number => Number((lots * step).toFixed(qd));
  const levels = opts.levels ?? DEFAULTS.levels;
  const stepUs = (opts.stepMs ?? DEFAULTS.stepMs) * 1000;
  const rng = new Prng(opts.seed ?? DEFAULTS.seed);
  const startUs = opts.startUs ?? Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const endUs = opts.durationMs === undefined ? Number.POSITIVE_INFINITY : startUs + opts.durationMs * 1000;
  const base = { exchange: BINANCE_FUTURES_ID, symbol };

  let fair = Math.round((opts.midPrice ?? DEFAULTS.midPrice) / tick);
  // Level sizes in lots, by tick index.
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  const randomLots = (): number => rng.int(Math.round(0.05 / step), Math.round(4 / step));
  const shape = (): void => {
    for (let i = 0; i < levels; i++) {
      if (!bids.has(fair - i)) bids.set(fair - i, randomLots());
      if (!asks.has(fair + 1 + i)) asks.set(fair + 1 + i, randomLots());
    }
    for (const t of [...bids.keys()]) if (t > fair || t <= fair - levels) bids.delete(t);
    for (const t of [...asks.keys()]) if (t <= fair || t > fair + levels) asks.delete(t);
  };
  const levelsOf = (m: Map<number, number>, desc: boolean): Level[] =>
    [...m.entries()].sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0])).map(([t, l]) => [px(t), qty(l)]);

  let seq = 1;
  let tradeId = 1;
  shape();
  yield {
    ...base,
    type: 'depth',
    exchTs: startUs,
    localTs: startUs + FEED_LATENCY_US,
    seq,
    prevSeq: 0,
    isSnapshot: true,
    bids: levelsOf(bids, true),
    asks: levelsOf(asks, false),
  };

  let nextMarkUs = startUs;
  for (let t = startUs + stepUs; t < endUs; t += stepUs) {
    const before = { bids: new Map(bids), asks: new Map(asks) };
    // Trades first, inside the step: each takes part of the touch.
    const nTrades = rng.int(0, 3);
    for (let k = 0; k < nTrades; k++) {
      const buy = rng.next() < 0.5;
      const book = buy ? asks : bids;
      const touch = buy ? fair + 1 : fair;
      const have = book.get(touch) ?? 0;
      if (have <= 0) continue;
      const lots = Math.min(have, rng.int(1, Math.round(0.5 / step)));
      book.set(touch, have - lots);
      const ts = t - stepUs + Math.floor(((k + 1) * stepUs) / (nTrades + 2));
      yield {
        ...base,
        type: 'trade',
        exchTs: ts,
        localTs: ts + FEED_LATENCY_US,
        tradeId: tradeId++,
        price: px(touch),
        qty: qty(lots),
        side: buy ? 'buy' : 'sell',
      };
    }
    // A drained touch moves the fair price away from it; otherwise a small random walk.
    if ((asks.get(fair + 1) ?? 0) === 0) fair += 1;
    else if ((bids.get(fair) ?? 0) === 0) fair -= 1;
    else if (rng.next() < 0.2) fair += rng.next() < 0.5 ? 1 : -1;
    // Some levels refresh their size.
    for (let k = 0; k < 3; k++) {
      const side = rng.next() < 0.5 ? bids : asks;
      const i = rng.int(0, levels - 1);
      side.set(side === bids ? fair - i : fair + 1 + i, randomLots());
    }
    shape();
    const diff = (old: Map<number, number>, now: Map<number, number>, desc: boolean): Level[] => {
      const out = new Map<number, number>();
      for (const [k, v] of now) if (old.get(k) !== v) out.set(k, v);
      for (const k of old.keys()) if (!now.has(k)) out.set(k, 0);
      return levelsOf(out, desc);
    };
    const b = diff(before.bids, bids, true);
    const a = diff(before.asks, asks, false);
    if (b.length > 0 || a.length > 0) {
      seq++;
      yield {
        ...base,
        type: 'depth',
        exchTs: t,
        localTs: t + FEED_LATENCY_US,
        seq,
        prevSeq: seq - 1,
        isSnapshot: false,
        bids: b,
        asks: a,
      };
    }
    yield {
      ...base,
      type: 'bookTicker',
      exchTs: t,
      localTs: t + FEED_LATENCY_US,
      seq,
      bidPrice: px(fair),
      bidQty: qty(bids.get(fair) ?? 0),
      askPrice: px(fair + 1),
      askQty: qty(asks.get(fair + 1) ?? 0),
    };
    if (t >= nextMarkUs) {
      nextMarkUs += 1_000_000;
      const mark = Number(((fair + 0.5) * tick).toFixed(pd + 1));
      yield {
        ...base,
        type: 'markPrice',
        exchTs: t,
        localTs: t + FEED_LATENCY_US,
        markPrice: mark,
        indexPrice: mark,
        fundingRate: 0.0001,
        nextFundingTs: (Math.floor(t / EIGHT_HOURS_US) + 1) * EIGHT_HOURS_US,
      };
      yield {
        ...base,
        type: 'openInterest',
        exchTs: t,
        localTs: t + FEED_LATENCY_US,
        openInterest: 80_000 + rng.int(0, 2000),
      };
    }
  }
}
