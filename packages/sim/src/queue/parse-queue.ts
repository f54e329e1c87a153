import { PROB_LOG_QUEUE_HELP, PROB_POWER_QUEUE_HELP, ProbLogQueue, ProbPowerQueue } from './prob-queue.js';
import type { QueueModel } from './queue-model.js';
import { RISK_AVERSE_QUEUE_HELP, RiskAverseQueue } from './risk-averse-queue.js';

/** The spec forms `parseQueueSpec` accepts, for error messages. */
export const QUEUE_SPEC_FORMS = 'risk-averse, prob-power:<n> (n > 0, e.g. prob-power:2), prob-log';

/** `--queue` help: every form with its formula, one line each. */
export const QUEUE_HELP = [RISK_AVERSE_QUEUE_HELP, PROB_POWER_QUEUE_HELP, PROB_LOG_QUEUE_HELP].join('\n');

const PROB_POWER = /^prob-power:(\d+(?:\.\d+)?)$/;

/**
 * Builds a queue-position model from its spec string (a CLI flag or config value):
 *
 *   risk-averse      {@link RiskAverseQueue}
 *   prob-power:<n>   {@link ProbPowerQueue}, f(x) = xⁿ (n a decimal > 0)
 *   prob-log         {@link ProbLogQueue},   f(x) = ln(1 + x)
 *
 * Anything else throws an Error naming the spec and the accepted forms.
 */
export function parseQueueSpec(spec: string): QueueModel {
  const s = spec.trim();
  if (s === 'risk-averse') return new RiskAverseQueue();
  if (s === 'prob-log') return new ProbLogQueue();
  const m = PROB_POWER.exec(s);
  if (m !== null) {
    const n = Number(m[1]);
    if (n > 0 && Number.isFinite(n)) return new ProbPowerQueue(n);
  }
  const why = s.startsWith('prob-power') ? 'invalid' : 'unknown';
  throw new Error(`${why} queue model "${spec}": accepted forms are ${QUEUE_SPEC_FORMS}`);
}
