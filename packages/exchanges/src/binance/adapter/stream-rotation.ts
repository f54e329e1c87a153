import type { BookTicker, MarkPrice, Trade } from '@botplatform/sdk';
import type { BinanceMarketEvent } from '../binance-message.js';
import type { BinanceDepthDiff } from '../messages/depth-update.js';

/** Where the handover sends what one connection would have delivered. */
export interface HandoverSink {
  /** The next diff of a symbol's chain (into the depth sync, which checks `pu` as always). */
  depth(diff: BinanceDepthDiff): void;
  /** A trade, book ticker or mark price, each exactly once. */
  event(e: Trade | BookTicker | MarkPrice): void;
}

/** The last key delivered on one stream of one symbol, and the first the new connection showed. */
class KeyCursor {
  last = Number.NEGATIVE_INFINITY;
  /** NaN until the new connection shows one: every comparison with NaN is false. */
  nextFirst = Number.NaN;
  /**
   * Drop repeats (keys not above `last`): set by a rotation, cleared by the first newer key
   * after it. Outside that window nothing is dropped, so a feed whose keys repeat (two mark
   * prices in one millisecond, a replayed market) loses nothing.
   */
  guard = false;
}

class SymbolCursor {
  /** aggTrade by aggregate trade id `a`, bookTicker by update id `u`, mark price by event time `E`. */
  readonly trade = new KeyCursor();
  readonly ticker = new KeyCursor();
  readonly mark = new KeyCursor();
  /** `u` of the last diff handed to the depth sync; NaN after a reset (a new chain starts). */
  lastU = Number.NaN;
  /** As KeyCursor.guard, for depth diffs (the depth sync judges everything else). */
  depthGuard = false;
  nextFirstU = Number.NaN;
  /** A diff of this symbol arrived, on either connection, during the rotation. */
  depthSeen = false;
  /** The new connection gave a diff whose `pu` is the `u` of the last diff taken from the old one. */
  depthProven = false;
}

type Phase =
  /** One connection: everything passes but repeats of the tail of a rotation's overlap. */
  | 'single'
  /** Two connections, the old one the source; the new one's frames wait in `ahead`. */
  | 'overlap'
  /** Two connections, the new one the source; the old one's frames are dropped. */
  | 'switched';

/** New-connection frames held before the switch; far more than a few ms of overlap needs. */
const DEFAULT_MAX_AHEAD = 20_000;

/**
 * Lossless handover between the old and the new connection of one Binance market-stream
 * route while both are open (a planned rotation), fed parsed frames tagged with the
 * connection they came on. The result is the stream one connection would have delivered:
 * no message twice, none missing.
 *
 * Until the switch the old connection is the source and the new one's frames are held. The
 * switch comes when the old connection delivers a message the new one also carries: one at or
 * past the first key the new one showed on that stream, or one the new one repeats. That
 * message was published after the new subscription took effect, so — each connection being
 * one ordered TCP stream, served in the server's publish order — everything the old one sent
 * before it has arrived, and everything it would send after it, the new one sends too. From
 * then on the new connection is the source: held and later frames go out if newer than what
 * went out (aggTrade id `a`, bookTicker `u`, mark price `E`), the rest are repeats.
 *
 * Depth needs more than that, because a diff only counts when it continues the chain: after
 * the switch a symbol's depth is proven once the new connection gives a diff with `pu` equal to
 * the `u` of the last diff taken from the old one (USD-M update ids are not consecutive; only
 * `pu` proves continuity); diffs with u ≤ that are repeats. A first new diff that neither
 * repeats nor continues breaks the rotation (`failure`), and the owner falls back to a plain
 * reconnect. `ready` says when the old connection can close: switched, and every symbol whose
 * depth moved during the rotation proven (a quiet symbol's next diff is checked by the sync).
 *
 * Hot path: outside a rotation a frame costs a Map lookup by symbol and a number compare and
 * store; keys are numbers, no strings are built and nothing is allocated per frame.
 */
export class StreamHandover {
  private readonly cursors = new Map<string, SymbolCursor>();
  private readonly depthCursors: SymbolCursor[] = [];
  private readonly ahead: BinanceMarketEvent[] = [];
  private phase: Phase = 'single';
  private broken: string | undefined;

  constructor(
    symbols: readonly string[],
    /** Whether this route carries the symbols' depth. */
    carriesDepth: boolean,
    private readonly sink: HandoverSink,
    private readonly maxAhead = DEFAULT_MAX_AHEAD,
  ) {
    for (const s of symbols) {
      const c = new SymbolCursor();
      this.cursors.set(s, c);
      if (carriesDepth) this.depthCursors.push(c);
    }
  }

  /** True between begin() and finish(). */
  get rotating(): boolean {
    return this.phase !== 'single';
  }

  /** The old connection can close: the new one has proven it continues every stream. */
  get ready(): boolean {
    if (this.phase !== 'switched' || this.broken !== undefined) return false;
    for (const c of this.depthCursors) if (c.depthSeen && !c.depthProven) return false;
    return true;
  }

  /** Why the new connection cannot take over (the owner falls back); undefined while it still can. */
  get failure(): string | undefined {
    return this.broken;
  }

  /** A second connection is opening: from now on frames come tagged old or new. */
  begin(): void {
    this.phase = 'overlap';
    this.broken = undefined;
    this.ahead.length = 0;
    for (const c of this.cursors.values()) {
      c.trade.guard = c.ticker.guard = c.mark.guard = c.depthGuard = true;
      c.trade.nextFirst = Number.NaN;
      c.ticker.nextFirst = Number.NaN;
      c.mark.nextFirst = Number.NaN;
      c.nextFirstU = Number.NaN;
      c.depthSeen = false;
      c.depthProven = false;
    }
  }

  /** Back to one connection (after the handover, the new one; after a fallback, the old one). */
  finish(): void {
    this.phase = 'single';
    this.ahead.length = 0;
  }

  /**
   * The route reconnected: a new session, whose keys need not follow the last ones delivered
   * (a restarted server, a testnet reset), and depth chains that start over from a snapshot.
   */
  reset(): void {
    for (const c of this.cursors.values()) {
      c.trade.guard = c.ticker.guard = c.mark.guard = c.depthGuard = false;
      c.trade.last = Number.NEGATIVE_INFINITY;
      c.ticker.last = Number.NEGATIVE_INFINITY;
      c.mark.last = Number.NEGATIVE_INFINITY;
      c.lastU = Number.NaN;
    }
  }

  /** A frame from the old connection (`fromNext` false) or the new one. Symbols not on the route are ignored. */
  onEvent(ev: BinanceMarketEvent, fromNext: boolean): void {
    const c = this.cursors.get(ev.symbol);
    if (c === undefined) return;
    switch (this.phase) {
      case 'single':
        // A stray frame of a new connection that lost its rotation is not part of the stream.
        if (!fromNext) this.pass(c, ev);
        return;
      case 'overlap':
        if (fromNext) this.holdFromNext(c, ev);
        else this.fromOld(c, ev);
        return;
      case 'switched':
        if (fromNext) this.fromNext(c, ev, ev.localTs);
        else if (ev.type === 'depth') c.depthSeen = true;
    }
  }

  /**
   * One connection. After a handover the new connection may still be behind the old one on
   * some stream and repeat what went out: until a stream shows a key above the last one
   * delivered, a key not above it is such a repeat (reset() clears them when a new session
   * may start over). Past that, and on a connection that never rotated, everything passes.
   */
  private pass(c: SymbolCursor, ev: BinanceMarketEvent): void {
    if (ev.type === 'depth') {
      if (c.depthGuard) {
        if (ev.seq <= c.lastU) return;
        c.depthGuard = false;
      }
      c.lastU = ev.seq;
      this.sink.depth(ev);
      return;
    }
    const k = cursorOf(c, ev);
    const key = keyOf(ev);
    if (k.guard) {
      if (key <= k.last) return;
      k.guard = false;
    }
    k.last = key;
    this.sink.event(ev);
  }

  private fromOld(c: SymbolCursor, ev: BinanceMarketEvent): void {
    if (ev.type === 'depth') {
      c.depthSeen = true;
      c.lastU = ev.seq;
      this.sink.depth(ev);
      if (ev.seq >= c.nextFirstU) this.switchOver(ev.localTs);
      return;
    }
    const k = cursorOf(c, ev);
    const key = keyOf(ev);
    if (key <= k.last) return;
    k.last = key;
    this.sink.event(ev);
    if (key >= k.nextFirst) this.switchOver(ev.localTs);
  }

  private holdFromNext(c: SymbolCursor, ev: BinanceMarketEvent): void {
    let repeat: boolean;
    if (ev.type === 'depth') {
      c.depthSeen = true;
      if (Number.isNaN(c.nextFirstU)) c.nextFirstU = ev.seq;
      repeat = ev.seq <= c.lastU;
    } else {
      const k = cursorOf(c, ev);
      const key = keyOf(ev);
      if (Number.isNaN(k.nextFirst)) k.nextFirst = key;
      repeat = key <= k.last;
    }
    if (repeat) {
      // The old connection already delivered this one: the overlap is there.
      this.switchOver(ev.localTs);
      return;
    }
    if (this.ahead.length >= this.maxAhead) {
      this.broken = `the new connection ran ${this.maxAhead} messages ahead without overlapping the old one`;
      return;
    }
    this.ahead.push(ev);
  }

  /** The new connection becomes the source; what it held goes out first, no earlier than `notBefore`. */
  private switchOver(notBefore: number): void {
    this.phase = 'switched';
    for (let i = 0; i < this.ahead.length && this.broken === undefined; i++) {
      const ev = this.ahead[i]!;
      this.fromNext(this.cursors.get(ev.symbol)!, ev, notBefore);
    }
    this.ahead.length = 0;
  }

  private fromNext(c: SymbolCursor, ev: BinanceMarketEvent, notBefore: number): void {
    if (this.broken !== undefined) return;
    if (ev.type === 'depth') {
      c.depthSeen = true;
      if (ev.seq <= c.lastU) return;
      if (!c.depthProven) {
        // NaN: nothing taken from the old connection since the last reset, nothing to continue.
        if (!Number.isNaN(c.lastU) && ev.prevSeq !== c.lastU) {
          this.broken =
            `${ev.symbol} depth on the new connection does not continue the old one ` +
            `(pu ${ev.prevSeq}, last u ${c.lastU})`;
          return;
        }
        c.depthProven = true;
      }
      c.lastU = ev.seq;
      // Held frames go out after what the old connection delivered meanwhile: local time must not go back.
      this.sink.depth(ev.localTs < notBefore ? { ...ev, localTs: notBefore } : ev);
      return;
    }
    const k = cursorOf(c, ev);
    const key = keyOf(ev);
    if (key <= k.last) return;
    k.last = key;
    this.sink.event(ev.localTs < notBefore ? { ...ev, localTs: notBefore } : ev);
  }
}

/** The natural key of a non-depth frame (aggTrade `a`, bookTicker `u`, mark price `E`), or a diff's `u`. */
function keyOf(ev: BinanceMarketEvent): number {
  switch (ev.type) {
    case 'trade':
      return ev.tradeId;
    case 'bookTicker':
      return ev.seq;
    case 'markPrice':
      return ev.exchTs;
    case 'depth':
      return ev.seq;
  }
}

function cursorOf(c: SymbolCursor, ev: Trade | BookTicker | MarkPrice): KeyCursor {
  return ev.type === 'trade' ? c.trade : ev.type === 'bookTicker' ? c.ticker : c.mark;
}
