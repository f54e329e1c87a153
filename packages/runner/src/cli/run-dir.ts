import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { LoadedRunConfig } from './run-config.js';

/**
 * `runs/<strategy>-<UTC timestamp>` (the config's `runsDir` instead of `runs`), e.g.
 * runs/obi-scalper-20261122T071502Z; a suffix keeps two runs in the same second apart.
 */
export function defaultRunDir(loaded: LoadedRunConfig, strategy: string, now = new Date()): string {
  const runsDir = loaded.config.runsDir;
  const base = runsDir === undefined ? 'runs' : isAbsolute(runsDir) ? runsDir : resolve(loaded.dir, runsDir);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const name = `${strategy.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp}`;
  let dir = join(base, name);
  for (let i = 2; existsSync(dir); i++) dir = join(base, `${name}-${i}`);
  return dir;
}
