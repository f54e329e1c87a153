import type { Instrument } from '@botplatform/sdk';
import { describe, expect, it } from 'vitest';
import { instrumentFees, tradeFee } from './fee-model.js';

const INST: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 100,
  makerFee: -0.0001,
  takerFee: 0.0005,
  contractSize: 1,
};

describe('fee model', () => {
  it('is price × qty × contractSize × rate', () => {
    // 50_000 × 0.002 × 1 × 0.0005 = 0.05
    expect(tradeFee(50_000, 0.002, 1, 0.0005)).toBeCloseTo(0.05, 15);
    // Inverse-style contract of 100 USD per unit at price 1: 1 × 3 × 100 × 0.0002 = 0.06
    expect(tradeFee(1, 3, 100, 0.0002)).toBeCloseTo(0.06, 15);
  });

  it("uses the instrument's maker or taker rate; a negative maker rate is a rebate", () => {
    // taker: 50_000 × 0.1 × 0.0005 = 2.5; maker: 50_000 × 0.1 × (−0.0001) = −0.5
    expect(instrumentFees.fee(INST, 50_000, 0.1, 'taker')).toBeCloseTo(2.5, 12);
    expect(instrumentFees.fee(INST, 50_000, 0.1, 'maker')).toBeCloseTo(-0.5, 12);
    expect(instrumentFees.fee({ ...INST, contractSize: 0.5 }, 50_000, 0.1, 'taker')).toBeCloseTo(1.25, 12);
  });
});
