// `pnpm bench [--minutes N]`: builds (once, cached in .bench/) a synthetic dataset, then runs
// side by side, one process each: (1) the raw DuckDB scan, (2) replay with no strategy (books
// and matching engine only), (3) a full backtest of the obi-scalper. Prints events/s, wall
// time, peak RSS, and the ratio of (3) to (1).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// ~54k rows per synthetic minute (seed 1): the default 380 minutes gives > 20M rows.
const argMinutes = process.argv.indexOf('--minutes');
const minutes = argMinutes > 0 ? Number(process.argv[argMinutes + 1]) : 380;
if (!(minutes > 0)) {
  console.error('bench: --minutes must be a positive number');
  process.exit(2);
}
const data = `.bench/synthetic-${minutes}min-seed1.duckdb`;
const LATENCY = 'constant:10000:10000';
const QUEUE = 'risk-averse';

mkdirSync(`${root}/.bench`, { recursive: true });
if (!existsSync(`${root}/${data}`)) {
  console.log(`generating ${data} (${minutes} minutes of synthetic market; once, then cached)…`);
  execFileSync(
    process.execPath,
    [
      'packages/runner/dist/cli/main.js',
      'data',
      'synth',
      '--out',
      data,
      '--seed',
      '1',
      '--minutes',
      String(minutes),
    ],
    { cwd: root, stdio: 'inherit' },
  );
}
console.log(
  `dataset ${data}: ${(statSync(`${root}/${data}`).size / 2 ** 20).toFixed(0)} MiB; node ${process.version}; latency ${LATENCY}; queue ${QUEUE}\n`,
);

const results = [];
for (const phase of ['scan', 'replay', 'backtest']) {
  const out = execFileSync(process.execPath, ['scripts/bench-phase.mjs', phase, data, LATENCY, QUEUE], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  results.push(JSON.parse(out.trim().split('\n').at(-1)));
}
const names = {
  scan: '1. raw scan (ceiling)',
  replay: '2. replay, no strategy',
  backtest: '3. backtest obi-scalper',
};
const pad = (s, n) => String(s).padStart(n);
console.log(
  `${'phase'.padEnd(26)}${pad('events', 13)}${pad('wall s', 9)}${pad('events/s', 13)}${pad('peak RSS MB', 13)}`,
);
for (const r of results) {
  console.log(
    `${names[r.phase].padEnd(26)}${pad(r.events.toLocaleString('en-US'), 13)}${pad(r.seconds.toFixed(2), 9)}${pad(Math.round(r.eventsPerS).toLocaleString('en-US'), 13)}${pad(r.maxRssMb.toFixed(0), 13)}`,
  );
}
const [scan, , full] = results;
console.log(
  `\nbacktest / raw scan: ${(full.eventsPerS / scan.eventsPerS).toFixed(3)} (orders ${full.orders}, fills ${full.fills})`,
);
