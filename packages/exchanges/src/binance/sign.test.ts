import { describe, expect, it } from 'vitest';
import { encodeQuery, hmacSha256Hex, signedQuery } from './sign.js';

/**
 * Binance's published example, "SIGNED Endpoint Examples for POST /fapi/v1/order - HMAC Keys",
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info :
 *
 *   secretKey  2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9
 *   $ echo -n "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943" \
 *       | openssl dgst -sha256 -hmac "2b5eb11e…"
 *   (stdin)= 3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9
 *
 * (Example 3 of the same page, the query string "…timeInForce=GTC" + body "quantity=1&…"
 * concatenated without "&", signs to f9d0ae5e…: the signature covers the exact bytes sent.
 * Its printed payload has a space after "timestamp=", which its curl line does not send;
 * the vector only reproduces with that space.) A documentation key pair, not a credential.
 */
const DOC_SECRET = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9';
const DOC_QUERY =
  'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943';
const DOC_SIGNATURE = '3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9';

describe('Binance HMAC-SHA256 signing', () => {
  it("matches Binance's USD-M example vector", () => {
    expect(hmacSha256Hex(DOC_SECRET, DOC_QUERY)).toBe(DOC_SIGNATURE);
  });

  it('matches example 3 (query and body concatenated as sent, no "&" between; payload as printed)', () => {
    const totalParams =
      'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp= 1591702613943';
    expect(hmacSha256Hex(DOC_SECRET, totalParams)).toBe(
      'f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2',
    );
  });

  it('builds the documented query: params in order, recvWindow, timestamp, signature last', () => {
    const q = signedQuery(
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '9000', timeInForce: 'GTC' },
      DOC_SECRET,
      { timestampMs: 1591702613943, recvWindowMs: 5000 },
    );
    expect(q).toBe(`${DOC_QUERY}&signature=${DOC_SIGNATURE}`);
  });

  it('percent-encodes values, leaves out undefined ones, signs what is sent', () => {
    expect(encodeQuery({ newClientOrderId: 'a:b/c d', reduceOnly: true, price: undefined, qty: 0.001 })).toBe(
      'newClientOrderId=a%3Ab%2Fc%20d&reduceOnly=true&qty=0.001',
    );
    const q = signedQuery({ symbol: 'BTCUSDT' }, 'secret', { timestampMs: 1700000000000 });
    const [base, sig] = q.split('&signature=');
    expect(base).toBe('symbol=BTCUSDT&recvWindow=5000&timestamp=1700000000000');
    expect(sig).toBe(hmacSha256Hex('secret', base!));
  });

  it('refuses a bad timestamp or window and params it adds itself', () => {
    expect(() => signedQuery({}, 's', { timestampMs: 1.5 })).toThrow(/timestampMs/);
    expect(() => signedQuery({}, 's', { timestampMs: 1, recvWindowMs: 0 })).toThrow(/recvWindowMs/);
    expect(() => signedQuery({ timestamp: 1 }, 's', { timestampMs: 1 })).toThrow(/timestamp is added/);
  });
});
