/** Faults a test injects into a running loopback, to see its client cope. */
export interface BinanceLoopbackFaults {
  /** Closes every WebSocket (market streams, user streams, WebSocket API) abruptly. */
  dropConnections(): void;
  /** Drops the next event of each diff-depth stream (of `symbol`, or all): the one after breaks the `pu` chain once. */
  depthGap(symbol?: string): void;
  /** The next REST depth snapshot (of `symbol`, or any) is older than the stream (its lastUpdateId precedes buffered diffs). */
  staleSnapshot(symbol?: string): void;
  /** Every REST and WebSocket API request is answered 429 (rate limit) or 418 (IP ban) for `retryAfterS` seconds, with Retry-After. */
  rateLimit(status: 429 | 418, retryAfterS: number): void;
  /** Order responses (place / cancel / modify) go out `ms` late; 0 turns it off. The order itself is processed on arrival. */
  slowAck(ms: number): void;
  /** The next order request is processed (accepted, matched) but its response is never sent. */
  loseAck(): void;
  /** The listenKey expires now: its sockets hear `listenKeyExpired`. */
  expireListenKey(): void;
}

/** The ack faults' state, consumed once per order response. */
export class AckFaults {
  private delayMs = 0;
  private loseNext = false;

  slow(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`slowAck: ms must be ≥ 0, got ${ms}`);
    this.delayMs = ms;
  }

  lose(): void {
    this.loseNext = true;
  }

  /** For one order response: drop it, or send it after `delayMs`. */
  take(): { readonly lose: boolean; readonly delayMs: number } {
    const lose = this.loseNext;
    this.loseNext = false;
    return { lose, delayMs: this.delayMs };
  }
}
