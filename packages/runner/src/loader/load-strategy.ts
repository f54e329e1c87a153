import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isStrategyDefinition, type StrategyDefinition } from '@botplatform/sdk';
import { UserError } from '../cli/user-error.js';

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);
const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

/**
 * Loads a user's strategy module: `.ts` runs as is (compiled in memory by tsx, no build step),
 * `.js` is imported natively. The default export must be a `defineStrategy(...)` result.
 */
export async function loadStrategy(path: string): Promise<StrategyDefinition> {
  const file = resolve(path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UserError(
      `strategy module ${path} not found; pass the path to a .ts or .js file that default-exports defineStrategy({...})`,
    );
  }
  const ext = extname(file);
  if (!TS_EXTENSIONS.has(ext) && !JS_EXTENSIONS.has(ext)) {
    throw new UserError(`strategy module ${path} has extension "${ext}"; use a .ts or .js file`);
  }
  let mod: { default?: unknown };
  try {
    if (TS_EXTENSIONS.has(ext)) {
      const { tsImport } = await import('tsx/esm/api');
      mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
    } else {
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    }
  } catch (err) {
    const msg = firstUsefulLine(err instanceof Error ? err.message : String(err));
    const hint = /@botplatform\/sdk/.test(msg ?? '')
      ? ' (install the SDK where the strategy lives: npm install @botplatform/sdk)'
      : '';
    throw new UserError(`could not load strategy module ${path}: ${msg}${hint}`);
  }
  // tsx may wrap a CommonJS-style default in another default.
  let def = mod.default;
  if (!isStrategyDefinition(def) && isObject(def) && isStrategyDefinition(def.default)) def = def.default;
  if (!isStrategyDefinition(def)) {
    throw new UserError(
      `strategy module ${path} does not default-export a strategy; end it with \`export default defineStrategy({ name, params, create })\` (from '@botplatform/sdk')`,
    );
  }
  return def;
}

/** The compiler's own error line (file:line:col: ERROR: …) rather than its "Transform failed" preamble. */
function firstUsefulLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /ERROR:/.test(l)) ?? lines[0] ?? message;
}

function isObject(v: unknown): v is { default?: unknown } {
  return typeof v === 'object' && v !== null;
}
