import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../cli/user-error.js';
import { type DependencyPlan, VENDOR_DIR } from './dependency-plan.js';
import { findBotplatformPackages, readPackage, runnerRoot } from './installed-packages.js';
import { packPackage } from './package-tarball.js';
import { projectNameFromDir, unscopedName, validateProjectName } from './project-name.js';
import { checkTargetDir } from './target-dir.js';
import { gitignoreTemplate } from './templates/gitignore-template.js';
import { packageJsonTemplate } from './templates/package-json-template.js';
import { readmeTemplate } from './templates/readme-template.js';
import { runConfigTemplate } from './templates/run-config-template.js';
import { strategyTemplate } from './templates/strategy-template.js';
import { strategyTestTemplate } from './templates/strategy-test-template.js';
import { FALLBACK_PINO_VERSION } from './templates/tool-versions.js';
import { tsconfigTemplate } from './templates/tsconfig-template.js';

export interface InitOptions {
  /** The project directory, as the user typed it (resolved against the working directory). */
  readonly dir: string;
  /** Package and strategy name; default: from the directory's name. */
  readonly name?: string;
  /** Write into a non-empty directory, replacing files of the same name. */
  readonly force?: boolean;
  /** Depend on published `@botplatform/*` at this version instead of vendoring this checkout's packages. */
  readonly sdkVersion?: string;
}

export interface InitResult {
  readonly dir: string;
  readonly name: string;
  readonly plan: DependencyPlan;
  /** Files written, relative to `dir`, `/`-separated. */
  readonly files: readonly string[];
}

/** A version or a caret/tilde range of one: what --sdk-version accepts. */
const VERSION = /^[~^]?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * Creates a strategy project: strategy, test, run config, tsconfig, README and package.json,
 * plus `vendor/` tarballs of `@botplatform/*` unless a published version is asked for.
 * Everything is computed before the first file is written, so a refusal leaves nothing behind.
 */
export function initProject(opts: InitOptions): InitResult {
  const dir = resolve(opts.dir);
  const name = opts.name !== undefined ? validateProjectName(opts.name) : projectNameFromDir(dir);
  if (opts.sdkVersion !== undefined && !VERSION.test(opts.sdkVersion)) {
    throw new UserError(
      `--sdk-version ${opts.sdkVersion} is not a version; pass one such as 0.2.0 or ^0.2.0`,
    );
  }
  checkTargetDir(dir, opts.dir, opts.force ?? false);

  const runner = readPackage(runnerRoot());
  const pinoVersion = runner.manifest.dependencies?.pino ?? FALLBACK_PINO_VERSION;
  const files = new Map<string, string | Buffer>();
  let plan: DependencyPlan;
  if (opts.sdkVersion !== undefined) {
    plan = { kind: 'registry', version: opts.sdkVersion };
  } else {
    const installed = findBotplatformPackages();
    const versions = new Map(installed.map((p) => [p.manifest.name, p.manifest.version]));
    const packages = installed.map((p) => packPackage(p, versions));
    for (const p of packages) files.set(`${VENDOR_DIR}/${p.fileName}`, p.data);
    plan = { kind: 'vendored', packages };
  }
  files.set('package.json', packageJsonTemplate({ name, plan, pinoVersion }));
  files.set('README.md', readmeTemplate(name, plan));
  files.set('botp.config.json', runConfigTemplate());
  files.set('tsconfig.json', tsconfigTemplate());
  files.set('.gitignore', gitignoreTemplate());
  // `botp data synth --out data/demo.duckdb` needs the folder; this keeps it in a fresh clone too.
  files.set('data/.gitkeep', '');
  files.set('src/strategy.ts', strategyTemplate(name));
  files.set('test/strategy.test.ts', strategyTestTemplate(name, unscopedName(name)));

  removeStaleTarballs(dir, files);
  for (const [rel, content] of files) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { dir, name, plan, files: [...files.keys()] };
}

/** With --force over an older project: tarballs of other versions would only confuse. */
function removeStaleTarballs(dir: string, files: ReadonlyMap<string, unknown>): void {
  let entries: string[];
  try {
    entries = readdirSync(join(dir, VENDOR_DIR));
  } catch {
    return;
  }
  for (const e of entries) {
    if (/^botplatform-.+\.tgz$/.test(e) && !files.has(`${VENDOR_DIR}/${e}`)) rmSync(join(dir, VENDOR_DIR, e));
  }
}
