import type { Micros } from '@botplatform/sdk';
import type { BinanceMarketEvent, BinanceMessage } from './binance-message.js';
import { fastMarketEvent } from './fast/fast-market.js';
import { parseAggTrade } from './messages/agg-trade.js';
import { parseBookTicker } from './messages/book-ticker.js';
import { ackFrameSchema, errorFrameFields, errorFrameSchema } from './messages/control-frames.js';
import { parseDepthUpdate } from './messages/depth-update.js';
import { parseMarkPriceUpdate } from './messages/mark-price-update.js';
import { parseTrade } from './messages/trade.js';
import { BinanceParseError } from './parse-error.js';
import { parseWith } from './parse-with.js';

/** Parsers of the event types this adapter understands, by the frame's `e`. */
const MARKET_PARSERS: Readonly<Record<string, (payload: unknown, localTs: Micros) => BinanceMarketEvent>> = {
  aggTrade: parseAggTrade,
  trade: parseTrade,
  depthUpdate: parseDepthUpdate,
  bookTicker: parseBookTicker,
  markPriceUpdate: parseMarkPriceUpdate,
};

/** Event types with a parser (`aggTrade`, `trade`, `depthUpdate`, `bookTicker`, `markPriceUpdate`). */
export const BINANCE_MARKET_EVENT_TYPES: readonly string[] = Object.keys(MARKET_PARSERS);

/**
 * Parses one text frame of a Binance USD-M market-stream socket received at `localTs` (µs).
 * Handles the combined-stream envelope `{"stream", "data"}` and raw `/ws` frames, request
 * acks and error frames. An event type without a parser (kline, forceOrder, …) or a shape
 * that is no known frame comes back as `unknown`, never as an exception; a frame of a known
 * event type that breaks its documented shape, or text that is not JSON, throws
 * BinanceParseError with the reason.
 */
export function parseBinanceMessage(text: string, localTs: Micros): BinanceMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BinanceParseError(undefined, `not JSON (${(err as Error).message})`);
  }
  return parseBinancePayload(json, localTs);
}

/**
 * As parseBinanceMessage, for a frame already decoded from JSON. The hot frames (depthUpdate,
 * aggTrade, bookTicker, markPriceUpdate) take a hand-written fast path (fast/fast-market.ts);
 * one it is not sure of goes through zod, as every other frame does.
 */
export function parseBinancePayload(json: unknown, localTs: Micros): BinanceMessage {
  return parsePayload(json, localTs, true);
}

/**
 * parseBinancePayload with zod validating every frame, no fast path: the reference the fast
 * path is tested against (fast/fast-parity.test.ts).
 */
export function parseBinancePayloadZodOnly(json: unknown, localTs: Micros): BinanceMessage {
  return parsePayload(json, localTs, false);
}

function parsePayload(json: unknown, localTs: Micros, fast: boolean): BinanceMessage {
  if (!isObject(json)) return unknown(undefined, undefined, `not a JSON object (${describe(json)})`);

  let stream: string | undefined;
  let payload: unknown = json;
  if (typeof json.stream === 'string' && 'data' in json) {
    stream = json.stream;
    payload = json.data;
  } else {
    // Control frames only come unwrapped.
    if ('result' in json && 'id' in json) {
      const ack = parseWith(ackFrameSchema, json, 'subscription ack');
      return { kind: 'ack', id: ack.id, result: ack.result };
    }
    if ('error' in json || ('code' in json && 'msg' in json && !('e' in json))) {
      return { kind: 'error', ...errorFrameFields(parseWith(errorFrameSchema, json, 'error frame')) };
    }
  }

  if (!isObject(payload))
    return unknown(stream, undefined, `payload is not a JSON object (${describe(payload)})`);
  const e = payload.e;
  if (typeof e !== 'string') return unknown(stream, undefined, 'no event type `e`');
  const event = fast ? fastMarketEvent(e, payload, localTs) : undefined;
  if (event !== undefined) return { kind: 'market', stream, event };
  const parse = Object.hasOwn(MARKET_PARSERS, e) ? MARKET_PARSERS[e] : undefined;
  if (!parse) return unknown(stream, e, `event type ${e} is not parsed by this adapter`);
  return { kind: 'market', stream, event: parse(payload, localTs) };
}

function unknown(stream: string | undefined, eventType: string | undefined, reason: string): BinanceMessage {
  return { kind: 'unknown', stream, eventType, reason };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  return Array.isArray(x) ? 'an array' : x === null ? 'null' : typeof x;
}
