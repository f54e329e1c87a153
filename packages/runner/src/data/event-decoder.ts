import type { Instrument, Level, MarketEvent } from '@botplatform/sdk';
import type { EventBatch } from './event-batch.js';
import { DepthFlag, EventKind } from './schema.js';

interface PartialDepth {
  readonly exchange: string;
  readonly symbol: string;
  readonly exchTs: number;
  readonly localTs: number;
  readonly seq: number;
  readonly prevSeq: number;
  readonly isSnapshot: boolean;
  readonly bids: Level[];
  readonly asks: Level[];
}

/**
 * Turns replay batches back into SDK `MarketEvent` objects, regrouping depth rows into their
 * messages (a message may straddle two batches, so the decoder keeps the open one). This is the
 * convenient path for tools and tests; the kernel's hot loop reads the batch columns directly.
 */
export class EventDecoder {
  private depth: PartialDepth | null = null;

  /** `instruments[batch.sym[i]]` is each row's instrument (ReplayReader.instruments). */
  constructor(private readonly instruments: readonly Instrument[]) {}

  decode(batch: EventBatch): MarketEvent[] {
    const out: MarketEvent[] = [];
    for (let i = 0; i < batch.length; i++) {
      const inst = this.instruments[batch.sym[i]!];
      if (!inst)
        throw new Error(
          `row ${i} has sym ${batch.sym[i]} outside the ${this.instruments.length} instruments`,
        );
      const base = {
        exchange: inst.exchange,
        symbol: inst.symbol,
        exchTs: batch.exchTs[i]!,
        localTs: batch.localTs[i]!,
      };
      switch (batch.kind[i]) {
        case EventKind.Trade:
          out.push({
            type: 'trade',
            ...base,
            tradeId: batch.seq[i]!,
            price: batch.price[i]!,
            qty: batch.qty[i]!,
            side: batch.side[i]! > 0 ? 'buy' : 'sell',
          });
          break;
        case EventKind.Depth: {
          const flags = batch.flags[i]!;
          if (flags & DepthFlag.First || !this.depth) {
            this.depth = {
              ...base,
              seq: batch.seq[i]!,
              prevSeq: batch.prevSeq[i]!,
              isSnapshot: (flags & DepthFlag.Snapshot) !== 0,
              bids: [],
              asks: [],
            };
          }
          const level: Level = [batch.price[i]!, batch.qty[i]!];
          (batch.side[i]! > 0 ? this.depth.bids : this.depth.asks).push(level);
          if (flags & DepthFlag.Last) {
            out.push({ type: 'depth', ...this.depth });
            this.depth = null;
          }
          break;
        }
        case EventKind.BookTicker:
          out.push({
            type: 'bookTicker',
            ...base,
            seq: batch.seq[i]!,
            bidPrice: batch.price[i]!,
            bidQty: batch.qty[i]!,
            askPrice: batch.price2[i]!,
            askQty: batch.qty2[i]!,
          });
          break;
        case EventKind.MarkPrice:
          out.push({
            type: 'markPrice',
            ...base,
            markPrice: batch.price[i]!,
            indexPrice: batch.qty[i]!,
            fundingRate: batch.price2[i]!,
            nextFundingTs: batch.qty2[i]!,
          });
          break;
        case EventKind.OpenInterest:
          out.push({ type: 'openInterest', ...base, openInterest: batch.qty[i]! });
          break;
        default:
          throw new Error(`row ${i} has unknown event kind ${batch.kind[i]}`);
      }
    }
    return out;
  }
}
