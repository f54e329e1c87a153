import { z } from 'zod';

/**
 * A request on a market-stream socket (USD-M "Live Subscribing/Unsubscribing to streams"):
 * `{"method": "SUBSCRIBE", "params": ["btcusdt@aggTrade"], "id": 1}`; also UNSUBSCRIBE,
 * LIST_SUBSCRIPTIONS, SET_PROPERTY / GET_PROPERTY (`combined`).
 */
export const controlFrameSchema = z.object({
  method: z.string(),
  params: z.array(z.union([z.string(), z.boolean()])).optional(),
  id: z.union([z.number().int().nonnegative(), z.null()]),
});

export type ControlFrame = z.output<typeof controlFrameSchema>;

export const CONTROL_METHODS = [
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'LIST_SUBSCRIPTIONS',
  'SET_PROPERTY',
  'GET_PROPERTY',
];
