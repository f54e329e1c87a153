import { Command, CommanderError } from 'commander';
import { StrategyError } from '../kernel/strategy-error.js';
import { registerBacktestCommand } from './commands/backtest.js';
import { registerCompareCommand } from './commands/compare.js';
import { registerDataCommand } from './commands/data.js';
import { registerImportCommand } from './commands/import.js';
import { registerInitCommand } from './commands/init.js';
import { registerLiveCommand } from './commands/live.js';
import { registerRecordCommand } from './commands/record.js';
import { registerReportCommand } from './commands/report.js';
import { registerSimExchangeCommand } from './commands/sim-exchange.js';
import { UserError } from './user-error.js';

const program = new Command();
program
  .name('botp')
  .description('BotPlatform: backtest, record and run trading strategies on one event loop')
  .version('0.1.0')
  .showHelpAfterError('(run botp <command> --help for usage)')
  .exitOverride();
registerBacktestCommand(program);
registerLiveCommand(program);
registerImportCommand(program);
registerRecordCommand(program);
registerDataCommand(program);
registerReportCommand(program);
registerCompareCommand(program);
registerInitCommand(program);
registerSimExchangeCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}

/** One line for what the user can fix; the user's own stack for a strategy bug; a full trace only for our bugs. */
function report(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander already printed it
  if (err instanceof UserError) {
    process.stderr.write(`botp: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof StrategyError) {
    process.stderr.write(`botp: ${err.message}\n`);
    if (err.cause instanceof Error && err.cause.stack) process.stderr.write(`${err.cause.stack}\n`);
    return 1;
  }
  process.stderr.write(
    `botp: internal error (please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}
