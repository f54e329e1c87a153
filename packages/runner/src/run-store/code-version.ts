import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * `@botplatform/runner@<version>`, plus the git commit (and `-dirty` for uncommitted changes)
 * when the runner runs from a git checkout: enough to rebuild the exact code of a result.
 */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const pkgUrl = new URL('../../package.json', import.meta.url);
  const version = (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;
  let git = '';
  try {
    const cwd = fileURLToPath(new URL('.', pkgUrl));
    const opts = {
      cwd,
      encoding: 'utf8' as const,
      stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'],
    };
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    git = ` git ${commit}${dirty ? '-dirty' : ''}`;
  } catch {
    // not a git checkout (an installed package): the version alone
  }
  cached = `@botplatform/runner@${version}${git}`;
  return cached;
}
