import type { PackedPackage } from './package-tarball.js';

/**
 * Where the generated project gets `@botplatform/*` from.
 *  - `vendored`: tarballs packed from this checkout into `vendor/` (the packages are not on the
 *    npm registry yet). Relative `file:` specs, so the project can be moved, committed and
 *    installed on another machine; `overrides` pin every `@botplatform/*` name, nested ones
 *    included, to those files, so no `@botplatform/*` name is ever looked up on the registry.
 *  - `registry`: published versions (`--sdk-version`), once they exist.
 */
export type DependencyPlan =
  | { readonly kind: 'vendored'; readonly packages: readonly PackedPackage[] }
  | { readonly kind: 'registry'; readonly version: string };

export const VENDOR_DIR = 'vendor';
/** What the project itself imports; the runner's own `@botplatform/*` dependencies come along. */
export const DIRECT_DEPENDENCIES = ['@botplatform/runner', '@botplatform/sdk'] as const;

export interface DependencySpecs {
  readonly dependencies: Record<string, string>;
  /** npm's `overrides`: the direct ones as `$name` references (npm requires that form for them). */
  readonly npmOverrides?: Record<string, string>;
  /** pnpm's `pnpm.overrides`: every vendored package by its file. */
  readonly pnpmOverrides?: Record<string, string>;
}

export function dependencySpecs(plan: DependencyPlan): DependencySpecs {
  if (plan.kind === 'registry') {
    return { dependencies: Object.fromEntries(DIRECT_DEPENDENCIES.map((n) => [n, plan.version])) };
  }
  const file = (name: string): string => {
    const pkg = plan.packages.find((p) => p.name === name);
    if (!pkg) throw new Error(`no vendored tarball for ${name}`);
    return `file:${VENDOR_DIR}/${pkg.fileName}`;
  };
  const direct: readonly string[] = DIRECT_DEPENDENCIES;
  const names = plan.packages.map((p) => p.name);
  return {
    dependencies: Object.fromEntries(direct.map((n) => [n, file(n)])),
    npmOverrides: Object.fromEntries(names.map((n) => [n, direct.includes(n) ? `$${n}` : file(n)])),
    pnpmOverrides: Object.fromEntries(names.map((n) => [n, file(n)])),
  };
}
