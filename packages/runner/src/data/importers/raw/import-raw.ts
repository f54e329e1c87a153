import {
  BINANCE_FUTURES_ID,
  type BinanceDepthDiff,
  BinanceDepthSync,
  BinanceParseError,
  type DepthSyncStep,
  parseBinancePayload,
  parseDepthSnapshot,
  parseOpenInterest,
} from '@botplatform/exchanges';
import type { MarketEvent, Micros } from '@botplatform/sdk';
import { UserError } from '../../../cli/user-error.js';
import { EventKind } from '../../schema.js';
import type { TickStoreWriter } from '../../tick-store-writer.js';
import { assertInputFile, type ImportOnceResult, importOnce } from '../import-once.js';
import type { ImportSink } from '../import-sink.js';
import { inputLineBatches } from '../input-lines.js';
import type { InstrumentResolver } from '../instrument-resolver.js';
import { splitRawLine } from './raw-line.js';

/** Exchanges whose raw WebSocket captures `botp import raw` can parse. */
export const RAW_EXCHANGES: readonly string[] = [BINANCE_FUTURES_ID];

export interface RawImportOptions {
  /** Whose wire format the capture is in (RAW_EXCHANGES); events are stored under this id. */
  readonly exchange: string;
  readonly resolver: InstrumentResolver;
  onProgress?(lines: number): void;
}

/**
 * Imports one raw capture of Binance USD-M market-stream messages into an open tick store,
 * once (see importOnce). Each line is `<receive time>[:] <message>`: the time this process got
 * the message — unix seconds with a fraction or ISO-8601, which becomes `local_ts` — then the
 * frame as received, combined-stream envelope or raw, parsed by the Binance adapter's own
 * parser. `exch_ts` is the message's matching-engine time (see parseBinanceMessage).
 *
 * - aggTrade / trade → `trades`; bookTicker → `book_ticker`; markPriceUpdate → `mark_price`.
 * - depthUpdate → `depth`, through the adapter's depth sync: diffs only count from a REST
 *   snapshot on, as Binance's local-book procedure says. A capture carries snapshots as lines
 *   `{"stream":"<symbol>@depthSnapshot","data":<GET /fapi/v1/depth body>}` (tardis.dev's raw
 *   format). Diffs a snapshot already holds are dropped; a break of the `pu` chain is stored
 *   in `gaps` and the diffs after it wait for the next snapshot. A file whose symbol has depth
 *   in the store already continues that chain if its first diff follows it (`pu` = last `u`).
 * - `{"stream":"<symbol>@openInterest","data":<GET /fapi/v1/openInterest body>}` → `open_interest`.
 * - Subscription acks, error frames and event types without a parser (kline, forceOrder, …)
 *   are skipped and counted in the import notes. A line of a known type that is malformed
 *   stops the import with `<file>:<line>` and nothing of the file is kept.
 * - `local_ts` before `exch_ts` (clock skew) is raised to `exch_ts`, so no event reaches the
 *   strategy before it happened.
 */
export async function importRawFile(
  file: string,
  writer: TickStoreWriter,
  opts: RawImportOptions,
): Promise<ImportOnceResult> {
  if (!RAW_EXCHANGES.includes(opts.exchange)) {
    throw new UserError(
      `--exchange ${opts.exchange}: raw captures can be read for ${RAW_EXCHANGES.join(', ')} only; pass --exchange ${BINANCE_FUTURES_ID}`,
    );
  }
  assertInputFile(file);
  return importOnce(
    file,
    writer,
    (sink) => new RawBinanceReader(file, sink, opts.exchange, opts.resolver).read(),
    opts.onProgress ? { onProgress: opts.onProgress } : {},
  );
}

/** What a line holds: a market event, or a REST depth snapshot (a DepthUpdate with isSnapshot). */
interface RawInput {
  readonly event: MarketEvent;
  readonly snapshot: boolean;
}

/** A symbol's depth chain within one file. */
interface RawSymbol {
  readonly symbol: string;
  readonly sync: BinanceDepthSync;
  /** The store's last depth message of this symbol before this file, if any. */
  readonly stored: { readonly seq: number; readonly localTs: Micros } | undefined;
  depthSeen: boolean;
  /** seq of the last depth message written (diffs without levels write no rows). */
  lastWrittenSeq: number;
  skippedEmpty: boolean;
  diffs: number;
  diffsWritten: number;
  snapshots: number;
  staleSnapshots: number;
  gaps: number;
}

const SNAPSHOT_STREAM = /^([a-z0-9_]+)@depthSnapshot$/i;
const OPEN_INTEREST_STREAM = /^([a-z0-9_]+)@openInterest$/i;

class RawBinanceReader {
  private readonly symbols = new Map<string, RawSymbol>();
  private lineNo = 0;
  private clamped = 0;
  private errorFrames = 0;
  private firstErrorFrame = '';
  private readonly unknown = new Map<string, number>();
  private noIndexPrice = 0;

  constructor(
    private readonly file: string,
    private readonly sink: ImportSink,
    private readonly exchange: string,
    private readonly resolver: InstrumentResolver,
  ) {}

  async read(): Promise<void> {
    for await (const batch of inputLineBatches(this.file)) {
      for (const text of batch) {
        this.lineNo++;
        this.sink.countLine();
        if (text.trim() === '') continue;
        const input = this.parseLine(text);
        if (input === undefined) continue;
        const st = this.symbols.get(input.event.symbol) ?? (await this.addSymbol(input.event.symbol));
        this.take(st, input);
      }
    }
    if (this.lineNo === 0) {
      throw new UserError(`${this.file} is empty; pass a capture of one "<receive time> <message>" per line`);
    }
    this.writeNotes();
  }

  /** The line's market event (or REST snapshot), or undefined for a frame that is skipped. */
  private parseLine(text: string): RawInput | undefined {
    let json: unknown;
    let localTs: Micros;
    try {
      const line = splitRawLine(text);
      localTs = line.localTs;
      json = JSON.parse(line.message);
    } catch (err) {
      throw this.fail(err instanceof SyntaxError ? `not JSON (${err.message})` : (err as Error).message);
    }
    try {
      const rest = this.restEnvelope(json, localTs);
      if (rest) return rest;
      const msg = parseBinancePayload(json, localTs);
      switch (msg.kind) {
        case 'market':
          return { event: msg.event, snapshot: false };
        case 'ack':
          return undefined;
        case 'error':
          if (this.errorFrames++ === 0) this.firstErrorFrame = `code ${msg.code} "${msg.msg}"`;
          return undefined;
        case 'unknown': {
          const key = msg.eventType ?? 'unrecognized';
          this.unknown.set(key, (this.unknown.get(key) ?? 0) + 1);
          return undefined;
        }
      }
    } catch (err) {
      if (err instanceof BinanceParseError) throw this.fail(err.message);
      throw err;
    }
  }

  /** tardis.dev's lines for REST responses: `<symbol>@depthSnapshot` and `<symbol>@openInterest`. */
  private restEnvelope(json: unknown, localTs: Micros): RawInput | undefined {
    if (typeof json !== 'object' || json === null || !('stream' in json) || !('data' in json))
      return undefined;
    const stream = json.stream;
    if (typeof stream !== 'string') return undefined;
    const snap = SNAPSHOT_STREAM.exec(stream);
    if (snap)
      return { event: parseDepthSnapshot(json.data, snap[1]!.toUpperCase(), localTs), snapshot: true };
    if (OPEN_INTEREST_STREAM.test(stream))
      return { event: parseOpenInterest(json.data, localTs), snapshot: false };
    return undefined;
  }

  private async addSymbol(symbol: string): Promise<RawSymbol> {
    await this.resolver.resolve(this.sink, this.exchange, symbol, `${this.file}:${this.lineNo}`);
    const st: RawSymbol = {
      symbol,
      sync: new BinanceDepthSync(this.exchange, symbol),
      stored: await this.storedDepthEnd(symbol),
      depthSeen: false,
      lastWrittenSeq: Number.NaN,
      skippedEmpty: false,
      diffs: 0,
      diffsWritten: 0,
      snapshots: 0,
      staleSnapshots: 0,
      gaps: 0,
    };
    this.symbols.set(symbol, st);
    return st;
  }

  /** The last depth message of `symbol` already in the store (earlier files), if any. */
  private async storedDepthEnd(symbol: string): Promise<RawSymbol['stored']> {
    const sym = this.sink.writer.symOf(this.exchange, symbol);
    if (sym === undefined) return undefined;
    const [r] = await this.sink.writer.query(
      `SELECT CAST(seq AS DOUBLE), CAST(local_ts AS DOUBLE) FROM events
       WHERE kind = ${EventKind.Depth} AND sym = $1 ORDER BY local_ts DESC, rowid DESC LIMIT 1`,
      [sym],
    );
    return r ? { seq: Number(r[0]), localTs: Number(r[1]) } : undefined;
  }

  private take(st: RawSymbol, input: RawInput): void {
    let ev = input.event;
    if (ev.localTs < ev.exchTs) {
      ev = { ...ev, localTs: ev.exchTs };
      this.clamped++;
    }
    if (ev.type !== 'depth') {
      if (ev.type === 'markPrice' && Number.isNaN(ev.indexPrice)) this.noIndexPrice++;
      this.sink.append(ev);
      return;
    }
    if (input.snapshot) {
      st.depthSeen = true;
      st.snapshots++;
      this.write(st, st.sync.onSnapshot(ev));
      return;
    }
    const diff = ev as BinanceDepthDiff;
    if (!st.depthSeen) {
      st.depthSeen = true;
      // Continue the chain of an earlier file when this one picks up where it ended.
      if (st.stored && st.stored.localTs <= diff.localTs) {
        st.sync.resume(st.stored.seq, st.stored.localTs);
        st.lastWrittenSeq = st.stored.seq;
      }
    }
    st.diffs++;
    this.write(st, st.sync.onDiff(diff));
  }

  private write(st: RawSymbol, step: DepthSyncStep): void {
    for (let e of step.events) {
      if (e.bids.length + e.asks.length === 0) {
        // A message without levels writes no rows; the next one then follows the last written.
        if (!e.isSnapshot) st.diffsWritten++;
        st.skippedEmpty = true;
        continue;
      }
      if (st.skippedEmpty && !e.isSnapshot) e = { ...e, prevSeq: st.lastWrittenSeq };
      st.skippedEmpty = false;
      st.lastWrittenSeq = e.seq;
      if (!e.isSnapshot) st.diffsWritten++;
      this.sink.append(e);
    }
    const gap = step.gap;
    if (!gap) return;
    if (gap.reason === 'stale-snapshot') {
      st.staleSnapshots++;
      return;
    }
    st.gaps++;
    this.sink.writer.appendGap({
      exchange: gap.exchange,
      symbol: gap.symbol,
      stream: gap.stream,
      fromTs: gap.fromTs,
      toTs: gap.toTs,
      reason: `${gap.reason}: update ids ${gap.fromUpdateId} → ${gap.toUpdateId}`,
    });
  }

  private writeNotes(): void {
    const { sink } = this;
    for (const st of this.symbols.values()) {
      if (st.diffs > 0 && st.snapshots === 0 && st.stored === undefined) {
        sink.note(
          `${st.symbol}: none of its ${st.diffs} depth diffs imported: the capture has no depth snapshot to start the book from; record GET /fapi/v1/depth as a line {"stream":"${st.symbol.toLowerCase()}@depthSnapshot","data":<response body>} after subscribing`,
        );
        continue;
      }
      const notWritten = st.diffs - st.diffsWritten;
      if (notWritten > 0) {
        sink.note(
          `${st.symbol}: ${notWritten} of ${st.diffs} depth diffs not imported (before the first usable snapshot, already in a snapshot, or after a gap no later snapshot repaired)`,
        );
      }
      if (st.gaps > 0) sink.note(`${st.symbol}: ${st.gaps} depth gaps (pu chain breaks) recorded in gaps`);
      if (st.staleSnapshots > 0) {
        sink.note(
          `${st.symbol}: ${st.staleSnapshots} depth snapshots older than the diffs around them ignored`,
        );
      }
    }
    if (this.clamped > 0)
      sink.note(`${this.clamped} events received before their exchange time: local_ts raised to exch_ts`);
    if (this.noIndexPrice > 0)
      sink.note(`${this.noIndexPrice} mark prices without index price (stored as NaN)`);
    if (this.unknown.size > 0) {
      const kinds = [...this.unknown].map(([k, n]) => `${n} ${k}`).join(', ');
      sink.note(`skipped messages botp does not import: ${kinds}`);
    }
    if (this.errorFrames > 0)
      sink.note(`${this.errorFrames} error frames skipped (first: ${this.firstErrorFrame})`);
  }

  private fail(reason: string): UserError {
    return new UserError(`${this.file}:${this.lineNo}: ${reason}; fix or remove the line`);
  }
}
