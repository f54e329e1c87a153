import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL_VERSIONS } from './tool-versions.js';

describe('generated projects use the tools this monorepo is tested with', () => {
  it('matches the root package.json', () => {
    const root = JSON.parse(
      readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8'),
    ) as {
      devDependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries(TOOL_VERSIONS))
      expect(root.devDependencies[name], name).toBe(version);
  });
});
