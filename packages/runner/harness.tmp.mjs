// Times the replay engine alone (no DuckDB, no loader) over rows preloaded into memory.

import { defineStrategy, z } from '@botplatform/sdk';
import { parseLatencySpec, parseQueueSpec, SimulatedExchange } from '@botplatform/sim';
import { pino } from 'pino';
import {
  BacktestVenue,
  Kernel,
  loadStrategy,
  ReplayClock,
  ReplayDriver,
  ReplayReader,
} from './dist/index.js';

const [data, which = 'obi', rowsWanted = '6000000'] = process.argv.slice(2);
const reader = await ReplayReader.open(data);
const batches = [];
let n = 0;
for await (const b of reader.batches()) {
  batches.push(b);
  n += b.length;
  if (n >= Number(rowsWanted)) break;
}
const instruments = reader.instruments;
const maxLat = reader.maxFeedLatencyUs;
const first = reader.firstTs;
await reader.close();
const strategy =
  which === 'none'
    ? defineStrategy({ name: 'none', params: z.object({}), create: () => ({}) })
    : await loadStrategy('../../examples/obi-scalper/strategy.ts');
const params = strategy.params.parse(which === 'none' ? {} : { maxLossQuote: 1e12 });
for (let rep = 0; rep < 5; rep++) {
  const clock = new ReplayClock(first);
  const venue = new BacktestVenue(instruments, parseLatencySpec('feed-multiple:1:1:500'), clock);
  const kernel = new Kernel({
    mode: 'backtest',
    clock,
    instruments,
    venue,
    strategy,
    params,
    logger: pino({ level: 'silent' }),
  });
  const sim = new SimulatedExchange(instruments, {
    queue: parseQueueSpec('prob-power:3'),
    sink: (r) => venue.onSimReport(r),
  });
  venue.bind(sim, kernel);
  async function* gen() {
    for (const b of batches) yield b;
  }
  const driver = new ReplayDriver(gen(), maxLat, kernel, sim, venue);
  const t0 = performance.now();
  kernel.start();
  await driver.run();
  kernel.stop();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${which}: ${(driver.rows / s / 1e6).toFixed(2)}M rows/s (${driver.rows} rows, ${kernel.execution.fillCount} fills)`,
  );
}
