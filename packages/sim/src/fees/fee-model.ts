import type { Instrument, Liquidity } from '@botplatform/sdk';

/**
 * The fee of one fill, in quote currency (positive = paid, negative = rebate received):
 *
 *   fee = price × qty × contractSize × rate
 *   rate = instrument.makerFee for maker fills, instrument.takerFee for taker fills
 *
 * A negative maker rate (e.g. −0.0001) makes maker fills pay a rebate.
 */
export interface FeeModel {
  fee(inst: Instrument, price: number, qty: number, liquidity: Liquidity): number;
}

/** `price × qty × contractSize × rate`. */
export const tradeFee = (price: number, qty: number, contractSize: number, rate: number): number =>
  price * qty * contractSize * rate;

/** The instrument's own maker / taker rates (the exchange's default fee model). */
export const instrumentFees: FeeModel = {
  fee(inst, price, qty, liquidity) {
    return tradeFee(price, qty, inst.contractSize, liquidity === 'maker' ? inst.makerFee : inst.takerFee);
  },
};
