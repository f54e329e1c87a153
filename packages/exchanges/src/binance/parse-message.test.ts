import { describe, expect, it } from 'vitest';
import { BinanceParseError } from './parse-error.js';
import { parseBinanceMessage } from './parse-message.js';
import { parseDepthSnapshot } from './rest/depth-snapshot.js';
import { parseOpenInterest } from './rest/open-interest.js';

// Messages written for these tests in the documented shapes (values made up).
const LOCAL = 1_700_000_000_123_456;
const json = (x: unknown): string => JSON.stringify(x);

const depthUpdate = {
  e: 'depthUpdate',
  E: 1700000000100,
  T: 1700000000098,
  s: 'BTCUSDT',
  U: 1000,
  u: 1010,
  pu: 990,
  b: [
    ['50000.10', '1.500'],
    ['49999.90', '0.000'],
  ],
  a: [['50000.20', '0.250']],
};

describe('parseBinanceMessage: market events', () => {
  it('unwraps the combined-stream envelope; aggTrade → Trade (m: buyer is maker ⇒ aggressor sold)', () => {
    const msg = parseBinanceMessage(
      json({
        stream: 'btcusdt@aggTrade',
        data: {
          e: 'aggTrade',
          E: 1700000000200,
          s: 'BTCUSDT',
          a: 42,
          p: '50000.10',
          q: '0.010',
          f: 100,
          l: 102,
          T: 1700000000199,
          m: true,
        },
      }),
      LOCAL,
    );
    expect(msg).toEqual({
      kind: 'market',
      stream: 'btcusdt@aggTrade',
      event: {
        type: 'trade',
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        exchTs: 1700000000199000,
        localTs: LOCAL,
        tradeId: 42,
        price: 50000.1,
        qty: 0.01,
        side: 'sell',
      },
    });
  });

  it('raw trade frame; buyer is taker ⇒ buy; unknown fields (X, st) ignored', () => {
    const msg = parseBinanceMessage(
      json({
        e: 'trade',
        E: 1700000000300,
        T: 1700000000299,
        s: 'ETHUSDT',
        t: 7,
        p: '2000.5',
        q: '1',
        X: 'MARKET',
        m: false,
        st: 1,
      }),
      LOCAL,
    );
    expect(msg.kind === 'market' && msg.stream).toBe(undefined);
    expect(msg.kind === 'market' && msg.event).toMatchObject({
      tradeId: 7,
      side: 'buy',
      exchTs: 1700000000299000,
    });
  });

  it('depthUpdate → diff with seq = u, prevSeq = pu, firstUpdateId = U, absolute sizes, exchTs = T', () => {
    const msg = parseBinanceMessage(json(depthUpdate), LOCAL);
    expect(msg).toEqual({
      kind: 'market',
      stream: undefined,
      event: {
        type: 'depth',
        exchange: 'binance-futures',
        symbol: 'BTCUSDT',
        exchTs: 1700000000098000,
        localTs: LOCAL,
        seq: 1010,
        prevSeq: 990,
        firstUpdateId: 1000,
        isSnapshot: false,
        bids: [
          [50000.1, 1.5],
          [49999.9, 0],
        ],
        asks: [[50000.2, 0.25]],
      },
    });
  });

  it('bookTicker: seq = u, exchTs = T (transaction time), not E', () => {
    const msg = parseBinanceMessage(
      json({
        e: 'bookTicker',
        u: 400900217,
        s: 'BNBUSDT',
        b: '25.35190000',
        B: '31.21000000',
        a: '25.36520000',
        A: '40.66000000',
        T: 1568014460891,
        E: 1568014460893,
      }),
      LOCAL,
    );
    expect(msg.kind === 'market' && msg.event).toEqual({
      type: 'bookTicker',
      exchange: 'binance-futures',
      symbol: 'BNBUSDT',
      exchTs: 1568014460891000,
      localTs: LOCAL,
      seq: 400900217,
      bidPrice: 25.3519,
      bidQty: 31.21,
      askPrice: 25.3652,
      askQty: 40.66,
    });
  });

  it('markPriceUpdate: exchTs = E (its T is the next funding time), funding in µs', () => {
    const msg = parseBinanceMessage(
      json({
        e: 'markPriceUpdate',
        E: 1562305380000,
        s: 'BTCUSDT',
        p: '11794.15000000',
        i: '11784.62659091',
        P: '11784.25641265',
        r: '-0.00038167',
        T: 1562306400000,
      }),
      LOCAL,
    );
    expect(msg.kind === 'market' && msg.event).toEqual({
      type: 'markPrice',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exchTs: 1562305380000000,
      localTs: LOCAL,
      markPrice: 11794.15,
      indexPrice: 11784.62659091,
      fundingRate: -0.00038167,
      nextFundingTs: 1562306400000000,
    });
  });

  it('markPriceUpdate without index price → NaN; delivery contract ("" rate, T 0) → no funding', () => {
    const msg = parseBinanceMessage(
      json({ e: 'markPriceUpdate', E: 1596095725000, s: 'BTCUSDT_201225', p: '10934.6', r: '', T: 0 }),
      LOCAL,
    );
    const ev = msg.kind === 'market' ? msg.event : undefined;
    expect(ev?.type === 'markPrice' && ev.indexPrice).toBeNaN();
    expect(ev).toMatchObject({ fundingRate: 0, nextFundingTs: 0 });
  });
});

describe('parseBinanceMessage: control frames', () => {
  it('subscribe / unsubscribe acks and list results', () => {
    expect(parseBinanceMessage('{"result":null,"id":1}', LOCAL)).toEqual({
      kind: 'ack',
      id: 1,
      result: null,
    });
    expect(parseBinanceMessage('{"result":["btcusdt@aggTrade"],"id":3}', LOCAL)).toEqual({
      kind: 'ack',
      id: 3,
      result: ['btcusdt@aggTrade'],
    });
  });

  it('error frames, flat or wrapped in `error`', () => {
    expect(parseBinanceMessage('{"code": 0, "msg": "Unknown property","id": 7}', LOCAL)).toEqual({
      kind: 'error',
      id: 7,
      code: 0,
      msg: 'Unknown property',
    });
    expect(
      parseBinanceMessage(
        '{"error":{"code":2,"msg":"Invalid request: too many parameters"},"id":null}',
        LOCAL,
      ),
    ).toEqual({ kind: 'error', id: null, code: 2, msg: 'Invalid request: too many parameters' });
  });
});

describe('parseBinanceMessage: unknown is not an error', () => {
  it.each([
    ['an event type without a parser', '{"e":"forceOrder","E":1,"o":{}}', 'forceOrder'],
    ['a combined stream of such', '{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1,"k":{}}}', 'kline'],
    ['an all-market array', '{"stream":"!markPrice@arr","data":[{"e":"markPriceUpdate"}]}', undefined],
    ['an object without e', '{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}', undefined],
    ['a JSON scalar', '42', undefined],
  ])('%s', (_name, text, eventType) => {
    const msg = parseBinanceMessage(text, LOCAL);
    expect(msg.kind).toBe('unknown');
    expect(msg.kind === 'unknown' && msg.eventType).toBe(eventType);
  });
});

describe('parseBinanceMessage: malformed known frames throw BinanceParseError with the reason', () => {
  const reasonOf = (text: string): string => {
    try {
      parseBinanceMessage(text, LOCAL);
    } catch (err) {
      expect(err).toBeInstanceOf(BinanceParseError);
      return (err as BinanceParseError).message;
    }
    throw new Error('expected BinanceParseError');
  };

  it('names the message kind and the bad field', () => {
    expect(reasonOf(json({ ...depthUpdate, b: [['50000.1', 1.5]] }))).toMatch(/depthUpdate: b\.0\.1/);
    expect(reasonOf(json({ ...depthUpdate, pu: undefined }))).toMatch(/depthUpdate: pu/);
    expect(reasonOf(json({ ...depthUpdate, U: 2000 }))).toMatch(/first update id U is after/);
    expect(reasonOf(json({ ...depthUpdate, b: [['-1', '2']] }))).toMatch(/b\.0\.0/);
    expect(reasonOf(json({ ...depthUpdate, u: 2 ** 53 + 2 }))).toMatch(/depthUpdate: u/);
  });

  it('text that is not JSON', () => {
    expect(reasonOf('{"e":"depthUpdate"')).toMatch(/not JSON/);
  });

  it('a malformed ack or error frame', () => {
    expect(reasonOf('{"result":null,"id":{"x":1}}')).toMatch(/subscription ack/);
    expect(reasonOf('{"error":{"code":"x"},"id":1}')).toMatch(/error frame/);
  });
});

describe('REST bodies', () => {
  it('GET /fapi/v1/depth → snapshot: seq = lastUpdateId, exchTs = T, localTs = arrival', () => {
    const snap = parseDepthSnapshot(
      {
        lastUpdateId: 1027024,
        E: 1589436922972,
        T: 1589436922959,
        bids: [['4.00000000', '431.00000000']],
        asks: [['4.00000200', '12.00000000']],
      },
      'BTCUSDT',
      LOCAL,
    );
    expect(snap).toEqual({
      type: 'depth',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exchTs: 1589436922959000,
      localTs: LOCAL,
      seq: 1027024,
      prevSeq: 1027024,
      isSnapshot: true,
      bids: [[4, 431]],
      asks: [[4.000002, 12]],
    });
    expect(() => parseDepthSnapshot({ lastUpdateId: 1, bids: [], asks: [] }, 'BTCUSDT', LOCAL)).toThrow(
      /\/fapi\/v1\/depth: E/,
    );
  });

  it('GET /fapi/v1/openInterest → OpenInterest at `time`', () => {
    expect(
      parseOpenInterest({ openInterest: '10659.509', symbol: 'BTCUSDT', time: 1589437530011 }, LOCAL),
    ).toEqual({
      type: 'openInterest',
      exchange: 'binance-futures',
      symbol: 'BTCUSDT',
      exchTs: 1589437530011000,
      localTs: LOCAL,
      openInterest: 10659.509,
    });
  });
});
