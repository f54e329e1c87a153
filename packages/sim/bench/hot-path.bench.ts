/**
 * Micro-benchmark of the SimulatedExchange hot paths (not part of the test suite):
 *
 *   npx tsx --tsconfig tsconfig.json packages/sim/bench/hot-path.bench.ts     (from the repo root)
 *
 * A BTCUSDT-like book of 20 levels a side (bids 99.1..100.0, asks 100.1..101.0) and two resting
 * orders of ours, a buy at 99.5 and a sell at 100.6 (inside the book, away from the touch).
 * 5M calls per scenario, events pre-generated with a seeded PRNG into typed arrays; none of them
 * fills an order, so every call is the steady-state cost. Each scenario runs in its own process;
 * prints the best of 7 runs in ns/call. To compare with an earlier version, run this file
 * against a checkout of it (numbers are noisy on a shared machine: compare minima of a few runs).
 */
import { execFileSync } from 'node:child_process';
import type { Instrument } from '@botplatform/sdk';
import { RiskAverseQueue, SimulatedExchange } from '@botplatform/sim';

const BTC: Instrument = {
  exchange: 'binance-futures',
  symbol: 'BTCUSDT',
  tickSize: 0.1,
  stepSize: 0.001,
  minQty: 0.001,
  minNotional: 0,
  makerFee: 0.0002,
  takerFee: 0.0005,
  contractSize: 1,
};

const CALLS = 5_000_000;
const N = 1 << 20;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeExchange(orders: number): SimulatedExchange {
  let fills = 0;
  const ex = new SimulatedExchange([BTC], {
    queue: new RiskAverseQueue(),
    sink: (r) => {
      if (r.kind === 'fill') fills++;
    },
  });
  for (let i = 0; i < 20; i++) ex.onDepthLevel(0, 1, (1000 - i) / 10, 1 + i, i === 0, 1);
  for (let i = 0; i < 20; i++) ex.onDepthLevel(0, -1, (1001 + i) / 10, 1 + i, false, 1);
  const base = { symbol: 'BTCUSDT', type: 'limit', timeInForce: 'GTC', reduceOnly: false } as const;
  if (orders >= 1) ex.submit({ ...base, clientOrderId: 'b', side: 'buy', price: 99.5, qty: 1 }, 2);
  if (orders >= 2) ex.submit({ ...base, clientOrderId: 's', side: 'sell', price: 100.6, qty: 1 }, 2);
  if (ex.openOrderCount() !== orders || fills !== 0) throw new Error('bench setup failed');
  return ex;
}

// Pre-generated events: kind 0 depth, 1 trade.
const rnd = mulberry32(42);
const kind = new Uint8Array(N);
const side = new Int8Array(N);
const price = new Float64Array(N);
const qty = new Float64Array(N);
function generate(tradeShare: number, atOurPrices: boolean): void {
  for (let i = 0; i < N; i++) {
    const isTrade = rnd() < tradeShare;
    kind[i] = isTrade ? 1 : 0;
    const s = rnd() < 0.5 ? 1 : -1;
    side[i] = s;
    if (isTrade) {
      // Sellers hit the best bid 100.0, buyers lift the best ask 100.1: never at or through our orders.
      price[i] = s === -1 ? 100.0 : 100.1;
      qty[i] = 0.001 * (1 + Math.floor(rnd() * 500));
    } else {
      const k = atOurPrices ? 5 : Math.floor(rnd() * 20); // level 5 = 99.5 bid / 100.6 ask
      price[i] = s === 1 ? (1000 - k) / 10 : (1001 + k) / 10;
      qty[i] = 0.001 * (1 + Math.floor(rnd() * 20_000));
    }
  }
}

function run(ex: SimulatedExchange): number {
  const t0 = process.hrtime.bigint();
  for (let c = 0; c < CALLS; c++) {
    const i = c & (N - 1);
    if (kind[i] === 0) ex.onDepthLevel(0, side[i] as 1 | -1, price[i]!, qty[i]!, false, c);
    else ex.onTrade(0, side[i] as 1 | -1, price[i]!, qty[i]!, c);
  }
  return Number(process.hrtime.bigint() - t0) / CALLS;
}

const scenarios: Array<[string, number, boolean]> = [
  ['onDepthLevel, random level of 40', 0, false],
  ['onTrade at the touch', 1, false],
  ['mixed 80% depth / 20% trades', 0.2, false],
  ['onDepthLevel at our orders’ prices', 0, true],
];

// Each (scenario, orders) pair runs in its own process, so one's JIT feedback cannot slow another.
const [argScenario, argOrders] = process.argv.slice(2).map(Number);
if (argScenario === undefined || argOrders === undefined) {
  for (let k = 0; k < scenarios.length; k++) {
    const row: string[] = [];
    for (const orders of [0, 2]) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, process.argv[1]!, String(k), String(orders)],
        {
          encoding: 'utf8',
        },
      );
      row.push(`${orders} orders ${Number(out.trim()).toFixed(1).padStart(6)} ns/call`);
    }
    console.log(`${scenarios[k]![0].padEnd(38)} ${row.join('   ')}`);
  }
} else {
  const [, tradeShare, atOurs] = scenarios[argScenario]!;
  generate(tradeShare, atOurs);
  let best = Number.POSITIVE_INFINITY;
  for (let rep = 0; rep < 7; rep++) best = Math.min(best, run(makeExchange(argOrders)));
  console.log(best);
}
