import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real exchange captures (ccxt/, tardis/; sources and licences in their README). The
 * project's shared folder (`../shared/fixtures` beside the repository) is the original; a clone
 * elsewhere — CI's, a user's — reads the copy in test/fixtures/shared, kept with each folder's
 * licence file. Either way the tests that use them always run: a missing capture is a failure,
 * never a skip.
 */
export const SHARED_FIXTURES =
  [resolve(REPO_ROOT, '../shared/fixtures'), resolve(REPO_ROOT, 'test/fixtures/shared')].find((dir) =>
    existsSync(resolve(dir, 'ccxt/binance.json')),
  ) ?? resolve(REPO_ROOT, 'test/fixtures/shared');

/** A capture file's path, e.g. `fixture('ccxt/binance.json')`. */
export function fixture(relative: string): string {
  return resolve(SHARED_FIXTURES, relative);
}
