import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { US_PER_MINUTE } from '@botplatform/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { writeSyntheticDataset } from '../../data/synthetic/write-synthetic.js';
import { UserError } from '../user-error.js';
import { registerDataInfoCommand } from './data-info.js';
import { registerDataVerifyCommand } from './data-verify.js';

interface SynthFlags {
  out: string;
  seed: number;
  minutes: number;
  symbol: string;
  force?: boolean;
}

export function registerDataCommand(program: Command): void {
  const data = program.command('data').description('inspect and create tick stores');
  registerDataInfoCommand(data);
  registerDataVerifyCommand(data);
  data
    .command('synth')
    .description('write a deterministic synthetic perpetual-futures market into a new tick store')
    .requiredOption('--out <file.duckdb>', 'tick store to create')
    .option('--seed <n>', 'PRNG seed (same seed, same data)', int('--seed'), 42)
    .option('--minutes <m>', 'length of the market in minutes', positive('--minutes'), 5)
    .option('--symbol <symbol>', 'symbol name', 'BTCUSDT')
    .option('--force', 'replace --out if it exists')
    .action(async (flags: SynthFlags) => {
      if (existsSync(flags.out) && !flags.force) {
        throw new UserError(`${flags.out} already exists; choose another --out or add --force to replace it`);
      }
      if (flags.force) {
        rmSync(flags.out, { force: true });
        rmSync(`${flags.out}.wal`, { force: true });
      }
      mkdirSync(dirname(resolve(flags.out)), { recursive: true });
      const started = performance.now();
      const { events } = await writeSyntheticDataset(flags.out, {
        seed: flags.seed,
        durationUs: Math.round(flags.minutes * US_PER_MINUTE),
        symbol: flags.symbol,
      });
      const s = (performance.now() - started) / 1000;
      process.stdout.write(
        `wrote ${events.toLocaleString('en-US')} events (${flags.minutes} min of ${flags.symbol}, seed ${flags.seed}) to ${flags.out} in ${s.toFixed(1)} s\n`,
      );
    });
}

function int(flag: string) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`${flag} must be an integer`);
    return Number(v);
  };
}

function positive(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!(n > 0)) throw new InvalidArgumentError(`${flag} must be a positive number`);
    return n;
  };
}
