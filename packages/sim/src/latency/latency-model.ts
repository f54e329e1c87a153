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
 * x + response. Both must return a whole number of µs ≥ 0 and be deterministic.
 *
 * Stateful models (the recorded one keeps a cursor into its samples) are fastest when each
 * method is called with nondecreasing times, as a replay does; any order is still correct.
 */
export interface LatencyModel {
  /** Delay from sending a command at local time `localTs` to its arrival at the exchange. */
  entry(localTs: number, feedLatencyUs: number): number;
  /** Delay from a report produced at exchange time `exchTs` to its arrival at the strategy. */
  response(exchTs: number, feedLatencyUs: number): number;
  /**
   * Exchange-side rejections that are part of the latency record (an overloaded exchange
   * refusing requests): for a request sent at local time `localTs`, the round trip in µs after
   * which the strategy hears that it was rejected, or undefined when the request goes through.
   * A rejected request never reaches the matching engine. Models without a record omit it.
   */
  rejection?(localTs: number): number | undefined;
}
