// `pnpm bench [--rows N]`: builds (once, cached in .bench/) a synthetic dataset of at least N
// tick-store rows (default 20,000,000; one depth level update, trade, book ticker or mark price
// is one row), then runs side by side, one process each: (1) the raw DuckDB scan, (2) replay
// with no strategy (books and matching engine only), (3) a full backtest of the obi-scalper
// (partial fills, prob-power:3 queue, feed-multiple latency). Prints events/s, wall time, peak
// RSS, the ratio of (3) to (1), and each target with PASS/MISS.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  EventKind,
  openTickStore,
  SYNTHETIC_BENCH_OPTIONS,
  writeSyntheticDataset,
} from '../packages/runner/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const argRows = process.argv.indexOf('--rows');
const rowsArg = argRows > 0 ? process.argv[argRows + 1] : '20000000';
const targetRows = Number(rowsArg);
if (!(Number.isSafeInteger(targetRows) && targetRows > 0)) {
  console.error(`bench: --rows must be a whole number > 0, got ${rowsArg}`);
  process.exit(2);
}

// The market: one symbol, ~70% depth level rows, ~25% trades, ~5% book tickers (see
// SYNTHETIC_BENCH_OPTIONS). Sized by rows: the duration is only a bound, far beyond what the
// row count needs (the bench market makes ~1,700 rows/s; this allows for 200).
const MARKET = { seed: 1, ...SYNTHETIC_BENCH_OPTIONS };
const durationUs = Math.ceil(targetRows / 200) * 1_000_000;
// Order entry = response = 1 × the feed latency of the latest market event + 0.5 ms (the
// synthetic feed: ~3 ms, spikes of 50–300 ms every 30–90 s, so orders ≈ 3.5 ms each way).
const LATENCY = 'feed-multiple:1:1:500';
const QUEUE = 'prob-power:3';
const FILLS = 'partial';
// The example's defaults but for its max-loss kill switch: with it (maxLossQuote 100) the
// scalper halts for good ~30 minutes into the market (~1,200 orders), and the rest of the run
// would measure signals without orders. Off, it quotes all the way through (~33k orders per 20M rows).
const PARAMS = { maxLossQuote: 1e12 };

const TARGET_EVENTS_PER_S = 3_000_000;
const TARGET_RATIO = 0.25;
const TARGET_RSS_MB = 400;
const TARGET_MIX = { depth: 70, trade: 25, bookTicker: 5 };
const MIX_TOLERANCE = 3;

const key = createHash('sha256')
  .update(JSON.stringify({ market: MARKET, rows: targetRows }))
  .digest('hex')
  .slice(0, 10);
const data = `.bench/synthetic-${targetRows}rows-${key}.duckdb`;
const dataAbs = `${root}/${data}`;
const metaAbs = `${dataAbs}.json`;

mkdirSync(`${root}/.bench`, { recursive: true });
if (!existsSync(dataAbs) || !existsSync(metaAbs)) await generate();
const meta = JSON.parse(readFileSync(metaAbs, 'utf8'));
const mix = await measureMix(dataAbs);
const pct = (n) => `${((100 * n) / mix.total).toFixed(1)}%`;
console.log(
  `dataset ${data}: ${mix.total.toLocaleString('en-US')} rows = depth ${pct(mix.depth)}, trades ${pct(mix.trade)}, book tickers ${pct(mix.bookTicker)}, mark ${pct(mix.mark)}; ${(meta.hours).toFixed(1)} h of market; ${(statSync(dataAbs).size / 2 ** 20).toFixed(0)} MiB\n` +
    `generated in ${meta.seconds.toFixed(1)} s (${Math.round(meta.rows / meta.seconds).toLocaleString('en-US')} rows/s, generator + DuckDB writer); node ${process.version}; phase 3: latency ${LATENCY}, queue ${QUEUE}, fills ${FILLS}, params ${JSON.stringify(PARAMS)}\n`,
);

const results = [];
for (const phase of ['scan', 'replay', 'backtest']) {
  // Replays run with the young-generation size `botp backtest` uses (packages/runner/src/cli/bin.ts).
  const args = ['--max-semi-space-size=32', 'scripts/bench-phase.mjs', phase, data, LATENCY, QUEUE, FILLS];
  if (phase === 'backtest') args.push(JSON.stringify(PARAMS));
  const out = execFileSync(process.execPath, args, {
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
const ratio = full.eventsPerS / scan.eventsPerS;
console.log(
  `\nbacktest / raw scan: ${ratio.toFixed(3)} (orders ${full.orders}, fills ${full.fills}, net pnl ${full.net_pnl})`,
);
console.log(
  `cpu s (user+sys, all threads; the process, imports included): ${results.map((r) => `${r.phase} ${r.cpuSeconds.toFixed(2)}`).join(', ')}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);

const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const maxRss = Math.max(...results.map((r) => r.maxRssMb));
const mixOff = Math.max(
  Math.abs((100 * mix.depth) / mix.total - TARGET_MIX.depth),
  Math.abs((100 * mix.trade) / mix.total - TARGET_MIX.trade),
  Math.abs((100 * mix.bookTicker) / mix.total - TARGET_MIX.bookTicker),
);
const sameEvents = results.every((r) => r.events === mix.total);
console.log(
  [
    `targets: backtest ≥ ${TARGET_EVENTS_PER_S.toLocaleString('en-US')} events/s: ${Math.round(full.eventsPerS).toLocaleString('en-US')} ${verdict(full.eventsPerS >= TARGET_EVENTS_PER_S)}`,
    `backtest / raw scan ≥ ${TARGET_RATIO}: ${ratio.toFixed(3)} ${verdict(ratio >= TARGET_RATIO)}`,
    `backtest peak RSS ≤ ${TARGET_RSS_MB} MB: ${full.maxRssMb.toFixed(0)} ${verdict(full.maxRssMb <= TARGET_RSS_MB)} (highest of all phases: ${maxRss.toFixed(0)})`,
    `≥ ${(20e6).toLocaleString('en-US')} events: ${mix.total.toLocaleString('en-US')} ${verdict(mix.total >= 20e6)}${sameEvents ? '' : ' (phases read different row counts!)'}`,
    `mix ${TARGET_MIX.depth}/${TARGET_MIX.trade}/${TARGET_MIX.bookTicker} ±${MIX_TOLERANCE}: off by ${mixOff.toFixed(1)} ${verdict(mixOff <= MIX_TOLERANCE)}`,
  ].join('\n         '),
);

/** Writes the dataset to a scratch path and renames it when complete, so the cache never holds a partial file. */
async function generate() {
  const partial = `${dataAbs}.partial`;
  rmSync(partial, { force: true });
  rmSync(`${partial}.wal`, { force: true });
  console.log(
    `generating ${data}: ≥ ${targetRows.toLocaleString('en-US')} rows of synthetic market ${JSON.stringify(MARKET)} (once, then cached)…`,
  );
  const started = performance.now();
  const { rows, events } = await writeSyntheticDataset(
    partial,
    { ...MARKET, durationUs },
    {
      maxRows: targetRows,
      onProgress: (n) => {
        if (n % 10_000_000 < 1_000_000)
          process.stdout.write(
            `  ${(n / 1e6).toFixed(0)}M rows, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
          );
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (rows < targetRows) {
    console.error(
      `bench: the market ended after ${rows} rows, short of ${targetRows}; raise durationUs in bench.mjs`,
    );
    process.exit(1);
  }
  renameSync(partial, dataAbs);
  const f = await openTickStore(dataAbs, 'read');
  let hours;
  try {
    const r = await f.conn.runAndReadAll('SELECT (max(exch_ts) - min(exch_ts)) / 3.6e9 FROM events');
    hours = Number(r.getRowsJS()[0][0]);
  } finally {
    f.close();
  }
  writeFileSync(metaAbs, `${JSON.stringify({ market: MARKET, targetRows, rows, events, seconds, hours })}\n`);
  console.log(
    `generated ${rows.toLocaleString('en-US')} rows (${events.toLocaleString('en-US')} events) in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s\n`,
  );
}

/** Rows per kind in the dataset's `events` table. */
async function measureMix(path) {
  const f = await openTickStore(path, 'read');
  try {
    const r = await f.conn.runAndReadAll('SELECT kind, count(*)::DOUBLE FROM events GROUP BY kind');
    const by = new Map(r.getRowsJS().map(([k, n]) => [Number(k), Number(n)]));
    const depth = by.get(EventKind.Depth) ?? 0;
    const trade = by.get(EventKind.Trade) ?? 0;
    const bookTicker = by.get(EventKind.BookTicker) ?? 0;
    const mark = by.get(EventKind.MarkPrice) ?? 0;
    const total = [...by.values()].reduce((a, b) => a + b, 0);
    return { depth, trade, bookTicker, mark, total };
  } finally {
    f.close();
  }
}
