import { describe, expect, it } from 'vitest';
import { dependencySpecs } from './dependency-plan.js';
import type { PackedPackage } from './package-tarball.js';

const packed = (name: string): PackedPackage => ({
  name: `@botplatform/${name}`,
  version: '0.1.0',
  fileName: `botplatform-${name}-0.1.0.tgz`,
  data: Buffer.alloc(0),
});

describe('dependency specs', () => {
  it('vendored: file: specs for the direct deps, every @botplatform name pinned for npm and pnpm', () => {
    const specs = dependencySpecs({
      kind: 'vendored',
      packages: ['exchanges', 'runner', 'sdk', 'sim'].map(packed),
    });
    expect(specs.dependencies).toEqual({
      '@botplatform/runner': 'file:vendor/botplatform-runner-0.1.0.tgz',
      '@botplatform/sdk': 'file:vendor/botplatform-sdk-0.1.0.tgz',
    });
    // npm wants direct dependencies overridden by reference; the rest point at their files.
    expect(specs.npmOverrides).toEqual({
      '@botplatform/exchanges': 'file:vendor/botplatform-exchanges-0.1.0.tgz',
      '@botplatform/runner': '$@botplatform/runner',
      '@botplatform/sdk': '$@botplatform/sdk',
      '@botplatform/sim': 'file:vendor/botplatform-sim-0.1.0.tgz',
    });
    expect(Object.values(specs.pnpmOverrides ?? {})).toEqual([
      'file:vendor/botplatform-exchanges-0.1.0.tgz',
      'file:vendor/botplatform-runner-0.1.0.tgz',
      'file:vendor/botplatform-sdk-0.1.0.tgz',
      'file:vendor/botplatform-sim-0.1.0.tgz',
    ]);
  });

  it('registry: published versions and no overrides', () => {
    expect(dependencySpecs({ kind: 'registry', version: '^0.2.0' })).toEqual({
      dependencies: { '@botplatform/runner': '^0.2.0', '@botplatform/sdk': '^0.2.0' },
    });
  });
});
