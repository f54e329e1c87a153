import type { RejectReason } from '@botplatform/sdk';
import type { BinanceErrorInfo } from '../errors.js';

/**
 * A Binance REST (or WebSocket API) call that failed, classified by errors.ts: `info.action`
 * says what to do next, `info.reject` is the SDK rejection to report for an order. The message
 * names the endpoint, never its query string (which carries the signature).
 */
export class BinanceRequestError extends Error {
  override readonly name = 'BinanceRequestError';

  constructor(
    readonly info: BinanceErrorInfo,
    /** `POST /fapi/v1/order`, `ws order.place`… */
    readonly endpoint: string,
  ) {
    super(`${info.reject.message} (${endpoint})`);
  }

  get reject(): RejectReason {
    return this.info.reject;
  }
}

/** The request never got an answer (connection refused, timeout, socket closed): the outcome is unknown. */
export class BinanceTransportError extends Error {
  override readonly name = 'BinanceTransportError';

  constructor(
    readonly endpoint: string,
    cause: Error,
    /** False when nothing left this process (the socket was down): resending elsewhere is safe. */
    readonly sent = true,
  ) {
    super(`Binance ${endpoint}: no response (${cause.message})`, { cause });
  }
}
