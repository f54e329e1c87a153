import { randomBytes } from 'node:crypto';
import { BinanceError } from '../binance-error.js';

/** "A User Data Stream listenKey is valid for 60 minutes after creation." */
export const LISTEN_KEY_VALIDITY_MS = 60 * 60 * 1000;

const noSuchKey = (): BinanceError => new BinanceError(400, -1125, 'This listenKey does not exist.');

/**
 * The account's listenKey (USD-M "User Data Streams"): POST returns the active key, or a new
 * one, and extends it 60 minutes; PUT extends it (-1125 when there is none); DELETE closes
 * it. A key that lapses, is deleted or is expired by the fault pushes `listenKeyExpired`.
 */
export class ListenKeys {
  private key: string | undefined;
  private expiresAt = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly validityMs: number,
    private readonly onExpired: (key: string) => void,
  ) {
    this.timer = setInterval(
      () => {
        if (this.key !== undefined && Date.now() >= this.expiresAt) this.expire();
      },
      Math.min(1000, validityMs),
    );
    this.timer.unref();
  }

  isValid(key: string): boolean {
    return key === this.key;
  }

  start(): string {
    this.key ??= randomBytes(48).toString('base64url').replace(/[-_]/g, 'x').slice(0, 64);
    this.expiresAt = Date.now() + this.validityMs;
    return this.key;
  }

  keepalive(): string {
    if (this.key === undefined) throw noSuchKey();
    this.expiresAt = Date.now() + this.validityMs;
    return this.key;
  }

  close(): void {
    if (this.key === undefined) throw noSuchKey();
    this.expire();
  }

  /** Invalidates the key now (lapse, DELETE, or the expireListenKey fault). */
  expire(): void {
    const k = this.key;
    if (k === undefined) return;
    this.key = undefined;
    this.onExpired(k);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
