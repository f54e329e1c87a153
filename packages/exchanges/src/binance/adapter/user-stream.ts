import type { Logger, Micros } from '@botplatform/sdk';
import { ReconnectingWebSocket, type ReconnectingWsOptions } from '../../connection/reconnecting-ws.js';
import { type Scheduler, systemScheduler } from '../../connection/scheduler.js';
import { Redactor } from './redact.js';
import { BinanceRequestError } from './rest-error.js';
import { type AccountUpdate, type OrderTradeUpdate, parseUserStreamMessage } from './user-messages.js';

/** The listenKey calls (BinanceRestClient has them). */
export interface UserStreamRest {
  createListenKey(): Promise<string>;
  keepAliveListenKey(): Promise<void>;
  closeListenKey(): Promise<void>;
}

export interface UserStreamHandlers {
  onOrderUpdate(u: OrderTradeUpdate, localTs: Micros): void;
  onAccountUpdate(u: AccountUpdate, localTs: Micros): void;
  /**
   * The stream was down (a reconnect, a new listenKey): events of that time are lost and the
   * owner should reconcile orders and positions over REST.
   */
  onResync?(reason: string): void;
  onError?(err: Error): void;
}

export interface UserStreamOptions {
  /** Routed base, e.g. `wss://fstream.binance.com/private`; the socket is `<base>/ws/<listenKey>`. */
  readonly privateUrl: string;
  readonly rest: UserStreamRest;
  /** PUT the listenKey this often. A key lives 60 min after its last keep-alive; default 30 min. */
  readonly keepAliveEveryUs?: number;
  /** After a failed keep-alive (other than -1125), try again after this. Default 60 s. */
  readonly keepAliveRetryUs?: number;
  readonly scheduler?: Scheduler;
  readonly socket?: Partial<Omit<ReconnectingWsOptions, 'url' | 'name' | 'scheduler'>>;
  readonly logger?: Logger;
  readonly redactor?: Redactor;
}

const MIN = 60_000_000;
/** -1125 "This listenKey does not exist." (USD-M User Data Streams: recreate it with POST). */
const LISTEN_KEY_DOES_NOT_EXIST = -1125;

/**
 * The USD-M user data stream and its listenKey's life: POST a key, connect to
 * `<privateUrl>/ws/<key>`, PUT it every 30 min (valid 60 min after each), and on
 * `listenKeyExpired` or a -1125 from the keep-alive get a new key and reconnect with it.
 * Events reach the handlers parsed; every gap in the stream (a reconnect, a key change) is
 * reported through `onResync` so the owner can reconcile. The key never appears in logs.
 */
export class BinanceUserStream {
  private readonly scheduler: Scheduler;
  private readonly redactor: Redactor;
  private readonly ws: ReconnectingWebSocket;
  /** ES private: kept out of util.inspect. */
  #listenKey: string | undefined;
  private renewing: Promise<void> | undefined;
  private cancelKeepAlive: (() => void) | undefined;
  private stopped = false;
  private opens = 0;

  constructor(
    private readonly options: UserStreamOptions,
    private readonly handlers: UserStreamHandlers,
  ) {
    this.scheduler = options.scheduler ?? systemScheduler;
    this.redactor = options.redactor ?? new Redactor();
    this.ws = new ReconnectingWebSocket({
      ...options.socket,
      name: 'binance-user',
      scheduler: this.scheduler,
      url: async () => {
        if (!this.#listenKey) await this.renewKey('no listenKey');
        return `${options.privateUrl.replace(/\/+$/, '')}/ws/${this.#listenKey}`;
      },
    });
    this.ws.on('open', () => {
      if (this.opens++ > 0) this.handlers.onResync?.('user stream reconnected');
    });
    this.ws.on('message', (text, localTs) => this.onFrame(text, localTs));
    this.ws.on('close', (e) => {
      if (e.willReconnect)
        this.options.logger?.warn(
          { code: e.code, reconnectInUs: e.delayUs },
          'Binance user stream disconnected',
        );
    });
    this.ws.on('error', (err) => this.fail(err));
  }

  /** The key in use (for tests; never log it). */
  get currentListenKey(): string | undefined {
    return this.#listenKey;
  }

  /** Creates the key, connects, and resolves when the stream is open. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.renewKey('start');
    this.ws.start();
    this.scheduleKeepAlive(this.options.keepAliveEveryUs ?? 30 * MIN);
    await this.ws.waitOpen();
  }

  /** Closes the socket and deletes the key (the stream ends at Binance too). */
  async close(): Promise<void> {
    this.stopped = true;
    this.cancelKeepAlive?.();
    await this.ws.close();
    if (this.#listenKey) {
      try {
        await this.options.rest.closeListenKey();
      } catch (err) {
        this.fail(err);
      }
    }
  }

  private onFrame(text: string, localTs: Micros): void {
    let ev: ReturnType<typeof parseUserStreamMessage>;
    try {
      ev = parseUserStreamMessage(text, localTs);
    } catch (err) {
      this.fail(err);
      return;
    }
    switch (ev.kind) {
      case 'order':
        this.handlers.onOrderUpdate(ev.event, localTs);
        return;
      case 'account':
        this.handlers.onAccountUpdate(ev.event, localTs);
        return;
      case 'listenKeyExpired':
        this.options.logger?.warn({}, 'Binance listenKey expired; creating a new one');
        void this.replaceKey('listenKeyExpired');
        return;
      case 'other':
        return;
    }
  }

  /** A new key and a reconnect onto it. */
  private async replaceKey(reason: string): Promise<void> {
    try {
      await this.renewKey(reason);
      if (this.stopped) return;
      this.ws.reconnect();
    } catch (err) {
      this.fail(err);
      // The socket's URL callback tries again on the next connect.
      this.#listenKey = undefined;
      this.ws.reconnect();
    }
  }

  private renewKey(reason: string): Promise<void> {
    this.renewing ??= (async () => {
      try {
        const old = this.#listenKey;
        const key = await this.options.rest.createListenKey();
        this.redactor.add(key);
        this.#listenKey = key;
        if (old !== undefined && old !== key) this.handlers.onResync?.(`new listenKey (${reason})`);
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }

  private scheduleKeepAlive(delayUs: number): void {
    this.cancelKeepAlive?.();
    this.cancelKeepAlive = this.scheduler.after(delayUs, async () => {
      if (this.stopped) return;
      const every = this.options.keepAliveEveryUs ?? 30 * MIN;
      try {
        await this.options.rest.keepAliveListenKey();
        this.scheduleKeepAlive(every);
      } catch (err) {
        if (err instanceof BinanceRequestError && err.info.code === LISTEN_KEY_DOES_NOT_EXIST) {
          this.options.logger?.warn({}, 'Binance listenKey no longer exists (-1125); creating a new one');
          await this.replaceKey('-1125');
          this.scheduleKeepAlive(every);
        } else {
          this.fail(err);
          this.scheduleKeepAlive(this.options.keepAliveRetryUs ?? MIN);
        }
      }
    });
  }

  private fail(err: unknown): void {
    const e = this.redactor.redactError(err);
    this.options.logger?.warn({ error: e.message }, 'Binance user stream');
    this.handlers.onError?.(e);
  }
}
