// `node scripts/bench-engine.mjs <data.duckdb> [obi|none] [rows]` (after `pnpm build`): the
// replay engine alone, fed from memory. Loads `rows` rows (default 6M) into memory first, then
// times driver + kernel + simulated exchange five times with no DuckDB in the loop: the
// figure to compare with phase 3 of `pnpm bench` to see what the scan costs.
import { pino } from 'pino';
import {
  BacktestVenue,
  Kernel,
  loadStrategy,
  ReplayClock,
  ReplayDriver,
  ReplayReader,
} from '../packages/runner/dist/index.js';
import { defineStrategy, z } from '../packages/sdk/dist/index.js';
import { parseLatencySpec, parseQueueSpec, SimulatedExchange } from '../packages/sim/dist/index.js';

const [data, which = 'obi', rowsWanted = '6000000'] = process.argv.slice(2);
if (!data) {
  console.error('usage: node scripts/bench-engine.mjs <data.duckdb> [obi|none] [rows]');
  process.exit(2);
}
const reader = await ReplayReader.open(data);
const batches = [];
let n = 0;
for await (const b of reader.batches()) {
  batches.push(b);
  n += b.length;
  if (n >= Number(rowsWanted)) break;
}
const { instruments, maxFeedLatencyUs, firstTs } = reader;
await reader.close();
const strategy =
  which === 'none'
    ? defineStrategy({ name: 'none', params: z.object({}), create: () => ({}) })
    : await loadStrategy('examples/obi-scalper/strategy.ts');
const params = strategy.params.parse(which === 'none' ? {} : { maxLossQuote: 1e12 });
for (let rep = 0; rep < 5; rep++) {
  const clock = new ReplayClock(firstTs);
  const venue = new BacktestVenue(instruments, parseLatencySpec('feed-multiple:1:1:500'), clock);
  const logger = pino({ level: 'silent' });
  const kernel = new Kernel({ mode: 'backtest', clock, instruments, venue, strategy, params, logger });
  const sim = new SimulatedExchange(instruments, {
    queue: parseQueueSpec('prob-power:3'),
    sink: (r) => venue.onSimReport(r),
  });
  venue.bind(sim, kernel);
  async function* replay() {
    for (const b of batches) yield b;
  }
  const driver = new ReplayDriver(replay(), maxFeedLatencyUs, kernel, sim, venue);
  const t0 = performance.now();
  kernel.start();
  await driver.run();
  kernel.stop();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${which}: ${(driver.rows / s / 1e6).toFixed(2)}M events/s (${driver.rows} rows, ${kernel.execution.fillCount} fills)`,
  );
}
