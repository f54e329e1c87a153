import { existsSync, readFileSync } from 'node:fs';
import { riskConfigSchema } from '@botplatform/sdk';
import { z } from 'zod';
import { UserError } from './user-error.js';

/**
 * A run's config file (`--config file.json`): settings of the platform around the strategy,
 * the same in backtest and live. Strict: a misspelt key is an error, not silently ignored.
 */
export const runConfigSchema = z.strictObject({
  /** Pre-trade risk limits; absent = only the exchange's own filters. */
  risk: riskConfigSchema.optional(),
});

export type RunConfig = z.output<typeof runConfigSchema>;

/** Reads and validates a config file; every problem is named by its path in one message. */
export function readRunConfig(path: string | undefined): RunConfig {
  if (path === undefined) return {};
  if (!existsSync(path))
    throw new UserError(
      `config file ${path} not found; pass a JSON file such as {"risk": {"maxOpenOrders": 10}}`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`config file ${path} is not valid JSON (${(err as Error).message})`);
  }
  const r = runConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new UserError(
    `config file ${path} is invalid: ${problems.join('; ')}; see the README's "Run config" section`,
  );
}
