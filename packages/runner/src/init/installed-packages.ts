import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../cli/user-error.js';
import { DIRECT_DEPENDENCIES } from './dependency-plan.js';

/** The fields of a package.json that init reads and rewrites. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly main?: string;
  readonly files?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** One installed `@botplatform/*` package: its real directory and its manifest. */
export interface InstalledPackage {
  readonly dir: string;
  readonly manifest: PackageManifest;
}

export const SCOPE = '@botplatform/';

/** This runner's own package root: two levels above this file in `src/init/` and in `dist/init/` alike. */
export function runnerRoot(): string {
  return realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
}

/**
 * The runner and every `@botplatform/*` package it needs, found the way Node would resolve
 * them from each dependent (so it works from the monorepo's pnpm layout and from an npm
 * install of the vendored tarballs alike). Each must be built: a tarball of an unbuilt
 * package would install but not import.
 */
export function findBotplatformPackages(roots: readonly string[] = DIRECT_DEPENDENCIES): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const queue: Array<[name: string, fromDir: string]> = [];
  const add = (pkg: InstalledPackage): void => {
    found.set(pkg.manifest.name, pkg);
    for (const dep of Object.keys(pkg.manifest.dependencies ?? {}))
      if (dep.startsWith(SCOPE)) queue.push([dep, pkg.dir]);
  };
  const runner = readPackage(runnerRoot());
  add(runner);
  for (const name of roots) queue.push([name, runner.dir]);
  for (let item = queue.shift(); item; item = queue.shift()) {
    const [name, fromDir] = item;
    if (!found.has(name)) add(readPackage(locate(name, fromDir)));
  }
  const all = [...found.values()].sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
  for (const pkg of all) assertBuilt(pkg);
  return all;
}

/** Node's lookup path for `name` as seen from the package in `fromDir`. */
function locate(name: string, fromDir: string): string {
  const paths = createRequire(join(fromDir, 'package.json')).resolve.paths(name) ?? [];
  for (const p of paths) {
    const dir = join(p, name);
    if (existsSync(join(dir, 'package.json'))) return realpathSync(dir);
  }
  throw new UserError(
    `${name} is not installed next to ${fromDir}; run the BotPlatform checkout's install (npx -y pnpm@10.34.8 install) and build, then botp init again`,
  );
}

export function readPackage(dir: string): InstalledPackage {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
  return { dir, manifest };
}

function assertBuilt(pkg: InstalledPackage): void {
  const main = pkg.manifest.main ?? 'index.js';
  if (!existsSync(join(pkg.dir, main))) {
    throw new UserError(
      `${pkg.manifest.name} in ${pkg.dir} is not built (${main} is missing); run npx -y pnpm@10.34.8 build in the BotPlatform checkout, then botp init again`,
    );
  }
}
