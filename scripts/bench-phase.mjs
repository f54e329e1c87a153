// One benchmark phase in its own process (so peak RSS is this phase's alone); prints one JSON line.
// Usage: bench-phase.mjs scan|replay|backtest <data.duckdb> <latency> <queue> <fills> [<params JSON>]
import { defineStrategy, z } from '@botplatform/sdk';
import { pino } from 'pino';
import { loadStrategy, ReplayReader, runBacktest } from '../packages/runner/dist/index.js';

const [phase, data, latency, queue, fills, paramsJson = '{}'] = process.argv.slice(2);
const logger = pino({ level: 'silent' });
const started = performance.now();
let events = 0;
let extra = {};

if (phase === 'scan') {
  // The ceiling: every row from DuckDB into JS typed arrays, with a trivial consumer.
  const reader = await ReplayReader.open(data);
  let checksum = 0;
  for await (const b of reader.batches()) {
    const ts = b.localTs;
    for (let i = 0; i < b.length; i++) checksum += ts[i];
    events += b.length;
  }
  await reader.close();
  extra = { checksum: checksum % 1e6 };
} else {
  const strategy =
    phase === 'replay'
      ? defineStrategy({ name: 'no-strategy', params: z.object({}), create: () => ({}) })
      : await loadStrategy('examples/obi-scalper/strategy.ts');
  const { summary } = await runBacktest({
    keepFills: false,
    strategy,
    params: strategy.params.parse(JSON.parse(paramsJson)),
    dataPath: data,
    latency,
    queue,
    fills,
    logger,
  });
  events = summary.events;
  extra = { orders: summary.orders, fills: summary.fills, net_pnl: summary.net_pnl };
}
const seconds = (performance.now() - started) / 1000;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// CPU seconds of every thread (JS + DuckDB): less sensitive than wall time to a busy machine.
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(
  `${JSON.stringify({ phase, events, seconds, eventsPerS: events / seconds, maxRssMb, cpuSeconds, ...extra })}\n`,
);
