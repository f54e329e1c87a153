import type { Micros } from '@botplatform/sdk';

/** A stretch of a stream the recorder lost (disconnect, sequence gap); stored in `gaps`. */
export interface Gap {
  readonly exchange: string;
  readonly symbol: string;
  /** The stream that lost data, e.g. 'depth', 'trade'. */
  readonly stream: string;
  readonly fromTs: Micros;
  readonly toTs: Micros;
  readonly reason: string;
}
