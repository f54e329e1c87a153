import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { riskConfigSchema } from '@botplatform/sdk';
import { z } from 'zod';
import { UserError } from './user-error.js';

/** Files `botp backtest` picks up from the working directory when no --config is given. */
export const DEFAULT_CONFIG_FILES = ['botp.config.json', 'botp.config.ts'] as const;

const time = z.union([z.string().min(1), z.number().int()]);

/**
 * A run's config file: everything about a run in one place, the same in backtest and live.
 * Strict: a misspelt key is an error, not silently ignored. Command-line flags override it
 * key by key (`--params` merges over `params`). Paths are relative to the config file.
 */
export const runConfigSchema = z.strictObject({
  /** The strategy module (.ts or .js). */
  strategy: z.string().min(1).optional(),
  /** Tick store to replay. */
  data: z.string().min(1).optional(),
  /** Symbols to load (default: all in the data). */
  symbols: z.array(z.string().min(1)).min(1).optional(),
  /** Start and end (exclusive): ISO-8601 or µs since the epoch. */
  from: time.optional(),
  to: time.optional(),
  /** Simulation models, as the --latency / --queue / --fills flags. */
  latency: z.string().min(1).optional(),
  queue: z.string().min(1).optional(),
  fills: z.enum(['partial', 'full']).optional(),
  /** Strategy params (validated against the strategy's own schema). */
  params: z.record(z.string(), z.unknown()).optional(),
  /** Pre-trade risk limits; absent = only the exchange's own filters. */
  risk: riskConfigSchema.optional(),
  /** Capital returns and drawdown % are measured on (default: the largest exposure held). */
  capital: z.number().positive().optional(),
  /** Folder the run folders go to when --out is not given (default: runs). */
  runsDir: z.string().min(1).optional(),
  /**
   * Sampling of the run store's series, ms: best bid/ask (default 100; 0 = every book update,
   * tick level, for short runs) and equity (default 1000; also at every fill).
   */
  sampling: z
    .strictObject({ priceMs: z.number().min(0).optional(), equityMs: z.number().positive().optional() })
    .optional(),
});

export type RunConfig = z.output<typeof runConfigSchema>;

/** A config with where it came from (paths in it are resolved against `dir`). */
export interface LoadedRunConfig {
  readonly config: RunConfig;
  /** The file, or undefined when none was given or found. */
  readonly path: string | undefined;
  readonly dir: string;
}

/**
 * Loads the run config: `--config <file>` (JSON, or a .ts/.js module default-exporting the
 * object), else botp.config.json / botp.config.ts in the working directory, else empty.
 * Every problem is named by its key path in one message.
 */
export async function loadRunConfig(path: string | undefined, cwd = process.cwd()): Promise<LoadedRunConfig> {
  const file = path ?? DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (file === undefined) return { config: {}, path: undefined, dir: cwd };
  if (!existsSync(file))
    throw new UserError(
      `config file ${file} not found; pass a JSON file such as {"risk": {"maxOpenOrders": 10}}`,
    );
  const raw = await readConfigValue(file);
  return { config: validate(file, raw), path: file, dir: dirname(resolve(file)) };
}

/** Synchronous form for JSON files (tests, examples). */
export function readRunConfig(path: string | undefined): RunConfig {
  if (path === undefined) return {};
  if (!existsSync(path))
    throw new UserError(
      `config file ${path} not found; pass a JSON file such as {"risk": {"maxOpenOrders": 10}}`,
    );
  return validate(path, parseJson(path));
}

async function readConfigValue(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.json') return parseJson(file);
  if (!['.ts', '.mts', '.js', '.mjs'].includes(ext))
    throw new UserError(`config file ${file} has extension "${ext}"; use botp.config.json or botp.config.ts`);
  try {
    const { tsImport } = await import('tsx/esm/api');
    const mod = (await tsImport(pathToFileURL(resolve(file)).href, import.meta.url)) as { default?: unknown };
    const value = mod.default as { default?: unknown } | undefined;
    return value !== null && typeof value === 'object' && 'default' in value ? value.default : value;
  } catch (err) {
    throw new UserError(
      `could not load config file ${file}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
    );
  }
}

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`config file ${file} is not valid JSON (${(err as Error).message})`);
  }
}

function validate(file: string, raw: unknown): RunConfig {
  if (raw === undefined)
    throw new UserError(`config file ${file} has no default export; end it with \`export default { ... }\``);
  const r = runConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new UserError(
    `config file ${file} is invalid: ${problems.join('; ')}; see the README's "Run config" section`,
  );
}
