import type { MarketEvent } from '@botplatform/sdk';
import type { SimulatedExchange } from './sim-exchange.js';

/**
 * Hands one market event (live, or a loopback's replay) to the simulated exchange at its
 * exchange time, as the backtest's replay driver hands it tick-store rows: depth levels (a
 * snapshot clears the book at its first level), trades, book tickers, mark prices (funding).
 * Open interest does not move matching.
 */
export function feedMarketEvent(sim: SimulatedExchange, sym: number, e: MarketEvent): void {
  switch (e.type) {
    case 'depth': {
      let first = e.isSnapshot;
      for (const [price, qty] of e.bids) {
        sim.onDepthLevel(sym, 1, price, qty, first, e.exchTs);
        first = false;
      }
      for (const [price, qty] of e.asks) {
        sim.onDepthLevel(sym, -1, price, qty, first, e.exchTs);
        first = false;
      }
      return;
    }
    case 'trade':
      sim.onTrade(sym, e.side === 'buy' ? 1 : -1, e.price, e.qty, e.exchTs);
      return;
    case 'bookTicker':
      sim.onBookTicker(sym, e.bidPrice, e.bidQty, e.askPrice, e.askQty, e.exchTs);
      return;
    case 'markPrice':
      sim.onMarkPrice(sym, e.markPrice, e.fundingRate, e.nextFundingTs, e.exchTs);
      return;
    case 'openInterest':
      return;
  }
}
