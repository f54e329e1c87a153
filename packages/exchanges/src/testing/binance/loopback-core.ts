import type { Instrument, MarketEvent } from '@botplatform/sdk';
import type { LoopbackClock } from './loopback-clock.js';
import { AckFaults } from './loopback-faults.js';
import { MarketFeed, type MarketPublisher } from './market/market-feed.js';
import type { Credentials } from './request-auth.js';
import { RateLimiter, type RateLimitOptions } from './rest/rate-limiter.js';
import { ListenKeys } from './user/listen-keys.js';
import { TradingVenue, type TradingVenueOptions } from './venue/trading-venue.js';

export interface LoopbackCoreOptions extends TradingVenueOptions {
  readonly instruments: readonly Instrument[];
  readonly credentials: Credentials;
  readonly limits: RateLimitOptions;
  readonly listenKeyValidityMs: number;
}

/**
 * Everything behind the loopback's sockets: the clock, the market feed, the trading venue
 * (the SimulatedExchange), the listenKey, the rate limiters (REST and WebSocket API count
 * separately, as on Binance) and the ack faults. Network-free, so REST and the WebSocket API
 * share it.
 */
export class LoopbackCore {
  readonly instruments: readonly Instrument[];
  readonly credentials: Credentials;
  readonly feed: MarketFeed;
  readonly venue: TradingVenue;
  readonly listenKeys: ListenKeys;
  readonly restLimiter: RateLimiter;
  readonly wsApiLimiter: RateLimiter;
  readonly ackFaults = new AckFaults();

  constructor(
    readonly clock: LoopbackClock,
    market: MarketPublisher,
    user: { emit(payload: { readonly e: string }): void; expired(key: string): void },
    opts: LoopbackCoreOptions,
  ) {
    this.instruments = opts.instruments;
    this.credentials = opts.credentials;
    this.feed = new MarketFeed(opts.instruments, clock, market, opts.seed);
    this.venue = new TradingVenue(
      opts.instruments,
      clock,
      this.feed,
      (p) => user.emit(p as { e: string }),
      opts,
    );
    this.listenKeys = new ListenKeys(opts.listenKeyValidityMs, (k) => user.expired(k));
    this.restLimiter = new RateLimiter(opts.limits);
    this.wsApiLimiter = new RateLimiter(opts.limits);
  }

  /** A market event at its exchange time: the matching engine first, then the streams. */
  onMarket(ev: MarketEvent): void {
    this.venue.onMarket(ev);
    this.feed.onEvent(ev);
  }

  instrument(symbol: string): Instrument | undefined {
    return this.instruments.find((i) => i.symbol === symbol);
  }

  stop(): void {
    this.listenKeys.stop();
  }
}
