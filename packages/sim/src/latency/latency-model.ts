/**
 * Order latency, in µs, hftbacktest style. Two legs, each a function of when it starts and
 * of the feed latency observed at that moment (`feedLatencyUs = localTs − exchTs` of the
 * latest market event; models that ignore it may):
 *
 *   arrival at the exchange  = localTs + entry(localTs, feedLatencyUs)
 *   arrival at the strategy  = exchTs  + response(exchTs, feedLatencyUs)
 *
 * An order sent at local time t reaches the exchange at t + entry; a report the exchange
 * produces at exchange time x (ack, fill, rejection, cancel) reaches the strategy at
 * x + response. Both must return a finite number ≥ 0 and be pure (deterministic).
 */
export interface LatencyModel {
  /** Delay from sending a command at local time `localTs` to its arrival at the exchange. */
  entry(localTs: number, feedLatencyUs: number): number;
  /** Delay from a report produced at exchange time `exchTs` to its arrival at the strategy. */
  response(exchTs: number, feedLatencyUs: number): number;
}
