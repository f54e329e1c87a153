import { z } from 'zod';

/**
 * Replies to the requests a client sends on a market-stream socket (USD-M "Live
 * Subscribing/Unsubscribing to streams"): `{"result": null, "id": 1}` acknowledges
 * SUBSCRIBE / UNSUBSCRIBE / SET_PROPERTY; LIST_SUBSCRIPTIONS and GET_PROPERTY put their
 * answer in `result`. Errors come as `{"code": 2, "msg": "Invalid request: …", "id": …}`;
 * the `{"error": {"code", "msg"}, "id"}` wrapping seen on other Binance sockets is accepted too.
 */

const requestId = z.union([z.number(), z.string(), z.null()]);

export const ackFrameSchema = z.object({
  result: z.unknown(),
  id: requestId,
});

const errorBody = z.object({ code: z.number().int(), msg: z.string() });

export const errorFrameSchema = z.union([
  errorBody.extend({ id: requestId.optional() }),
  z.object({ error: errorBody, id: requestId.optional() }),
]);

export type ErrorFrame = z.output<typeof errorFrameSchema>;

/** Code, message and request id of an error frame in either wrapping. */
export function errorFrameFields(f: ErrorFrame): { code: number; msg: string; id: number | string | null } {
  const body = 'error' in f ? f.error : f;
  return { code: body.code, msg: body.msg, id: f.id ?? null };
}
