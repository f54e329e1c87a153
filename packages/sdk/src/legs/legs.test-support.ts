import type { Instrument } from '../instrument/instrument.js';
import type { Fill } from '../orders/fill.js';

/** Test helpers (not exported from the package). */
export const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

export const ETH: Instrument = { ...BTC, symbol: 'ETHUSDT', tickSize: 0.01, minQty: 0.01, minNotional: 5 };

let seq = 0;

export function fill(
  tag: string | undefined,
  side: 'buy' | 'sell',
  qty: number,
  price: number,
  fee = 0,
  symbol = 'BTCUSDT',
): Fill {
  seq += 1;
  const base = {
    clientOrderId: `c${seq}`,
    symbol,
    side,
    price,
    qty,
    fee,
    liquidity: 'taker' as const,
    exchTs: seq,
    localTs: seq,
  };
  return tag === undefined ? base : { ...base, tag };
}
