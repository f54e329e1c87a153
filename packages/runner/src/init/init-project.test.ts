import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { riskConfigSchema } from '@botplatform/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { runConfigSchema } from '../cli/run-config.js';
import { UserError } from '../cli/user-error.js';
import { initProject } from './init-project.js';

// Registry mode (--sdk-version) needs no built packages; vendoring is covered end to end in
// test/init.e2e.test.ts, which runs the generated project.
const tmp = mkdtempSync(join(tmpdir(), 'botp-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const read = (...p: string[]) => readFileSync(join(tmp, ...p), 'utf8');

describe('initProject', () => {
  it('writes the project, named after its directory', () => {
    const r = initProject({ dir: join(tmp, 'My Bot'), sdkVersion: '^0.2.0' });
    expect(r.name).toBe('my-bot');
    expect([...r.files].sort()).toEqual([
      '.gitignore',
      'README.md',
      'botp.config.json',
      'data/.gitkeep',
      'package.json',
      'src/strategy.ts',
      'test/strategy.test.ts',
      'tsconfig.json',
    ]);
    const pkg = JSON.parse(read('My Bot', 'package.json'));
    expect(pkg).toMatchObject({ name: 'my-bot', private: true, type: 'module' });
    expect(pkg.dependencies).toMatchObject({ '@botplatform/runner': '^0.2.0', '@botplatform/sdk': '^0.2.0' });
    expect(pkg).not.toHaveProperty('overrides');
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['demo', 'test', 'backtest', 'data']));
    expect(read('My Bot', 'src/strategy.ts')).toContain("name: 'my-bot'");
    expect(read('My Bot', 'README.md')).toMatch(/npm install && npm run demo[\s\S]*npm test/);
    expect(existsSync(join(tmp, 'My Bot', 'vendor'))).toBe(false);
  });

  it('writes a run config the run-config schema accepts, naming the strategy and the data', () => {
    initProject({ dir: join(tmp, 'cfg'), sdkVersion: '0.2.0' });
    const config = JSON.parse(read('cfg', 'botp.config.json'));
    const parsed = runConfigSchema.safeParse(config);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ strategy: 'src/strategy.ts', data: 'data/demo.duckdb' });
    expect(riskConfigSchema.safeParse(config.risk).success).toBe(true);
  });

  it('takes --name for the package and the strategy', () => {
    initProject({ dir: join(tmp, 'named'), name: '@me/obi', sdkVersion: '0.2.0' });
    expect(JSON.parse(read('named', 'package.json')).name).toBe('@me/obi');
    expect(read('named', 'src/strategy.ts')).toContain("name: '@me/obi'");
    expect(read('named', 'test/strategy.test.ts')).toContain("'obi-test-'"); // temp-dir prefix without the scope
  });

  it('refuses a non-empty directory unless --force, and then leaves other files alone', () => {
    const dir = join(tmp, 'busy');
    mkdirSync(join(dir, 'vendor'), { recursive: true });
    writeFileSync(join(dir, 'notes.md'), 'mine');
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'vendor', 'botplatform-sdk-0.0.1.tgz'), '');
    expect(() => initProject({ dir, sdkVersion: '0.2.0' })).toThrow(
      /busy is not empty \(notes\.md, package\.json, vendor\); choose a new directory, or add --force/,
    );
    expect(read('busy', 'package.json')).toBe('{}'); // nothing written
    initProject({ dir, sdkVersion: '0.2.0', force: true });
    expect(read('busy', 'notes.md')).toBe('mine');
    expect(JSON.parse(read('busy', 'package.json')).name).toBe('busy');
    expect(existsSync(join(dir, 'vendor', 'botplatform-sdk-0.0.1.tgz'))).toBe(false); // no longer referenced
  });

  it('accepts a directory holding only .git', () => {
    mkdirSync(join(tmp, 'repo', '.git'), { recursive: true });
    expect(initProject({ dir: join(tmp, 'repo'), sdkVersion: '0.2.0' }).name).toBe('repo');
  });

  it('names each user mistake in one line', () => {
    writeFileSync(join(tmp, 'a-file'), '');
    const cases: Array<[Parameters<typeof initProject>[0], RegExp]> = [
      [{ dir: join(tmp, 'a-file') }, /exists and is not a directory/],
      [{ dir: join(tmp, 'x'), name: 'Bad Name' }, /is not a valid package name/],
      [
        { dir: join(tmp, 'x'), sdkVersion: 'latest' },
        /--sdk-version latest is not a version; pass one such as 0\.2\.0/,
      ],
      [{ dir: join(tmp, '!!!') }, /pass one with --name/],
    ];
    for (const [opts, message] of cases) {
      let err: unknown;
      try {
        initProject(opts);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(message);
      expect((err as UserError).message).not.toContain('\n');
      expect((err as UserError).exitCode).toBe(2);
    }
    expect(existsSync(join(tmp, 'x'))).toBe(false);
  });
});
