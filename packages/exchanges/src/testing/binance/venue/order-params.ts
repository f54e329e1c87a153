import type { TimeInForce } from '@botplatform/sdk';
import { z } from 'zod';
import { BinanceError, invalidParam, mandatoryParam, unsupported } from '../binance-error.js';

/** Request parameters as strings (a REST query/body, or WebSocket API params stringified). */
export type RawParams = Readonly<Record<string, string>>;

export interface PlaceParams {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET';
  readonly timeInForce: TimeInForce;
  readonly quantity: number;
  /** NaN for market orders. */
  readonly price: number;
  readonly reduceOnly: boolean;
  readonly newClientOrderId: string | undefined;
  readonly respType: 'ACK' | 'RESULT';
}

export interface OrderRef {
  readonly symbol: string;
  readonly orderId: number | undefined;
  readonly origClientOrderId: string | undefined;
}

export interface ModifyParams extends OrderRef {
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  readonly price: number;
}

const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number);
const symbol = z.string().regex(/^[A-Z0-9_]{1,32}$/);
const side = z.enum(['BUY', 'SELL']);
const bool = z.enum(['true', 'false']).transform((s) => s === 'true');
const orderId = z
  .string()
  .regex(/^\d{1,18}$/)
  .transform(Number);
/** "Can only be string following the rule: ^[\.A-Z\:/a-z0-9_-]{1,36}$" (New Order). */
const clientOrderId = z.string().regex(/^[.A-Z:/a-z0-9_-]{1,36}$/);

const STOP_TYPES = new Set([
  'STOP',
  'STOP_MARKET',
  'TAKE_PROFIT',
  'TAKE_PROFIT_MARKET',
  'TRAILING_STOP_MARKET',
]);
/** Parameters of order features the loopback does not model. */
const UNMODELLED = [
  'priceMatch',
  'stopPrice',
  'closePosition',
  'activationPrice',
  'callbackRate',
  'goodTillDate',
];

function opt<S extends z.ZodType>(
  raw: RawParams,
  name: string,
  schema: S,
  onBad: () => BinanceError = () => invalidParam(name),
): z.output<S> | undefined {
  const v = raw[name];
  if (v === undefined || v === '') return undefined;
  const r = schema.safeParse(v);
  if (!r.success) throw onBad();
  return r.data;
}

function req<S extends z.ZodType>(
  raw: RawParams,
  name: string,
  schema: S,
  onBad?: () => BinanceError,
): z.output<S> {
  const v = opt(raw, name, schema, onBad);
  if (v === undefined) throw mandatoryParam(name);
  return v;
}

const sideOf = (raw: RawParams) =>
  req(raw, 'side', side, () => new BinanceError(400, -1117, 'Invalid side.'));

/** New Order (`POST /fapi/v1/order`, `order.place`): LIMIT and MARKET, one-way mode. */
export function readPlaceParams(raw: RawParams): PlaceParams {
  const sym = req(raw, 'symbol', symbol);
  const s = sideOf(raw);
  const typeRaw = req(raw, 'type', z.string());
  if (STOP_TYPES.has(typeRaw)) throw unsupported();
  if (typeRaw !== 'LIMIT' && typeRaw !== 'MARKET') throw new BinanceError(400, -1116, 'Invalid orderType.');
  for (const name of UNMODELLED) if (raw[name] !== undefined && raw[name] !== '') throw unsupported();
  const positionSide = raw.positionSide;
  if (positionSide !== undefined && positionSide !== 'BOTH') {
    throw positionSide === 'LONG' || positionSide === 'SHORT'
      ? new BinanceError(400, -4061, "Order's position side does not match user's setting.")
      : new BinanceError(400, -4060, 'Invalid position side.');
  }
  const tifRaw = opt(raw, 'timeInForce', z.string());
  if (tifRaw === 'GTD') throw unsupported();
  if (tifRaw !== undefined && !['GTC', 'IOC', 'FOK', 'GTX'].includes(tifRaw))
    throw new BinanceError(400, -1115, 'Invalid timeInForce.');
  const quantity = req(raw, 'quantity', decimal);
  let price = Number.NaN;
  if (typeRaw === 'LIMIT') {
    if (tifRaw === undefined) throw mandatoryParam('timeInForce');
    price = req(raw, 'price', decimal);
  } else if (raw.price !== undefined && raw.price !== '') {
    throw new BinanceError(400, -1106, "Parameter 'price' sent when not required.");
  }
  const respType = opt(raw, 'newOrderRespType', z.enum(['ACK', 'RESULT']), () => {
    return new BinanceError(400, -1136, 'Invalid newOrderRespType.');
  });
  return {
    symbol: sym,
    side: s,
    type: typeRaw,
    timeInForce: (tifRaw ?? 'GTC') as TimeInForce,
    quantity,
    price,
    reduceOnly: opt(raw, 'reduceOnly', bool) ?? false,
    newClientOrderId: opt(
      raw,
      'newClientOrderId',
      clientOrderId,
      () => new BinanceError(400, -4015, 'Client order id is not valid.'),
    ),
    respType: respType ?? 'ACK',
  };
}

/** Cancel / Query Order: `symbol` and `orderId` or `origClientOrderId`. */
export function readOrderRef(raw: RawParams): OrderRef {
  const sym = req(raw, 'symbol', symbol);
  const id = opt(raw, 'orderId', orderId);
  const cid = opt(raw, 'origClientOrderId', clientOrderId);
  if (id === undefined && cid === undefined) {
    throw new BinanceError(
      400,
      -1102,
      "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!",
    );
  }
  return { symbol: sym, orderId: id, origClientOrderId: cid };
}

/** Modify Order (`PUT /fapi/v1/order`, `order.modify`): side, quantity and price all required. */
export function readModifyParams(raw: RawParams): ModifyParams {
  const ref = readOrderRef(raw);
  if (raw.priceMatch !== undefined && raw.priceMatch !== '') throw unsupported();
  return {
    ...ref,
    side: sideOf(raw),
    quantity: req(raw, 'quantity', decimal),
    price: req(raw, 'price', decimal),
  };
}

/** An optional `symbol` (open orders, positions). */
export function readOptionalSymbol(raw: RawParams): string | undefined {
  return opt(raw, 'symbol', symbol);
}

export function readSymbol(raw: RawParams): string {
  return req(raw, 'symbol', symbol);
}

/** The parameter readers, for the other USER_DATA endpoints' parameters (user-trades.ts). */
export { opt as optionalParam, orderId as orderIdParam, req as requiredParam, symbol as symbolParam };
