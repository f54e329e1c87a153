// `pnpm demo`: makes sure the bundled dataset exists, then backtests the obi-scalper on it
// through the real CLI, exactly as a user would type it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = 'examples/data/demo.duckdb';

if (!existsSync(`${root}/${data}`)) {
  botp(['data', 'synth', '--out', data, '--seed', '42', '--minutes', '5']);
}
botp(['backtest', 'examples/obi-scalper/strategy.ts', '--data', data, '--out', 'runs/demo']);

const lines = readFileSync(`${root}/runs/demo/fills.csv`, 'utf8').trimEnd().split('\n');
console.log(`\n  first fills of ${lines.length - 1} (runs/demo/fills.csv):`);
for (const line of lines.slice(0, 8)) console.log(`    ${line}`);

function botp(args) {
  console.log(`$ botp ${args.join(' ')}`);
  const r = spawnSync(process.execPath, ['packages/runner/dist/cli/bin.js', ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
