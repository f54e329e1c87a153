import type { Command } from 'commander';
import { initProject } from '../../init/init-project.js';

interface InitFlags {
  name?: string;
  force?: boolean;
  sdkVersion?: string;
}

/** `botp init <dir>`: a new strategy project that installs and backtests with npm or pnpm. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('create a strategy project: strategy, backtest test, run config, README')
    .argument('<dir>', 'directory to create (must be empty unless --force)')
    .option('--name <name>', 'package and strategy name (default: the directory name)')
    .option(
      '--sdk-version <version>',
      'depend on published @botplatform/* at this version instead of vendoring this checkout',
    )
    .option('--force', "write into a non-empty directory, replacing the project's files there")
    .action((dir: string, flags: InitFlags) => {
      const result = initProject({
        dir,
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        ...(flags.sdkVersion !== undefined ? { sdkVersion: flags.sdkVersion } : {}),
        force: flags.force ?? false,
      });
      const from =
        result.plan.kind === 'vendored'
          ? `@botplatform/* ${result.plan.packages[0]?.version ?? ''} packed into vendor/`
          : `@botplatform/* ${result.plan.version} from the npm registry`;
      const lines = [
        `created ${result.name} in ${result.dir} (${from}):`,
        ...result.files.map((f) => `  ${f}`),
        '',
        'next:',
        `  cd ${dir}`,
        '  npm install && npm run demo    # install, generate 2 min of data, backtest',
        '  npm test                       # backtest the strategy in its test',
        '',
      ];
      process.stdout.write(lines.join('\n'));
    });
}
