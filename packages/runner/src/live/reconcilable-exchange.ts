import type { Exchange, Liquidity, Micros, Side } from '@botplatform/sdk';

/** An order the exchange holds open, as reconciliation needs it (matches the Binance adapter's BinanceOpenOrder). */
export interface VenueOpenOrder {
  readonly clientOrderId: string;
  readonly exchangeOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  /** 'limit' and 'market' are SDK orders; anything else (stop orders…) is not adopted. */
  readonly type: string;
  readonly timeInForce: string | undefined;
  /** NaN for market orders. */
  readonly price: number;
  readonly qty: number;
  readonly filledQty: number;
  /** NaN until something filled. */
  readonly avgFillPrice: number;
  readonly reduceOnly: boolean;
  /** Exchange time of the order's last change: reports up to it are already in this answer. */
  readonly updateTs: Micros;
}

/** An order of the account in any state, as the exchange's order history lists it. */
export interface VenueOrderRecord extends VenueOpenOrder {
  readonly status: 'open' | VenueOrderOutcome['status'];
}

/** A position the exchange holds; `qty` signed (short < 0). */
export interface VenuePosition {
  readonly symbol: string;
  readonly qty: number;
  /** NaN when flat. */
  readonly entryPrice: number;
  /** Exchange time of the position's last change. */
  readonly updateTs: Micros;
}

/** How an order that is no longer open ended, if the exchange still knows it. */
export interface VenueOrderOutcome {
  /** The exchange's id (the state may not have it: an order whose ack was lost in a crash). */
  readonly exchangeOrderId?: string;
  readonly status: 'filled' | 'canceled' | 'expired' | 'rejected';
  readonly filledQty: number;
  readonly avgFillPrice: number;
  readonly updateTs: Micros;
}

/** One execution of one of our orders, as the exchange lists it after the fact. */
export interface VenueFill {
  /** The exchange's trade id: fills are replayed in this order. */
  readonly tradeId: number;
  readonly price: number;
  readonly qty: number;
  /** In the quote asset; negative is a rebate. */
  readonly fee: number;
  readonly liquidity: Liquidity;
  readonly exchTs: Micros;
}

/**
 * What `botp live` needs from a venue to resume from a state file, beyond the SDK's Exchange:
 * the account's open orders and positions. Kept here (an optional capability the runner checks
 * for) rather than in the SDK's Exchange contract; the Binance adapter's REST client already
 * answers both (GET /fapi/v1/openOrders, /fapi/v3/positionRisk).
 */
export interface ReconcilableExchange extends Exchange {
  openOrders(symbols: readonly string[]): Promise<VenueOpenOrder[]>;
  positions(symbols: readonly string[]): Promise<VenuePosition[]>;
  /** The outcome of an order the exchange no longer lists as open; undefined if it does not know it. */
  orderOutcome?(symbol: string, clientOrderId: string): Promise<VenueOrderOutcome | undefined>;
  /** Every execution of one order, oldest first: what it filled while the bot was down is replayed from these. */
  orderFills?(symbol: string, exchangeOrderId: string): Promise<VenueFill[]>;
  /** The account's orders on these symbols placed since `sinceTs`, in any state: finds orders sent just before a kill that the state never recorded. */
  ordersSince?(symbols: readonly string[], sinceTs: Micros): Promise<VenueOrderRecord[]>;
}

export function isReconcilable(venue: Exchange): venue is ReconcilableExchange {
  const v = venue as Partial<ReconcilableExchange>;
  return typeof v.openOrders === 'function' && typeof v.positions === 'function';
}
