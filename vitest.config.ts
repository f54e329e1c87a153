import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the TypeScript sources so no build is needed between edit and test;
// the CLI end-to-end tests spawn the built `botp` (the `test` script builds first).
export default defineConfig({
  resolve: {
    alias: {
      '@botplatform/sdk': src('./packages/sdk/src/index.ts'),
      '@botplatform/sim': src('./packages/sim/src/index.ts'),
      '@botplatform/exchanges': src('./packages/exchanges/src/index.ts'),
      '@botplatform/runner': src('./packages/runner/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});
