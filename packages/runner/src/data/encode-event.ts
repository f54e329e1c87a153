import type { Level, MarketEvent } from '@botplatform/sdk';
import type { EventRowBuffer } from './event-row-buffer.js';
import { DepthFlag, EventKind } from './schema.js';

/**
 * Appends one market event to `rows` as `events` rows (see schema.ts for the column use per
 * kind). A depth message becomes one row per level, bids first, with the first/last flags that
 * let the reader find message boundaries; a depth message without levels writes nothing.
 */
export function encodeEvent(rows: EventRowBuffer, ev: MarketEvent, sym: number): void {
  switch (ev.type) {
    case 'trade':
      rows.push(
        EventKind.Trade,
        sym,
        ev.exchTs,
        ev.localTs,
        ev.tradeId,
        0,
        0,
        ev.side === 'buy' ? 1 : -1,
        ev.price,
        ev.qty,
        0,
        0,
      );
      return;
    case 'depth': {
      const total = ev.bids.length + ev.asks.length;
      if (total === 0) return;
      const base = ev.isSnapshot ? DepthFlag.Snapshot : 0;
      let row = 0;
      const level = (lv: Level, side: number): void => {
        let flags = base;
        if (row === 0) flags |= DepthFlag.First;
        if (row === total - 1) flags |= DepthFlag.Last;
        rows.push(
          EventKind.Depth,
          sym,
          ev.exchTs,
          ev.localTs,
          ev.seq,
          ev.prevSeq,
          flags,
          side,
          lv[0],
          lv[1],
          0,
          0,
        );
        row++;
      };
      for (const lv of ev.bids) level(lv, 1);
      for (const lv of ev.asks) level(lv, -1);
      return;
    }
    case 'bookTicker':
      rows.push(
        EventKind.BookTicker,
        sym,
        ev.exchTs,
        ev.localTs,
        ev.seq,
        0,
        0,
        0,
        ev.bidPrice,
        ev.bidQty,
        ev.askPrice,
        ev.askQty,
      );
      return;
    case 'markPrice':
      rows.push(
        EventKind.MarkPrice,
        sym,
        ev.exchTs,
        ev.localTs,
        0,
        0,
        0,
        0,
        ev.markPrice,
        ev.indexPrice,
        ev.fundingRate,
        ev.nextFundingTs,
      );
      return;
    case 'openInterest':
      rows.push(EventKind.OpenInterest, sym, ev.exchTs, ev.localTs, 0, 0, 0, 0, 0, ev.openInterest, 0, 0);
      return;
  }
}

/** The `events` rows an event becomes; lets callers count rows per logical table. */
export function encodedRowCount(ev: MarketEvent): number {
  return ev.type === 'depth' ? ev.bids.length + ev.asks.length : 1;
}
