/**
 * Why an order or a cancel was refused. `code` is ours and stable; `exchangeCode` is the
 * venue's own (Binance's -1111 etc.) when the venue gave one, so logs can be matched against
 * the exchange's documentation.
 */
export type RejectCode =
  | 'PRICE_PRECISION' // price not a multiple of tick size (Binance -4014 / -1111)
  | 'QTY_PRECISION' // quantity off the step grid (Binance -1111 too many decimals, -4023 not a multiple)
  | 'QTY_TOO_SMALL' // below min qty (Binance -4004)
  | 'QTY_TOO_LARGE' // above max qty (Binance -4005)
  | 'NOTIONAL_TOO_SMALL' // below min notional (Binance -4164)
  | 'INVALID_PRICE' // missing (-1102), non-finite or non-positive (-4001) price on a limit order
  | 'INVALID_QTY' // non-finite or non-positive quantity (Binance -4003)
  | 'INVALID_REQUEST' // malformed request (unknown symbol, bad type / time in force)
  | 'UNKNOWN_SYMBOL'
  | 'POST_ONLY_WOULD_CROSS' // GTX that would take liquidity (Binance -5022)
  | 'REDUCE_ONLY_REJECTED' // reduce-only that would increase the position (Binance -2022)
  | 'FOK_NOT_FILLED' // FOK expired for lack of liquidity (Binance -5021)
  | 'IOC_NOT_FILLED' // IOC / market found nothing to take
  | 'DUPLICATE_CLIENT_ID' // clientOrderId already used (Binance -4116)
  | 'INSUFFICIENT_MARGIN' // not enough margin or balance for the order (Binance -2019 / -2018)
  | 'UNKNOWN_ORDER' // cancel of an order the venue does not know or that is closed (Binance -2011)
  | 'MODIFY_REJECTED' // an amend the venue refused (Binance -5027 no change, -4028…)
  | 'RISK_DENIED' // the RiskEngine refused it before it left
  | 'RATE_LIMITED' // the venue's or our own rate limit (Binance -1003 / 429)
  | 'VENUE_ERROR'; // anything else the venue said

export interface RejectReason {
  readonly code: RejectCode;
  readonly message: string;
  readonly exchangeCode?: number;
}

export const rejectReason = (code: RejectCode, message: string, exchangeCode?: number): RejectReason =>
  exchangeCode === undefined ? { code, message } : { code, message, exchangeCode };
