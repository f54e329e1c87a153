import { type RejectReason, rejectReason } from '@botplatform/sdk';

/**
 * The simulated exchange's refusals, with Binance USD-M's codes and, where a strategy is likely
 * to match on it, Binance's exact message. Fixed reasons are shared frozen objects (no
 * allocation when they are reported).
 */
export const BINANCE_CODES = {
  badSymbol: -1121,
  unknownOrder: -2011,
  noSuchOrder: -2013,
  reduceOnly: -2022,
  duplicateClientId: -4116,
  fokNotFilled: -5021,
  postOnlyWouldCross: -5022,
  noNeedToModify: -5027,
} as const;

export const POST_ONLY_REJECTED: RejectReason = Object.freeze(
  rejectReason(
    'POST_ONLY_WOULD_CROSS',
    'Due to the order could not be executed as maker, the Post Only order will be rejected.',
    BINANCE_CODES.postOnlyWouldCross,
  ),
);

export const UNKNOWN_ORDER: RejectReason = Object.freeze(
  rejectReason('UNKNOWN_ORDER', 'Unknown order sent.', BINANCE_CODES.unknownOrder),
);

/** Modify of an order the exchange does not know, or that is closed (Binance -2013). */
export const ORDER_DOES_NOT_EXIST: RejectReason = Object.freeze(
  rejectReason('UNKNOWN_ORDER', 'Order does not exist.', BINANCE_CODES.noSuchOrder),
);

/** Modify that changes neither price nor quantity (Binance -5027). */
export const NO_NEED_TO_MODIFY: RejectReason = Object.freeze(
  rejectReason('MODIFY_REJECTED', 'No need to modify the order.', BINANCE_CODES.noNeedToModify),
);

/** Modify to a total quantity not above what has already filled. */
export const modifyQtyNotAboveFilled = (qty: number, filled: number): RejectReason =>
  rejectReason('MODIFY_REJECTED', `new quantity ${qty} must be greater than the executed quantity ${filled}`);

/** Modify whose side is not the order's side (Binance requires the side on order.modify). */
export const modifySideMismatch = (side: string, orderSide: string): RejectReason =>
  rejectReason('MODIFY_REJECTED', `side ${side} does not match the order's side ${orderSide}`);

export const FOK_NOT_FILLED: RejectReason = Object.freeze(
  rejectReason(
    'FOK_NOT_FILLED',
    'Due to the order could not be filled immediately, the FOK order has been rejected.',
    BINANCE_CODES.fokNotFilled,
  ),
);

export const DUPLICATE_CLIENT_ID: RejectReason = Object.freeze(
  rejectReason('DUPLICATE_CLIENT_ID', 'ClientOrderId is duplicated.', BINANCE_CODES.duplicateClientId),
);

export const REDUCE_ONLY_REJECTED: RejectReason = Object.freeze(
  rejectReason(
    'REDUCE_ONLY_REJECTED',
    'ReduceOnly Order is rejected. (no open position in the opposite direction to reduce)',
    BINANCE_CODES.reduceOnly,
  ),
);

export const REDUCE_ONLY_EXPIRED: RejectReason = Object.freeze(
  rejectReason(
    'REDUCE_ONLY_REJECTED',
    'reduce-only order expired: the position it reduces is closed',
    BINANCE_CODES.reduceOnly,
  ),
);

export const unknownSymbol = (symbol: string, listed: readonly string[]): RejectReason =>
  rejectReason(
    'UNKNOWN_SYMBOL',
    `Invalid symbol. (${symbol} is not listed on the simulated exchange; listed: ${listed.join(', ')})`,
    BINANCE_CODES.badSymbol,
  );

/** IOC / market remainder that found nothing more to take. */
export const iocNotFilled = (message: string): RejectReason => rejectReason('IOC_NOT_FILLED', message);
