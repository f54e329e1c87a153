import type { JsonValue } from '@botplatform/sdk';
import { z } from 'zod';
import type { SavedSignal } from './signals-engine.js';

/**
 * What a strategy needs to resume where it stopped: its `ctx.state` (legs included, as the
 * strategy stores them there) and the state of every signal it bound through `ctx.signals`.
 * Positions and open orders are not in it: they belong to the exchange (and the run's
 * portfolio), which a restart reconciles with instead.
 */
export interface StrategySnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly strategy: string;
  /** Local time the snapshot was taken, µs. */
  readonly ts: number;
  readonly state: Record<string, JsonValue>;
  readonly signals: readonly SavedSignal[];
}

export const SNAPSHOT_VERSION = 1;

const json: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

/** Validates a snapshot read from outside (a state file); the message names what is wrong. */
export const strategySnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION, {
    error: `unsupported strategy snapshot version (this botp reads version ${SNAPSHOT_VERSION})`,
  }),
  strategy: z.string(),
  ts: z.number(),
  state: z.record(z.string(), json),
  signals: z.array(
    z.object({
      feed: z.enum(['book', 'trade', 'openInterest', 'sampled']),
      sym: z.number().int().min(0),
      state: json,
      next: z.number().optional(),
    }),
  ),
});
