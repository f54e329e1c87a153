import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunConfig } from '../packages/runner/src/cli/run-config.js';
import { tempDir } from './support/tick-store.js';

// `botp init` as a user runs it (the built CLI), then the generated project's own README
// commands. Offline: instead of `npm install`, the project's node_modules link to this
// monorepo's installed packages (the npm install from vendor/ is checked by hand: see the
// init README section).
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/runner/dist/cli/bin.js');
const tmp = tempDir();
const project = join(tmp.dir, 'my-bot');

/** The environment for child processes: npm offline, no colours, no leftovers of the vitest running us. */
const env = Object.fromEntries(
  Object.entries({
    ...process.env,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    NO_COLOR: '1',
  }).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR'),
);

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const botp = (...args: string[]) => run(process.execPath, [cli, ...args], tmp.dir);
const npm = (...args: string[]) => run('npm', args, project);

/**
 * What `npm install` would give the project, from what this monorepo has installed: the
 * packages it imports, and shims in node_modules/.bin for the commands its scripts call.
 */
function linkDependencies(dir: string): void {
  const links: Record<string, string> = {
    '@botplatform/sdk': join(root, 'packages/sdk'),
    '@botplatform/runner': join(root, 'packages/runner'),
  };
  for (const name of ['pino', 'typescript', 'vitest', '@types/node'])
    links[name] = realpathSync(join(root, 'node_modules', name));
  for (const [name, target] of Object.entries(links)) {
    const at = join(dir, 'node_modules', name);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(target, at, 'dir');
  }
  const bins: Record<string, string> = {
    botp: join(root, 'packages/runner/dist/cli/bin.js'),
    tsc: join(links.typescript!, 'bin/tsc'),
    vitest: join(links.vitest!, 'vitest.mjs'),
  };
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  for (const [name, target] of Object.entries(bins)) {
    const shim = join(dir, 'node_modules/.bin', name);
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`);
    chmodSync(shim, 0o755);
  }
}

beforeAll(() => {
  expect(existsSync(cli), 'build the CLI first: pnpm build').toBe(true);
});
afterAll(() => tmp.cleanup());

describe('botp init', () => {
  it('creates a project that vendors @botplatform/* and names its next steps', () => {
    const r = botp('init', 'my-bot');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created my-bot in .*my-bot \(@botplatform\/\* [\d.]+ packed into vendor\/\):/);
    expect(r.stdout).toContain('npm install && npm run demo');
    for (const f of [
      'package.json',
      'README.md',
      'botp.config.json',
      'tsconfig.json',
      '.gitignore',
      'src/strategy.ts',
      'test/strategy.test.ts',
      'data/.gitkeep',
    ])
      expect(existsSync(join(project, f)), f).toBe(true);

    const vendor = readdirSync(join(project, 'vendor')).sort();
    expect(vendor.map((f) => f.replace(/-[\d.]+\.tgz$/, ''))).toEqual([
      'botplatform-exchanges',
      'botplatform-runner',
      'botplatform-sdk',
      'botplatform-sim',
    ]);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@botplatform/sdk']).toMatch(/^file:vendor\/botplatform-sdk-[\d.]+\.tgz$/);
    expect(pkg.dependencies['@botplatform/runner']).toMatch(/^file:vendor\/botplatform-runner-[\d.]+\.tgz$/);
    // Every @botplatform name resolves to a vendored file, for npm and pnpm alike.
    expect(Object.keys(pkg.overrides).sort()).toEqual([
      '@botplatform/exchanges',
      '@botplatform/runner',
      '@botplatform/sdk',
      '@botplatform/sim',
    ]);
    for (const spec of Object.values(pkg.pnpm.overrides)) {
      const file = String(spec).replace(/^file:/, '');
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    expect(readRunConfig(join(project, 'botp.config.json')).risk).toBeDefined();
  });

  it("passes its README's two commands: the demo backtest and the tests", () => {
    linkDependencies(project);
    const demo = npm('run', 'demo');
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/wrote [\d,]+ events \(2 min of BTCUSDT/);
    expect(demo.stdout).toMatch(/strategy\s+my-bot/);
    const summary = JSON.parse(readFileSync(join(project, 'runs/demo/summary.json'), 'utf8'));
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.orders_rejected).toBe(0);

    const test = npm('test');
    expect(test.code, `${test.stdout}\n${test.stderr}`).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+\d+ passed/);

    const typecheck = npm('run', 'typecheck');
    expect(typecheck.code, typecheck.stdout).toBe(0);
  }, 180_000);

  it('refuses, with one line and exit 2: a non-empty directory, a bad name, a bad version', () => {
    const cases: Array<[string[], RegExp]> = [
      [['init', 'my-bot'], /^botp: my-bot is not empty \(.*\); choose a new directory, or add --force/],
      [['init', 'other', '--name', 'Not Valid'], /^botp: --name "Not Valid" is not a valid package name/],
      [['init', 'other', '--sdk-version', 'next'], /^botp: --sdk-version next is not a version/],
    ];
    for (const [args, message] of cases) {
      const r = botp(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(tmp.dir, 'other'))).toBe(false);
  });

  it('--force rewrites the project in place; --sdk-version depends on the registry instead', () => {
    writeFileSync(join(project, 'src/strategy.ts'), '// edited\n');
    const r = botp('init', 'my-bot', '--force', '--sdk-version', '^0.2.0');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(project, 'src/strategy.ts'), 'utf8')).toContain('defineStrategy');
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.dependencies['@botplatform/sdk']).toBe('^0.2.0');
    expect(pkg).not.toHaveProperty('overrides');
    expect(readdirSync(join(project, 'vendor'))).toEqual([]);
  });
});
