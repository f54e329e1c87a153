import { type RejectReason, rejectReason } from '@botplatform/sdk';

/**
 * The simulated exchange's refusals, with Binance USD-M's codes and, where a strategy is likely
 * to match on it, Binance's exact message. Fixed reasons are shared frozen objects (no
 * allocation when they are reported).
 */
export const BINANCE_CODES = {
  badSymbol: -1121,
  unknownOrder: -2011,
  reduceOnly: -2022,
  duplicateClientId: -4116,
  fokNotFilled: -5021,
  postOnlyWouldCross: -5022,
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
