import { existsSync, readdirSync, statSync } from 'node:fs';
import { UserError } from '../cli/user-error.js';

/** Entries a fresh project directory may already hold (a `git init` before `botp init`). */
const IGNORABLE = new Set(['.git', '.DS_Store']);

/** Refuses a target that is a file, or a non-empty directory unless `force`. */
export function checkTargetDir(dir: string, shownAs: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    throw new UserError(`${shownAs} exists and is not a directory; choose a new directory for the project`);
  }
  const entries = readdirSync(dir)
    .filter((e) => !IGNORABLE.has(e))
    .sort();
  if (entries.length > 0 && !force) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new UserError(
      `${shownAs} is not empty (${shown}); choose a new directory, or add --force to write the project's files into it (replacing files of the same name)`,
    );
  }
}
