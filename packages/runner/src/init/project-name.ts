import { basename } from 'node:path';
import { UserError } from '../cli/user-error.js';
import { SCOPE } from './installed-packages.js';

/** npm's rule for new package names: lowercase, URL-safe, optionally scoped, at most 214 characters. */
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Checks a project name given with --name; it names the npm package and the strategy. */
export function validateProjectName(name: string): string {
  if (name.length > 214 || !NPM_NAME.test(name)) {
    throw new UserError(
      `--name ${JSON.stringify(name)} is not a valid package name; use lowercase letters, digits and - . _ ~ (e.g. --name my-strategy)`,
    );
  }
  if (name.startsWith(SCOPE)) {
    throw new UserError(
      `--name ${name} is in the ${SCOPE.slice(0, -1)} scope, which the project depends on; choose another name (e.g. --name my-strategy)`,
    );
  }
  return name;
}

/** The default name: the directory's name made npm-safe ("My Bot" → "my-bot"). */
export function projectNameFromDir(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[-._~]+|[-._~]+$/g, '')
    .slice(0, 214);
  if (!NPM_NAME.test(name)) {
    throw new UserError(
      `cannot make a package name from the directory name "${basename(dir)}"; pass one with --name (e.g. --name my-strategy)`,
    );
  }
  return name;
}

/** The name without its scope: the part usable in file names. */
export function unscopedName(name: string): string {
  return name.replace(/^@[^/]+\//, '');
}
