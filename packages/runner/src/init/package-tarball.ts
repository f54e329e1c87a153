import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { InstalledPackage, PackageManifest } from './installed-packages.js';
import { tarGz } from './tar-gz.js';

/** A package packed for `vendor/`: what `npm pack` would produce after `workspace:` specs are resolved. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** e.g. `botplatform-sdk-0.1.0.tgz` (npm pack's naming). */
  readonly fileName: string;
  readonly data: Buffer;
}

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
/** Build caches that sit in dist/ but are no use to an installed package. */
const SKIP_FILE = /(^|\/)(\.DS_Store|[^/]*\.tsbuildinfo)$/;

export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * Packs an installed package as its registry tarball would be: the manifest's `files` plus
 * package.json and any README/LICENSE, under `package/`. Dependencies on sibling packages
 * (`workspace:*`, which only pnpm inside the monorepo understands) become the exact version
 * packed next to it.
 */
export function packPackage(pkg: InstalledPackage, versions: ReadonlyMap<string, string>): PackedPackage {
  const { name, version } = pkg.manifest;
  const manifest = publishManifest(pkg.manifest, versions);
  const entries = [
    { path: 'package/package.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    ...packageFiles(pkg.dir, pkg.manifest).map((rel) => ({
      path: `package/${rel}`,
      data: readFileSync(join(pkg.dir, rel)),
    })),
  ];
  return { name, version, fileName: tarballName(name, version), data: tarGz(entries) };
}

/** The manifest as published: `workspace:` specs resolved, dev-only fields dropped. */
export function publishManifest(
  manifest: PackageManifest,
  versions: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...manifest };
  delete out.devDependencies;
  for (const field of DEPENDENCY_FIELDS) {
    const deps = manifest[field] as Record<string, string> | undefined;
    if (!deps) continue;
    out[field] = Object.fromEntries(
      Object.entries(deps).map(([dep, spec]) => {
        if (!spec.startsWith('workspace:')) return [dep, spec];
        const v = versions.get(dep);
        if (v === undefined) throw new Error(`${manifest.name}: no packed version for ${dep} (${spec})`);
        return [dep, v];
      }),
    );
  }
  return out;
}

/** Relative `/`-separated paths of the files a publish would include (sorted, so tarballs are reproducible). */
export function packageFiles(dir: string, manifest: PackageManifest): string[] {
  const files = new Set<string>();
  const walk = (rel: string): void => {
    const abs = join(dir, rel);
    if (statSync(abs).isDirectory()) {
      for (const child of readdirSync(abs)) walk(posix.join(rel, child));
    } else if (!SKIP_FILE.test(rel)) {
      files.add(rel);
    }
  };
  for (const entry of manifest.files ?? []) {
    if (/[*?[\]{}!]/.test(entry))
      throw new Error(`${manifest.name}: "files" globs are not supported (${entry})`);
    const rel = posix.normalize(entry).replace(/^\.\/|\/$/g, '');
    if (existsSync(join(dir, rel))) walk(rel);
  }
  for (const f of readdirSync(dir)) if (/^(readme|license|licence)(\.|$)/i.test(f)) files.add(f);
  files.delete('package.json');
  return [...files].sort();
}
