import { z } from 'zod';
import { BinanceError } from '../binance-error.js';
import type { RawParams } from '../venue/order-params.js';

/** A WebSocket API request (USD-M "WebSocket API General Info": id INT / STRING / null, method, params). */
export const wsApiRequestSchema = z.object({
  id: z.union([z.string(), z.number(), z.null()]),
  method: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export type WsApiRequest = z.output<typeof wsApiRequestSchema>;

/** Params as strings, the values the client signed (`String(43187.1)` is what a JSON number reads as). */
export function stringParams(params: WsApiRequest['params']): RawParams {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = String(v);
  return out;
}

/**
 * The WebSocket API's signature payload: "all request params except for the signature,
 * sorted by name in alphabetical order", as `k=v` joined by `&`.
 */
export function signaturePayload(params: RawParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function malformedRequest(): BinanceError {
  return new BinanceError(400, -1102, 'A mandatory parameter was not sent, was empty/null, or malformed.');
}
