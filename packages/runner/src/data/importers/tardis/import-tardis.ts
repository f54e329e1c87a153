import { UserError } from '../../../cli/user-error.js';
import { EventKind } from '../../schema.js';
import type { TickStoreWriter } from '../../tick-store-writer.js';
import { CsvRow } from '../csv-row.js';
import { assertInputFile, type ImportOnceResult, importOnce } from '../import-once.js';
import type { ImportSink } from '../import-sink.js';
import { inputLineBatches } from '../input-lines.js';
import type { InstrumentResolver } from '../instrument-resolver.js';
import { TARDIS_KIND_NAMES, type TardisKind, tardisColumnCount, tardisKindOf } from './tardis-kind.js';
import { TardisSymbol } from './tardis-symbol.js';

export interface TardisOptions {
  readonly resolver: InstrumentResolver;
  onProgress?(lines: number): void;
}

/**
 * Imports one tardis.dev CSV dataset (`.csv.gz` or `.csv`) into an open tick store, once (see
 * importOnce). The dataset is told by its header; exchange ids (`binance-futures`, ...) and
 * symbols are taken from the rows as they are. `exch_ts` = `timestamp`, `local_ts` =
 * `local_timestamp` (tardis' receive time, so feed latency is real), raised to `timestamp` on
 * the rare row whose clocks disagree so that no event reaches the strategy before it happened.
 *
 * - `trades` → `trades` (side = aggressor; rows with side `unknown` are skipped).
 * - `incremental_book_L2` → `depth`. Rows of one message are consecutive and share
 *   `timestamp` and `local_timestamp`; a run of `is_snapshot=true` rows is one snapshot that
 *   replaces the book. tardis gives no update ids, so each message gets the next number of a
 *   per-symbol counter as seq, with prevSeq = seq − 1 (see TardisSymbol). Diffs before a
 *   symbol's first snapshot are skipped, as tardis advises.
 * - `book_snapshot_25` (any depth N) → one depth snapshot per row: the book is replaced by those
 *   N levels a side every row, so levels deeper than N are never known.
 * - `quotes` / `book_ticker` → `book_ticker` (seq 0; rows with an empty side are skipped).
 * - `derivative_ticker` → `mark_price` (mark_price, index_price, funding_rate,
 *   funding_timestamp → next_funding_ts) when all four are present and one of them changed,
 *   and `open_interest` when present and changed (tardis repeats unchanged fields on every
 *   ticker update).
 */
export async function importTardisFile(
  file: string,
  writer: TickStoreWriter,
  opts: TardisOptions,
): Promise<ImportOnceResult> {
  assertInputFile(file);
  return importOnce(
    file,
    writer,
    (sink) => new TardisReader(file, sink, opts.resolver).read(),
    opts.onProgress ? { onProgress: opts.onProgress } : {},
  );
}

class TardisReader {
  private readonly row: CsvRow;
  private kind: TardisKind = { name: 'trades' };
  private columns = 0;
  private readonly symbols = new Map<string, TardisSymbol>();
  /** The symbol of the previous row (files usually hold one symbol: no map lookup per row). */
  private last: TardisSymbol | undefined;
  /** The symbol whose depth message is being assembled. */
  private open: TardisSymbol | undefined;
  private clamped = 0;
  private unknownSide = 0;
  private emptyQuotes = 0;
  private incompleteMarks = 0;

  constructor(
    private readonly file: string,
    private readonly sink: ImportSink,
    private readonly resolver: InstrumentResolver,
  ) {
    this.row = new CsvRow(file);
  }

  async read(): Promise<void> {
    const { row, sink } = this;
    let lineNo = 0;
    for await (const batch of inputLineBatches(this.file)) {
      for (const text of batch) {
        lineNo++;
        sink.countLine();
        if (lineNo === 1) {
          this.readHeader(text);
          continue;
        }
        if (text === '') continue;
        row.set(text, lineNo);
        if (row.fields.length !== this.columns) row.expectFields(this.columns);
        let st = this.last;
        const exchange = row.fields[0]!;
        const symbol = row.fields[1]!;
        if (st === undefined || st.symbol !== symbol || st.exchange !== exchange) {
          st = this.symbols.get(`${exchange} ${symbol}`) ?? (await this.addSymbol(exchange, symbol));
          this.last = st;
        }
        const exchTs = row.int(2, 'timestamp');
        let localTs = row.int(3, 'local_timestamp');
        if (localTs < exchTs) {
          localTs = exchTs;
          this.clamped++;
        }
        this.dispatch(st, exchTs, localTs);
      }
    }
    if (lineNo === 0) throw new UserError(`${this.file} is empty; pass a tardis.dev CSV dataset`);
    if (this.open) this.flushDepth(this.open);
    this.writeNotes();
  }

  private readHeader(text: string): void {
    const kind = tardisKindOf(text.trim());
    if (!kind) {
      throw new UserError(
        `${this.file}:1: not a tardis.dev CSV header ("${text.slice(0, 80)}"); botp reads ${TARDIS_KIND_NAMES.join(', ')}`,
      );
    }
    this.kind = kind;
    this.columns = tardisColumnCount(kind);
  }

  private async addSymbol(exchange: string, symbol: string): Promise<TardisSymbol> {
    if (exchange === '' || symbol === '') throw this.row.fail('empty exchange or symbol column');
    await this.resolver.resolve(this.sink, exchange, symbol, `${this.file}:${this.row.line}`);
    const st = new TardisSymbol(exchange, symbol, await this.lastDepthSeq(exchange, symbol));
    this.symbols.set(`${exchange} ${symbol}`, st);
    return st;
  }

  /** Highest depth seq of the symbol already in the store (0 if none), so numbering continues. */
  private async lastDepthSeq(exchange: string, symbol: string): Promise<number> {
    if (this.kind.name !== 'incremental_book_L2' && this.kind.name !== 'book_snapshot') return 0;
    const sym = this.sink.writer.symOf(exchange, symbol);
    // Rows this import buffered are not in `events` yet, but this symbol is new to this file.
    const [r] = await this.sink.writer.query(
      `SELECT CAST(coalesce(max(seq), 0) AS DOUBLE) FROM events WHERE kind = ${EventKind.Depth} AND sym = $1`,
      [sym ?? -1],
    );
    return Number(r?.[0] ?? 0);
  }

  private dispatch(st: TardisSymbol, exchTs: number, localTs: number): void {
    switch (this.kind.name) {
      case 'trades':
        this.trade(st, exchTs, localTs);
        break;
      case 'incremental_book_L2':
        this.bookLevel(st, exchTs, localTs);
        break;
      case 'book_snapshot':
        this.bookSnapshot(st, exchTs, localTs, this.kind.levels);
        break;
      case 'quotes':
        this.quote(st, exchTs, localTs);
        break;
      case 'derivative_ticker':
        this.derivativeTicker(st, exchTs, localTs);
        break;
    }
  }

  private trade(st: TardisSymbol, exchTs: number, localTs: number): void {
    const { row } = this;
    const side = row.text(5);
    if (side !== 'buy' && side !== 'sell') {
      if (side === 'unknown') {
        this.unknownSide++;
        return;
      }
      throw row.fail(`column side: "${side}" is not buy, sell or unknown`);
    }
    const idText = row.text(4);
    let tradeId = idText === '' ? Number.NaN : Number(idText);
    if (!Number.isSafeInteger(tradeId)) {
      tradeId = st.nextTradeId++;
      st.syntheticTradeIds++;
    }
    this.sink.append({
      type: 'trade',
      exchange: st.exchange,
      symbol: st.symbol,
      exchTs,
      localTs,
      tradeId,
      price: row.positive(6, 'price'),
      qty: row.positive(7, 'amount'),
      side,
    });
  }

  /** One incremental_book_L2 row: a level of the message being assembled (see importTardisFile). */
  private bookLevel(st: TardisSymbol, exchTs: number, localTs: number): void {
    const { row } = this;
    const isSnapshot = row.bool(4, 'is_snapshot');
    const side = row.text(5);
    if (side !== 'bid' && side !== 'ask') throw row.fail(`column side: "${side}" is not bid or ask`);
    const price = row.positive(6, 'price');
    const amount = row.nonNegative(7, 'amount');
    const open = this.open;
    if (
      open !== undefined &&
      (open !== st ||
        open.msgSnapshot !== isSnapshot ||
        (!isSnapshot && (open.msgLocalTs !== localTs || open.msgExchTs !== exchTs)))
    ) {
      this.flushDepth(open);
    }
    if (!isSnapshot && !st.synced) {
      st.diffsBeforeSnapshot++;
      return;
    }
    if (this.open === undefined) {
      st.msgSnapshot = isSnapshot;
      this.open = st;
    }
    // A message's time is that of its last row: the book is whole only once all rows are in.
    st.msgExchTs = exchTs;
    st.msgLocalTs = localTs;
    (side === 'bid' ? st.bids : st.asks).push([price, amount]);
  }

  private flushDepth(st: TardisSymbol): void {
    const seq = st.seq + 1;
    this.sink.append({
      type: 'depth',
      exchange: st.exchange,
      symbol: st.symbol,
      exchTs: st.msgExchTs,
      localTs: st.msgLocalTs,
      seq,
      prevSeq: st.seq,
      isSnapshot: st.msgSnapshot,
      bids: st.bids,
      asks: st.asks,
    });
    st.seq = seq;
    if (st.msgSnapshot) st.synced = true;
    st.bids = [];
    st.asks = [];
    this.open = undefined;
  }

  /** One book_snapshot_N row: the top N levels a side, a full snapshot of the (truncated) book. */
  private bookSnapshot(st: TardisSymbol, exchTs: number, localTs: number, levels: number): void {
    const { row } = this;
    const bids: [number, number][] = [];
    const asks: [number, number][] = [];
    for (let i = 0; i < levels; i++) {
      const c = 4 + 4 * i;
      // Fewer levels than N leave the rest of the row empty.
      if (row.text(c) !== '')
        asks.push([row.positive(c, `asks[${i}].price`), row.nonNegative(c + 1, `asks[${i}].amount`)]);
      if (row.text(c + 2) !== '') {
        bids.push([row.positive(c + 2, `bids[${i}].price`), row.nonNegative(c + 3, `bids[${i}].amount`)]);
      }
    }
    const seq = st.seq + 1;
    this.sink.append({
      type: 'depth',
      exchange: st.exchange,
      symbol: st.symbol,
      exchTs,
      localTs,
      seq,
      prevSeq: st.seq,
      isSnapshot: true,
      bids,
      asks,
    });
    st.seq = seq;
    st.synced = true;
  }

  private quote(st: TardisSymbol, exchTs: number, localTs: number): void {
    const { row } = this;
    // An empty side (no bids or no asks at that moment) leaves its columns empty.
    if (row.text(4) === '' || row.text(5) === '' || row.text(6) === '' || row.text(7) === '') {
      this.emptyQuotes++;
      return;
    }
    this.sink.append({
      type: 'bookTicker',
      exchange: st.exchange,
      symbol: st.symbol,
      exchTs,
      localTs,
      seq: 0,
      askQty: row.nonNegative(4, 'ask_amount'),
      askPrice: row.positive(5, 'ask_price'),
      bidPrice: row.positive(6, 'bid_price'),
      bidQty: row.nonNegative(7, 'bid_amount'),
    });
  }

  private derivativeTicker(st: TardisSymbol, exchTs: number, localTs: number): void {
    const { row } = this;
    const fundingTs = row.optNum(4, 'funding_timestamp');
    const fundingRate = row.optNum(5, 'funding_rate');
    const openInterest = row.optNum(7, 'open_interest');
    const indexPrice = row.optNum(9, 'index_price');
    const markPrice = row.optNum(10, 'mark_price');
    if (
      Number.isNaN(markPrice) ||
      Number.isNaN(indexPrice) ||
      Number.isNaN(fundingRate) ||
      Number.isNaN(fundingTs)
    ) {
      this.incompleteMarks++;
    } else if (
      markPrice !== st.markPrice ||
      indexPrice !== st.indexPrice ||
      fundingRate !== st.fundingRate ||
      fundingTs !== st.nextFundingTs
    ) {
      if (markPrice <= 0 || indexPrice <= 0)
        throw row.fail('mark_price and index_price must be greater than 0');
      if (!Number.isSafeInteger(fundingTs) || fundingTs < 0) {
        throw row.fail(`column funding_timestamp: ${fundingTs} is not a timestamp in µs`);
      }
      this.sink.append({
        type: 'markPrice',
        exchange: st.exchange,
        symbol: st.symbol,
        exchTs,
        localTs,
        markPrice,
        indexPrice,
        fundingRate,
        nextFundingTs: fundingTs,
      });
      st.markPrice = markPrice;
      st.indexPrice = indexPrice;
      st.fundingRate = fundingRate;
      st.nextFundingTs = fundingTs;
    }
    if (!Number.isNaN(openInterest) && openInterest !== st.openInterest) {
      if (openInterest < 0) throw row.fail(`column open_interest: ${openInterest} must not be negative`);
      this.sink.append({
        type: 'openInterest',
        exchange: st.exchange,
        symbol: st.symbol,
        exchTs,
        localTs,
        openInterest,
      });
      st.openInterest = openInterest;
    }
  }

  private writeNotes(): void {
    const { sink } = this;
    for (const st of this.symbols.values()) {
      if (st.diffsBeforeSnapshot > 0) {
        sink.note(
          `${st.symbol}: ${st.diffsBeforeSnapshot} book rows before its first snapshot skipped (updates tardis buffered before the snapshot; they apply to no known book)`,
        );
      }
      if (st.syntheticTradeIds > 0) {
        sink.note(
          `${st.symbol}: ${st.syntheticTradeIds} trade ids are not integers; numbered 1, 2, ... in file order`,
        );
      }
    }
    if (this.clamped > 0) {
      sink.note(
        `${this.clamped} rows had local_timestamp before timestamp (clock skew); their local_ts was raised to the exchange time`,
      );
    }
    if (this.unknownSide > 0)
      sink.note(`${this.unknownSide} trades with side "unknown" skipped (no aggressor side)`);
    if (this.emptyQuotes > 0) sink.note(`${this.emptyQuotes} quotes with an empty side skipped`);
    if (this.incompleteMarks > 0) {
      sink.note(
        `${this.incompleteMarks} derivative_ticker rows lacked mark_price, index_price, funding_rate or funding_timestamp: no mark_price row for them`,
      );
    }
  }
}
