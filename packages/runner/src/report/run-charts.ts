import { type ChartSpec, COLORS, chartId } from './chart-spec.js';
import type { RunData, RunFill } from './run-data.js';

/** The run's time span over every table the report draws; null for a run with no rows. */
export function runSpan(run: RunData): { start: number; end: number } | null {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const see = (ts: readonly number[]) => {
    if (ts.length === 0) return;
    start = Math.min(start, ts[0] as number);
    end = Math.max(end, ts[ts.length - 1] as number);
  };
  see(run.equity.ts);
  for (const p of run.prices.values()) see(p.ts);
  for (const p of run.positions.values()) see(p.ts);
  see(run.fills.map((f) => f.ts));
  return Number.isFinite(start) ? { start, end } : null;
}

/** Symbols seen anywhere in the run, sorted. */
export function runSymbols(run: RunData): string[] {
  const all = new Set<string>([
    ...run.prices.keys(),
    ...run.positions.keys(),
    ...run.fills.map((f) => f.symbol),
  ]);
  return [...all].sort();
}

/** Equity, drawdown, and per symbol price with fills and position: the charts that zoom together. */
export function runCharts(run: RunData, t0: number): ChartSpec[] {
  const end = runSpan(run)?.end ?? t0;
  const rel = (ts: readonly number[]) => ts.map((t) => t - t0);
  const charts: ChartSpec[] = [
    {
      id: 'equity',
      title: 'Equity',
      caption: 'Equity (net PnL marked to market) at every fill and sample.',
      xKind: 'run',
      x: rel(run.equity.ts),
      xLabel: 'time (UTC)',
      yLabel: 'equity',
      series: [{ label: 'equity', color: COLORS.equity, kind: 'line', values: run.equity.equity }],
      empty: 'no equity samples in this run',
    },
    {
      id: 'drawdown',
      title: 'Drawdown',
      caption: 'How far equity stands below its running peak.',
      xKind: 'run',
      x: rel(run.equity.ts),
      xLabel: 'time (UTC)',
      yLabel: 'drawdown',
      series: [
        {
          label: 'drawdown',
          color: COLORS.drawdown,
          kind: 'area',
          values: run.equity.drawdown.map((d) => (d === 0 ? 0 : -Math.abs(d))),
        },
      ],
      empty: 'no equity samples in this run',
    },
  ];
  const symbols = runSymbols(run);
  for (const symbol of symbols.length > 0 ? symbols : ['']) {
    charts.push(priceChart(run, symbol, t0));
    charts.push(positionChart(run, symbol, t0, end));
  }
  return charts;
}

/** Bid/ask with the run's fills merged in as their own points (▲ buys, ▼ sells). */
function priceChart(run: RunData, symbol: string, t0: number): ChartSpec {
  const prices = run.prices.get(symbol) ?? { ts: [], bid: [], ask: [] };
  const fills = run.fills.filter((f) => f.symbol === symbol);
  const x: number[] = [];
  const bid: (number | null)[] = [];
  const ask: (number | null)[] = [];
  const buys: (number | null)[] = [];
  const sells: (number | null)[] = [];
  const pushFill = (f: RunFill) => {
    x.push(f.ts - t0);
    bid.push(null);
    ask.push(null);
    buys.push(f.side === 'buy' ? f.price : null);
    sells.push(f.side === 'sell' ? f.price : null);
  };
  let j = 0;
  for (let i = 0; i < prices.ts.length; i++) {
    const ts = prices.ts[i] as number;
    while (j < fills.length && (fills[j] as RunFill).ts < ts) pushFill(fills[j++] as RunFill);
    x.push(ts - t0);
    bid.push(prices.bid[i] ?? null);
    ask.push(prices.ask[i] ?? null);
    buys.push(null);
    sells.push(null);
  }
  while (j < fills.length) pushFill(fills[j++] as RunFill);
  const name = symbol || 'price';
  return {
    id: chartId('price', symbol || 'none'),
    title: symbol ? `${symbol}: price and fills` : 'Price and fills',
    caption: 'Best bid and ask; the strategy’s buys (▲) and sells (▼) at their fill prices.',
    xKind: 'run',
    x,
    xLabel: 'time (UTC)',
    yLabel: name,
    series: [
      { label: 'bid', color: COLORS.bid, kind: 'line', values: bid },
      { label: 'ask', color: COLORS.ask, kind: 'line', values: ask },
      { label: 'buy fill', color: COLORS.buy, kind: 'buy', values: buys },
      { label: 'sell fill', color: COLORS.sell, kind: 'sell', values: sells },
    ],
    empty: 'no prices or fills recorded in this run',
  };
}

/** Position after every change, held flat until the next one and to the end of the run. */
function positionChart(run: RunData, symbol: string, t0: number, end: number): ChartSpec {
  const pos = run.positions.get(symbol) ?? { ts: [], qty: [] };
  const x = pos.ts.map((t) => t - t0);
  const qty = [...pos.qty];
  if (x.length > 0) {
    // Flat from the start of the run to the first change, and held to its end.
    if ((x[0] as number) > 0) {
      x.unshift(0);
      qty.unshift(0);
    }
    if ((x[x.length - 1] as number) < end - t0) {
      x.push(end - t0);
      qty.push(qty[qty.length - 1] as number);
    }
  }
  return {
    id: chartId('position', symbol || 'none'),
    title: symbol ? `${symbol}: position` : 'Position',
    caption: 'Position after every fill (local time of the fill report); positive = long.',
    xKind: 'run',
    x,
    xLabel: 'time (UTC)',
    yLabel: 'position',
    series: [{ label: 'position', color: COLORS.position, kind: 'step', values: qty }],
    empty: 'no position changes (no fills) in this run',
  };
}
