import { type DependencyPlan, dependencySpecs, VENDOR_DIR } from '../dependency-plan.js';
import { TOOL_VERSIONS } from './tool-versions.js';

export interface PackageJsonInputs {
  readonly name: string;
  readonly plan: DependencyPlan;
  /** pino's version: the runner's own, so the test's logger is the one runBacktest expects. */
  readonly pinoVersion: string;
}

const DATA = 'botp data synth --out data/demo.duckdb --minutes 2 --force';
/** Strategy, data, models and risk come from botp.config.json in the project folder. */
const BACKTEST = 'botp backtest';

/** The generated project's `package.json`. */
export function packageJsonTemplate({ name, plan, pinoVersion }: PackageJsonInputs): string {
  const specs = dependencySpecs(plan);
  const vendored = plan.kind === 'vendored';
  const version = vendored ? plan.packages.find((p) => p.name === '@botplatform/sdk')?.version : plan.version;
  const pkg: Record<string, unknown> = {
    name,
    version: '0.1.0',
    private: true,
    description: `${name}: a BotPlatform trading strategy`,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      demo: `${DATA} && ${BACKTEST} --out runs/demo`,
      data: DATA,
      backtest: BACKTEST,
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
    },
    ...(vendored
      ? {
          '//': [
            `@botplatform/* ${version} is not on the npm registry yet: ${VENDOR_DIR}/ holds the packages as botp init packed them from a BotPlatform checkout; commit it with the project.`,
            `Once @botplatform/* is published: set @botplatform/runner and @botplatform/sdk below to a version (e.g. "^${version}"), delete the @botplatform entries of "overrides" and "pnpm.overrides" and the ${VENDOR_DIR}/ folder, then reinstall (rm -rf node_modules package-lock.json && npm install). botp init --sdk-version <version> writes that form.`,
          ],
        }
      : {}),
    dependencies: { ...specs.dependencies, pino: pinoVersion },
    devDependencies: { ...TOOL_VERSIONS },
    ...(specs.npmOverrides ? { overrides: specs.npmOverrides } : {}),
    pnpm: {
      ...(specs.pnpmOverrides ? { overrides: specs.pnpmOverrides } : {}),
      // esbuild (under tsx and vitest) ships its binary as a package; its install script only checks it.
      onlyBuiltDependencies: ['esbuild'],
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
