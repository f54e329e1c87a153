import type { QueueModel } from './queue-model.js';
import { RiskAverseQueue } from './risk-averse-queue.js';

/** The spec forms `parseQueueSpec` accepts, for error messages and `--help`. */
export const QUEUE_SPEC_FORMS = 'risk-averse';

/**
 * Builds a queue-position model from its spec string (a CLI flag or config value):
 *
 *   risk-averse   {@link RiskAverseQueue}
 *
 * Anything else throws an Error naming the spec and the accepted forms.
 */
export function parseQueueSpec(spec: string): QueueModel {
  if (spec.trim() === 'risk-averse') return new RiskAverseQueue();
  throw new Error(`unknown queue model "${spec}": accepted forms are ${QUEUE_SPEC_FORMS}`);
}
