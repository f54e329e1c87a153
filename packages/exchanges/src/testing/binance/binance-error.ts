/**
 * An error the loopback answers as Binance does: HTTP status and the `{"code", "msg"}` body
 * (USD-M "Error Codes"; the WebSocket API carries the same pair under `error`).
 */
export class BinanceError extends Error {
  override readonly name = 'BinanceError';

  constructor(
    readonly httpStatus: number,
    readonly code: number,
    readonly msg: string,
    /** Extra response headers (Retry-After on 429 / 418). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${httpStatus} ${code} ${msg}`);
  }

  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.msg };
  }
}

export const mandatoryParam = (name: string): BinanceError =>
  new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

export const invalidParam = (name: string): BinanceError =>
  new BinanceError(400, -1130, `Data sent for parameter '${name}' is not valid.`);

export const unknownOrderSent = (): BinanceError => new BinanceError(400, -2011, 'Unknown order sent.');

export const orderDoesNotExist = (): BinanceError => new BinanceError(400, -2013, 'Order does not exist.');

export const badSymbol = (): BinanceError => new BinanceError(400, -1121, 'Invalid symbol.');

/** For order types and options the loopback does not model (stop orders, GTD, priceMatch…). */
export const unsupported = (): BinanceError =>
  new BinanceError(400, -1020, 'This operation is not supported.');
