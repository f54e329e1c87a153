import type { Instrument, Liquidity } from '@botplatform/sdk';

/**
 * The fee of one fill, in quote currency (positive = paid, negative = rebate received):
 *
 *   fee = round₈(price × qty × contractSize × rate)
 *   rate = instrument.makerFee for maker fills, instrument.takerFee for taker fills
 *
 * A negative maker rate (e.g. −0.0001) makes maker fills pay a rebate.
 */
export interface FeeModel {
  fee(inst: Instrument, price: number, qty: number, liquidity: Liquidity): number;
}

/** Fees are settled to 1e-8 of the quote currency, as Binance reports `commission`. */
const FEE_SCALE = 1e8;

/** `price × qty × contractSize × rate`, rounded to 8 decimals (so 0.1000068, not 0.10000680000000002). */
export const tradeFee = (price: number, qty: number, contractSize: number, rate: number): number =>
  Math.round(price * qty * contractSize * rate * FEE_SCALE) / FEE_SCALE;

/** The instrument's own maker / taker rates (the exchange's default fee model). */
export const instrumentFees: FeeModel = {
  fee(inst, price, qty, liquidity) {
    return tradeFee(price, qty, inst.contractSize, liquidity === 'maker' ? inst.makerFee : inst.takerFee);
  },
};
