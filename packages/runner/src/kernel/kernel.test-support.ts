// Shared fixtures of the kernel's unit tests (excluded from the build).
import type { CancelCommand, Exchange, Instrument, ModifyCommand, OrderCommand } from '@botplatform/sdk';

/** A Binance-USD-M-like linear perpetual: tick 0.1, step 0.001, min notional 5. */
export const instrument = (symbol: string, over: Partial<Instrument> = {}): Instrument => ({
  exchange: 'binance-futures',
  symbol,
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 5,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
  ...over,
});

export const BTC = instrument('BTCUSDT');
export const ETH = instrument('ETHUSDT');

/** A venue that records the commands it is given and answers nothing. */
export class FakeVenue implements Exchange {
  readonly id = 'fake';
  readonly submits: OrderCommand[] = [];
  readonly cancels: CancelCommand[] = [];
  readonly modifies: ModifyCommand[] = [];
  async instruments(): Promise<Instrument[]> {
    return [];
  }
  async connect(): Promise<void> {}
  submit(cmd: OrderCommand): void {
    this.submits.push(cmd);
  }
  cancel(cmd: CancelCommand): void {
    this.cancels.push(cmd);
  }
  modify(cmd: ModifyCommand): void {
    this.modifies.push(cmd);
  }
  async close(): Promise<void> {}
}
