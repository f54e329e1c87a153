import { describe, expect, it } from 'vitest';
import { binanceRejectReason, classifyBinanceError, parseBinanceErrorBody } from './errors.js';

describe('Binance error codes → SDK rejections', () => {
  it.each([
    [-1003, 'RATE_LIMITED', 'retry-backoff'],
    [-1008, 'RATE_LIMITED', 'retry-backoff'],
    [-1021, 'VENUE_ERROR', 'resync-clock'],
    [-1022, 'VENUE_ERROR', 'halt'],
    [-1102, 'INVALID_REQUEST', 'fail'],
    [-1111, 'QTY_PRECISION', 'fail'],
    [-1121, 'UNKNOWN_SYMBOL', 'fail'],
    [-2010, 'VENUE_ERROR', 'fail'],
    [-2011, 'UNKNOWN_ORDER', 'fail'],
    [-2013, 'UNKNOWN_ORDER', 'fail'],
    [-2019, 'INSUFFICIENT_MARGIN', 'fail'],
    [-2021, 'INVALID_PRICE', 'fail'],
    [-2022, 'REDUCE_ONLY_REJECTED', 'fail'],
    [-4003, 'INVALID_QTY', 'fail'],
    [-4014, 'PRICE_PRECISION', 'fail'],
    [-4015, 'INVALID_REQUEST', 'fail'],
    [-4116, 'DUPLICATE_CLIENT_ID', 'fail'],
    [-4131, 'IOC_NOT_FILLED', 'fail'],
    [-4164, 'NOTIONAL_TOO_SMALL', 'fail'],
    [-5021, 'FOK_NOT_FILLED', 'fail'],
    [-5022, 'POST_ONLY_WOULD_CROSS', 'fail'],
    [-1007, 'VENUE_ERROR', 'verify'],
    [-9999, 'VENUE_ERROR', 'fail'],
  ])('%i → %s, %s', (code, reject, action) => {
    const e = classifyBinanceError({ httpStatus: 400, code, msg: 'm' });
    expect(e.reject.code).toBe(reject);
    expect(e.reject.exchangeCode).toBe(code);
    expect(e.action).toBe(action);
  });

  it('keeps the venue message and names the code', () => {
    const r = binanceRejectReason(
      -5022,
      'Due to the order could not be executed as maker, the Post Only order will be rejected.',
    );
    expect(r).toEqual({
      code: 'POST_ONLY_WOULD_CROSS',
      exchangeCode: -5022,
      message:
        'Binance -5022 GTX_ORDER_REJECT: Due to the order could not be executed as maker, the Post Only order will be rejected.',
    });
  });

  it('refines by the message where one code has several causes', () => {
    expect(
      binanceRejectReason(-1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.")
        .code,
    ).toBe('INVALID_PRICE');
    expect(
      binanceRejectReason(-1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.")
        .code,
    ).toBe('INVALID_QTY');
    expect(binanceRejectReason(-2010, 'Duplicate order sent.').code).toBe('DUPLICATE_CLIENT_ID');
  });
});

describe('HTTP status classification', () => {
  it('429: back off and slow down; 418: halt (IP banned)', () => {
    expect(classifyBinanceError({ httpStatus: 429 })).toMatchObject({
      action: 'retry-backoff',
      slowDown: true,
      reject: { code: 'RATE_LIMITED' },
    });
    expect(classifyBinanceError({ httpStatus: 418 })).toMatchObject({ action: 'halt', slowDown: true });
  });

  it('-1003 "IP banned until" halts until the given time', () => {
    const e = classifyBinanceError({
      httpStatus: 418,
      code: -1003,
      msg: 'Way too many requests; IP banned until 1700000123456. Please use the websocket for live updates to avoid bans.',
    });
    expect(e).toMatchObject({ action: 'halt', bannedUntilMs: 1700000123456, name: 'TOO_MANY_REQUESTS' });
  });

  it('503: documented failures retry with backoff; anything else leaves the execution unknown', () => {
    expect(classifyBinanceError({ httpStatus: 503, msg: 'Service Unavailable.' }).action).toBe(
      'retry-backoff',
    );
    expect(
      classifyBinanceError({
        httpStatus: 503,
        msg: 'Internal error; unable to process your request. Please try again.',
      }).action,
    ).toBe('retry-backoff');
    expect(
      classifyBinanceError({
        httpStatus: 503,
        msg: 'Unknown error, please check your request or try again later.',
      }).action,
    ).toBe('verify');
    expect(classifyBinanceError({ httpStatus: 502 }).action).toBe('verify');
    expect(classifyBinanceError({ httpStatus: 408 }).action).toBe('verify');
    expect(classifyBinanceError({ httpStatus: 403 })).toMatchObject({
      action: 'retry-backoff',
      slowDown: true,
    });
    expect(classifyBinanceError({ httpStatus: 400 })).toMatchObject({ action: 'fail', name: 'HTTP_400' });
  });

  it('reads the error body', () => {
    expect(parseBinanceErrorBody({ code: -1121, msg: 'Invalid symbol.' })).toEqual({
      code: -1121,
      msg: 'Invalid symbol.',
    });
    expect(parseBinanceErrorBody({ orderId: 1 })).toBeUndefined();
  });
});
