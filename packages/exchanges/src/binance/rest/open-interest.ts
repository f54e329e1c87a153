import type { Micros, OpenInterest } from '@botplatform/sdk';
import { z } from 'zod';
import { BINANCE_FUTURES_ID } from '../exchange-id.js';
import { parseWith } from '../parse-with.js';
import { millisField, sizeField, symbolField } from '../wire-fields.js';

/**
 * Body of `GET /fapi/v1/openInterest?symbol=…` (USD-M "Open Interest"):
 * `{"openInterest": "10659.509", "symbol": "BTCUSDT", "time": 1589437530011}`, `time` being
 * the transaction time. The size is in contracts (base asset for USD-M linear contracts).
 */
export const openInterestSchema = z.object({
  openInterest: sizeField,
  symbol: symbolField,
  time: millisField,
});

/** exchTs is `time`; `localTs` is when the response arrived. */
export function parseOpenInterest(body: unknown, localTs: Micros): OpenInterest {
  const m = parseWith(openInterestSchema, body, '/fapi/v1/openInterest');
  return {
    type: 'openInterest',
    exchange: BINANCE_FUTURES_ID,
    symbol: m.symbol,
    exchTs: m.time,
    localTs,
    openInterest: m.openInterest,
  };
}
