// `node scripts/bench-record.mjs [messages] [symbols] [levels]` (after `pnpm build`): how many
// Binance market messages per second `botp record` ingests end to end.
//
// A child process serves Binance USD-M combined streams on 127.0.0.1 (`/public`: depthUpdate and
// bookTicker, `/market`: aggTrade and markPriceUpdate, real wire format, SUBSCRIBE acked) and
// pushes `messages` frames as fast as the sockets take them. The main thread runs the real
// path: ReconnectingWebSocket → parseBinanceMessage → BinanceDepthSync → Recorder →
// TickStoreWriter → DuckDB, flushing every second. Three measurements:
//   1. transport ceiling: the same frames into a client that only counts them;
//   2. end to end: the recorder, from its first message to the last one written and the store
//      closed; "keeps up" when it is near the ceiling (the server is held back by backpressure
//      otherwise, so nothing is lost either way — it is the rate that is at stake); with the
//      recording process's CPU time per message, which other load on the machine hardly moves;
//   3. where the time goes: the same frames from memory, stage by stage (JSON.parse, the
//      adapter's parser, depth sync, row encoding, TickStoreWriter append + DuckDB flush).
// Target: ≥ 100,000 messages/s. BENCH_PHASES=2 (or 1,3, …) runs only those phases.

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC_MIX = { bookTicker: 6, depth: 1 }; // frames per symbol per round on /public
const MARKET_MIX = { aggTrade: 30, markPrice: 1 }; // on /market
const ID_BASE = 1_000_000_000;
const ID_STEP = 10;

/** Depth update ids of symbol `i`: frame k covers [base + 10k + 1, base + 10k + 10], pu = base + 10k. */
const depthBase = (i) => ID_BASE * (i + 1);
const symbolName = (i) => `S${i}USDT`;

function frameMaker(symbols, levels) {
  const lower = symbols.map((s) => s.toLowerCase());
  const depthK = symbols.map(() => 0);
  let tick = 0;
  let aggId = 1;
  let btId = 1;
  const px = (t) => (50_000 + (t % 1000) / 10).toFixed(1);
  const lv = (t, n) => {
    const out = [];
    for (let j = 0; j < n; j++) out.push(`["${px(t + j)}","${((t + j) % 97) / 100 + 0.001}"]`);
    return out.join(',');
  };
  return {
    bookTicker(i, ms) {
      tick++;
      return `{"stream":"${lower[i]}@bookTicker","data":{"e":"bookTicker","u":${btId++},"s":"${symbols[i]}","b":"${px(tick)}","B":"1.234","a":"${px(tick + 1)}","A":"0.567","T":${ms},"E":${ms}}}`;
    },
    depth(i, ms) {
      const k = depthK[i]++;
      const pu = depthBase(i) + ID_STEP * k;
      tick++;
      const half = levels >> 1;
      return `{"stream":"${lower[i]}@depth@100ms","data":{"e":"depthUpdate","E":${ms},"T":${ms},"s":"${symbols[i]}","U":${pu + 1},"u":${pu + ID_STEP},"pu":${pu},"b":[${lv(tick, half)}],"a":[${lv(tick + 500, levels - half)}]}}`;
    },
    aggTrade(i, ms) {
      tick++;
      const a = aggId++;
      return `{"stream":"${lower[i]}@aggTrade","data":{"e":"aggTrade","E":${ms},"a":${a},"s":"${symbols[i]}","p":"${px(tick)}","q":"0.010","f":${a * 3},"l":${a * 3 + 2},"T":${ms},"m":${tick % 2 === 0}}}`;
    },
    markPrice(i, ms) {
      return `{"stream":"${lower[i]}@markPrice@1s","data":{"e":"markPriceUpdate","E":${ms},"s":"${symbols[i]}","p":"${px(tick)}","P":"${px(tick)}","i":"${px(tick + 3)}","r":"0.00010000","T":${(Math.floor(ms / 28_800_000) + 1) * 28_800_000}}}`;
    },
  };
}

/** The frames of one route in the order the server sends them: round robin over symbols. */
function* routeFrames(make, route, nSymbols, count) {
  const mix = Object.entries(route === 'public' ? PUBLIC_MIX : MARKET_MIX);
  let sent = 0;
  for (;;) {
    const ms = Date.now();
    for (let i = 0; i < nSymbols; i++)
      for (const [kind, n] of mix)
        for (let j = 0; j < n; j++) {
          if (sent++ >= count) return;
          yield make[kind](i, ms);
        }
  }
}

/** Frames per route so the whole run carries `total` messages in the mixes' proportions. */
function split(total) {
  const pub = PUBLIC_MIX.bookTicker + PUBLIC_MIX.depth;
  const mkt = MARKET_MIX.aggTrade + MARKET_MIX.markPrice;
  const publicCount = Math.round((total * pub) / (pub + mkt));
  return { public: publicCount, market: total - publicCount };
}

// ---------------------------------------------------------------------------------------------
// child process: the stream server (its own process, so the recorder's CPU time is its own)

if (process.argv[2] === '--serve') {
  const require = createRequire(new URL('../packages/exchanges/package.json', import.meta.url));
  const { WebSocketServer } = require('ws');
  const nSymbols = Number(process.argv[3]);
  const levels = Number(process.argv[4]);
  let counts = { public: 0, market: 0 };
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const stats = { waits: 0 };
  wss.on('connection', (ws, req) => {
    const route = req.url.startsWith('/public') ? 'public' : 'market';
    ws.on('message', (buf) => {
      const m = JSON.parse(String(buf));
      if (m.method !== 'SUBSCRIBE') return;
      ws.send(JSON.stringify({ result: null, id: m.id }));
      pump(ws, route);
    });
  });
  /** Sends in batches, at most a few in flight: the socket's write callbacks are the backpressure. */
  function pump(ws, route) {
    const frames = routeFrames(
      frameMaker(
        Array.from({ length: nSymbols }, (_, i) => symbolName(i)),
        levels,
      ),
      route,
      nSymbols,
      counts[route],
    );
    const started = performance.now();
    let inFlight = 0;
    let done = false;
    const more = () => {
      while (!done && inFlight < 8) {
        let last;
        // One writev per batch instead of one per frame (ws exposes no cork; `_socket` is the net.Socket).
        ws._socket.cork();
        for (let n = 0; n < 256; n++) {
          const f = frames.next();
          if (f.done) {
            done = true;
            break;
          }
          last = f.value;
          if (n < 255) ws.send(last);
        }
        if (last === undefined) {
          ws._socket.uncork();
          break;
        }
        inFlight++;
        ws.send(last, () => {
          inFlight--;
          if (done && inFlight === 0) process.send({ route, sentMs: performance.now() - started });
          else more();
        });
        ws._socket.uncork();
      }
      if (!done && inFlight >= 8) stats.waits++;
    };
    more();
  }
  process.on('message', (m) => {
    if (m.counts) counts = m.counts;
    if (m.stats) {
      process.send({ stats: { ...stats } });
      stats.waits = 0;
    }
  });
  wss.on('listening', () => process.send({ port: wss.address().port }));
} else {
  await main();
}

// ---------------------------------------------------------------------------------------------
// main thread: the recorder

async function main() {
  const [messagesArg = '2000000', symbolsArg = '10', levelsArg = '20'] = process.argv.slice(2);
  // BENCH_PHASES=2 runs only the end-to-end phase (e.g. under --cpu-prof).
  const phases = new Set((process.env.BENCH_PHASES ?? '1,2,3').split(',').map(Number));
  const total = Number(messagesArg);
  const nSymbols = Number(symbolsArg);
  const levels = Number(levelsArg);
  const ex = await import('../packages/exchanges/dist/index.js');
  const { TickStoreWriter } = await import('../packages/runner/dist/data/tick-store-writer.js');
  const { Recorder } = await import('../packages/runner/dist/record/recorder.js');
  const { encodeEvent } = await import('../packages/runner/dist/data/encode-event.js');
  const { EventRowBuffer } = await import('../packages/runner/dist/data/event-row-buffer.js');
  const symbols = Array.from({ length: nSymbols }, (_, i) => symbolName(i));
  const instrument = (symbol) => ({
    exchange: 'binance-futures',
    symbol,
    tickSize: 0.1,
    stepSize: 0.001,
    minQty: 0.001,
    minNotional: 5,
    makerFee: 0.0002,
    takerFee: 0.0005,
    contractSize: 1,
  });
  // A snapshot inside each symbol's first diff (U ≤ lastUpdateId ≤ u), answered in-process: REST
  // is not on the ingest path.
  const rest = {
    async depthSnapshot(symbol) {
      const i = symbols.indexOf(symbol);
      const half = levels >> 1;
      const side = (from, dir) =>
        Array.from({ length: half }, (_, j) => [Math.round((from + dir * j * 0.1) * 10) / 10, 1]);
      return {
        type: 'depth',
        exchange: 'binance-futures',
        symbol,
        exchTs: Date.now() * 1000,
        localTs: ex.wallClockUs(),
        seq: depthBase(i) + 5,
        prevSeq: 0,
        isSnapshot: true,
        bids: side(50_000, -1),
        asks: side(50_000.1, 1),
      };
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'bench-record-'));
  const worker = fork(fileURLToPath(import.meta.url), ['--serve', String(nSymbols), String(levels)]);
  const fromWorker = (pred) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (pred(m)) {
          worker.off('message', on);
          resolve(m);
        }
      };
      worker.on('message', on);
    });
  const { port } = await fromWorker((m) => m.port);
  const url = `ws://127.0.0.1:${port}`;
  const counts = split(total);
  worker.send({ counts });
  console.log(
    `bench-record: ${total.toLocaleString('en-US')} messages (${counts.public.toLocaleString('en-US')} on /public: bookTicker:depth ${PUBLIC_MIX.bookTicker}:${PUBLIC_MIX.depth}, depth ${levels} levels; ${counts.market.toLocaleString('en-US')} on /market: aggTrade:markPrice ${MARKET_MIX.aggTrade}:${MARKET_MIX.markPrice}) over ${nSymbols} symbols`,
  );

  try {
    // 1. Transport ceiling: a client that only counts.
    if (phases.has(1)) {
      let n = 0;
      let first = 0;
      let last = 0;
      const sockets = ['public', 'market'].map((r) => {
        const ws = new ex.ReconnectingWebSocket({ url: `${url}/${r}/stream`, maxMessagesPerSecond: 100 });
        ws.on('open', () => ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: [], id: 1 })));
        ws.on('message', () => {
          if (n++ === 0) first = performance.now();
          last = performance.now();
        });
        ws.start();
        return ws;
      });
      await until(() => n >= total + 2); // + the two acks
      const s = (last - first) / 1000;
      await Promise.all(sockets.map((ws) => ws.close()));
      console.log(`  1. transport ceiling (count only):   ${fmt(total / s)} msg/s  (${s.toFixed(2)} s)`);
    }

    // 2. End to end through the adapter and the recorder.
    let e2eRate = 0;
    let cpuRate = 0;
    if (phases.has(2)) {
      const path = join(dir, 'e2e.duckdb');
      let stream;
      let first = 0;
      const source = {
        id: 'binance-futures',
        instruments: async (syms) => syms.map(instrument),
        async connect(sink, syms) {
          const timed = {
            onMarket(e) {
              if (first === 0) first = performance.now();
              sink.onMarket(e);
            },
            onGap: (g) => sink.onGap(g),
            onError: (err) => console.error(`  adapter: ${err.message}`),
          };
          stream = new ex.BinanceMarketStream(
            { symbols: syms, publicUrl: `${url}/public`, marketUrl: `${url}/market`, rest },
            timed,
          );
          await stream.start();
        },
        close: () => stream.close(),
      };
      const rec = new Recorder({ source, writer: await TickStoreWriter.open(path), symbols });
      const cpu0 = process.cpuUsage();
      await rec.start();
      // Every frame plus one snapshot per symbol.
      await until(() => rec.stats().totalMessages >= total + nSymbols, 600_000);
      const received = performance.now();
      const summary = await rec.stop();
      const closed = performance.now();
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const s = (received - first) / 1000;
      e2eRate = total / ((closed - first) / 1000);
      cpuRate = total / cpuS;
      const server = await askStats();
      console.log(
        `  2. end to end (ws + parse + sync + record + DuckDB): ${fmt(total / s)} msg/s received and written (${s.toFixed(2)} s), ${fmt(e2eRate)} msg/s including the final flush and close (${((closed - received) / 1000).toFixed(2)} s)`,
      );
      // CPU time is what the recorder costs whatever else runs on the machine.
      console.log(
        `     CPU of the recording process (all its threads): ${cpuS.toFixed(2)} s = ${((cpuS / total) * 1e6).toFixed(2)} µs/msg, ${fmt(cpuRate)} msg/s per CPU-second`,
      );
      console.log(
        `     ${summary.rows.toLocaleString('en-US')} rows (${fmt(summary.rows / s)} rows/s), ${summary.flushes} flushes, ${summary.gaps} gaps, per stream ${JSON.stringify(summary.messages)}; server held back by backpressure ${server.waits} times`,
      );
    }

    // 3. Where the time goes: the same frames from memory, stage by stage.
    if (phases.has(3)) {
      const n = Math.min(total, 1_000_000);
      const frames = [];
      const make = frameMaker(symbols, levels);
      const c = split(n);
      for (const f of routeFrames(make, 'public', nSymbols, c.public)) frames.push(f);
      for (const f of routeFrames(make, 'market', nSymbols, c.market)) frames.push(f);
      const stage = (name, fn) => {
        const t0 = performance.now();
        fn();
        const s = (performance.now() - t0) / 1000;
        console.log(
          `     ${name.padEnd(44)} ${((s / n) * 1e6).toFixed(2).padStart(6)} µs/msg  ${fmt(n / s)} msg/s`,
        );
      };
      console.log(`  3. stages, ${n.toLocaleString('en-US')} frames from memory (no sockets):`);
      stage('JSON.parse', () => {
        for (const f of frames) JSON.parse(f);
      });
      // Timed without keeping the events (as in a stream, where they die young), then kept.
      stage('parseBinanceMessage (JSON + zod + mapping)', () => {
        for (const f of frames) ex.parseBinanceMessage(f, 1);
      });
      const events = frames.map((f) => ex.parseBinanceMessage(f, 1).event);
      const syncs = new Map(symbols.map((s) => [s, new ex.BinanceDepthSync('binance-futures', s)]));
      const out = [];
      let snaps = 0;
      stage('BinanceDepthSync', () => {
        for (const e of events) {
          if (e.type !== 'depth') {
            out.push(e);
            continue;
          }
          const sync = syncs.get(e.symbol);
          let step = sync.onDiff(e);
          if (sync.needsSnapshot) {
            snaps++;
            const i = symbols.indexOf(e.symbol);
            step = sync.onSnapshot({ ...e, isSnapshot: true, seq: depthBase(i) + 5, prevSeq: 0 });
          }
          for (const x of step.events) out.push(x);
        }
      });
      const rows = new EventRowBuffer(50_000);
      const sym = new Map(symbols.map((s, i) => [s, i]));
      stage('row encoding (encodeEvent)', () => {
        for (const e of out) {
          encodeEvent(rows, e, sym.get(e.symbol));
          if (rows.length >= 50_000) rows.clear();
        }
      });
      const path = join(dir, 'stages.duckdb');
      const writer = await TickStoreWriter.open(path);
      for (const s of symbols) await writer.addInstrument(instrument(s));
      const t0 = performance.now();
      for (const e of out) writer.append(e);
      await writer.flush();
      const s = (performance.now() - t0) / 1000;
      console.log(
        `     ${'TickStoreWriter append + flush (encode + DuckDB)'.padEnd(44)} ${((s / n) * 1e6).toFixed(2).padStart(6)} µs/msg  ${fmt(n / s)} msg/s  (${snaps} snapshots)`,
      );
      await writer.close();
    }
    if (phases.has(2))
      console.log(
        `  target 100,000 msg/s: ${e2eRate >= 100_000 ? 'met' : 'NOT met'} (${fmt(e2eRate)} msg/s end to end, final flush and close included; ${fmt(cpuRate)} msg/s per CPU-second; load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores)`,
      );
  } finally {
    worker.kill();
    rmSync(dir, { recursive: true, force: true });
  }

  function askStats() {
    const p = fromWorker((m) => m.stats).then((m) => m.stats);
    worker.send({ stats: true });
    return p;
  }
}

async function until(ok, timeoutMs = 300_000) {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('bench-record: timed out (messages lost?)');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function fmt(x) {
  return Math.round(x).toLocaleString('en-US');
}
