import type { Level } from '@botplatform/sdk';

/**
 * What the tardis importer tracks per (exchange, symbol) within one file: the synthesized depth
 * sequence, whether a book snapshot has been seen, the depth message being assembled, the last
 * mark/open-interest values written (to drop repeats), and counts for the user's notes.
 */
export class TardisSymbol {
  /**
   * seq of the last depth message written. tardis gives no update ids, so messages are numbered
   * consecutively per symbol (prevSeq = seq − 1), continuing from the store's highest seq for
   * the symbol; the replay's chain check then passes wherever the file has no hole.
   */
  seq: number;
  /** A snapshot has been written: diffs are meaningful from here on. */
  synced = false;

  // The depth message being assembled (rows of one message are consecutive in the file).
  msgSnapshot = false;
  msgExchTs = 0;
  msgLocalTs = 0;
  bids: Level[] = [];
  asks: Level[] = [];

  /** Last mark-price fields written, to skip rows where only other ticker fields changed. */
  markPrice = Number.NaN;
  indexPrice = Number.NaN;
  fundingRate = Number.NaN;
  nextFundingTs = Number.NaN;
  openInterest = Number.NaN;

  /** Next synthesized trade id, for exchanges whose trade ids are not integers. */
  nextTradeId = 1;

  // Counts reported in the notes.
  diffsBeforeSnapshot = 0;
  syntheticTradeIds = 0;

  constructor(
    readonly exchange: string,
    readonly symbol: string,
    lastSeq: number,
  ) {
    this.seq = lastSeq;
  }
}
