/**
 * Dev tools of the generated project, at the versions this monorepo is tested with
 * (tool-versions.test.ts keeps them in step with the root package.json).
 */
export const TOOL_VERSIONS = {
  '@types/node': '20.19.43',
  typescript: '5.9.3',
  vitest: '4.1.12',
} as const;

/** pino, for the test's silent logger, when the runner's own manifest does not name a version. */
export const FALLBACK_PINO_VERSION = '10.4.0';
