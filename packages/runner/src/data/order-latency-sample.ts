import type { Micros } from '@botplatform/sdk';

/** One order round trip measured live; `order_latency` feeds the recorded latency model. */
export interface OrderLatencySample {
  readonly exchange: string;
  readonly symbol: string;
  /** Local time the request left. */
  readonly reqTs: Micros;
  /** Exchange time the order was processed. */
  readonly exchTs: Micros;
  /** Local time the response arrived. */
  readonly respTs: Micros;
}
