import { formatMicros, type Micros } from '@botplatform/sdk';

/** A strategy callback threw: the run stops and the user sees which callback, when, and why. */
export class StrategyError extends Error {
  constructor(
    readonly strategy: string,
    readonly callback: string,
    readonly ts: Micros,
    override readonly cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`strategy ${strategy} threw in ${callback} at ${formatMicros(ts)}: ${why}`);
    this.name = 'StrategyError';
  }
}
