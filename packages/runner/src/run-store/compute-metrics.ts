import { type Micros, US_PER_DAY } from '@botplatform/sdk';
import type { Portfolio } from '../kernel/portfolio.js';
import type { RunMetrics } from './run-metrics.js';
import type { RunRecord } from './run-recorder.js';

const DAYS_PER_YEAR = 365;

/**
 * The run's metrics (see runMetricsSchema for each definition) from what the recorder kept and
 * the portfolio's exact drawdown (equity re-marked at every book update while in a position).
 */
export function computeMetrics(args: {
  record: RunRecord;
  portfolio: Portfolio;
  fromTs: Micros;
  toTs: Micros;
  /** Config `capital`; default: the largest gross exposure the run held. */
  capital?: number;
}): RunMetrics {
  const { record: r, portfolio: p, fromTs, toTs } = args;
  const t = p.totals();
  const capital = args.capital ?? r.maxGrossExposure;
  const spanUs = Math.max(0, toTs - fromTs);
  const spanDays = spanUs / US_PER_DAY;
  const returnPct = capital > 0 ? t.equity / capital : 0;

  const daily = dailyReturns(r.equity.ts, r.equity.equity, fromTs, capital);
  const sharpe = daily.length >= 2 && capital > 0 ? annualized(daily, stdev(daily)) : null;
  const sortino = daily.length >= 2 && capital > 0 ? annualized(daily, downsideDev(daily)) : null;

  const ddBase = capital + p.maxDrawdownPeak;
  const ddPct = p.maxDrawdown > 0 && ddBase > 0 ? p.maxDrawdown / ddBase : 0;
  const calmar = spanDays >= 1 && ddPct > 0 ? (returnPct * (DAYS_PER_YEAR / spanDays)) / ddPct : null;

  const closed = r.trips.trips.filter((x) => !x.isOpen);
  const wins = closed.filter((x) => x.netPnl > 0);
  const grossWin = wins.reduce((s, x) => s + x.netPnl, 0);
  const grossLoss = -closed.filter((x) => x.netPnl < 0).reduce((s, x) => s + x.netPnl, 0);

  const venueOrders = r.orders.reachedVenue();
  const ordered = venueOrders.reduce((s, o) => s + o.qty, 0);
  const filled = venueOrders.reduce((s, o) => s + o.filledQty, 0);

  const latencies: number[] = [];
  for (const [id, ts] of r.orders.firstFillTs) {
    const o = r.orders.latest.get(id);
    if (o) latencies.push(ts - o.createdTs);
  }
  latencies.sort((a, b) => a - b);

  return {
    starting_capital: round(capital),
    net_pnl: round(t.equity),
    gross_pnl: round(t.realizedPnl + t.unrealizedPnl),
    fees: round(t.fees),
    maker_fees: round(r.makerFees),
    taker_fees: round(r.takerFees),
    funding: round(t.funding),
    return_pct: round(returnPct),
    sharpe: nullableRound(sharpe),
    sortino: nullableRound(sortino),
    calmar: nullableRound(calmar),
    max_drawdown: round(p.maxDrawdown),
    max_drawdown_pct: round(ddPct),
    max_drawdown_start_ts:
      p.maxDrawdown > 0 ? (Number.isNaN(p.maxDrawdownStartTs) ? fromTs : p.maxDrawdownStartTs) : null,
    max_drawdown_end_ts: p.maxDrawdown > 0 ? p.maxDrawdownEndTs : null,
    round_trips: closed.length,
    win_rate: closed.length > 0 ? round(wins.length / closed.length) : null,
    profit_factor: grossLoss > 0 ? round(grossWin / grossLoss) : null,
    expectancy: closed.length > 0 ? round(closed.reduce((s, x) => s + x.netPnl, 0) / closed.length) : null,
    avg_holding_s:
      closed.length > 0 ? round(closed.reduce((s, x) => s + x.holdingS, 0) / closed.length) : null,
    maker_share: p.volume > 0 ? round(p.makerVolume / p.volume) : 0,
    fill_ratio: ordered > 0 ? round(filled / ordered) : null,
    exposure: spanUs > 0 ? round(r.timeInMarketUs / spanUs) : 0,
    order_to_fill_p50_us: percentile(latencies, 0.5),
    order_to_fill_p90_us: percentile(latencies, 0.9),
    order_to_fill_p99_us: percentile(latencies, 0.99),
    unfilled_ratio_max: nullableRound(r.orders.peaks.unfilled),
    cancel_within_5s_ratio_max: nullableRound(r.orders.peaks.cancelWithin5s),
    ioc_fok_expiry_ratio_max: nullableRound(r.orders.peaks.iocFokExpiry),
  };
}

/**
 * Per-UTC-day returns on capital: the change of equity over each calendar day the run covers
 * (equity before the first sample is 0), divided by capital. Partial first and last days count.
 */
export function dailyReturns(
  ts: readonly number[],
  equity: readonly number[],
  fromTs: Micros,
  capital: number,
): number[] {
  if (ts.length === 0 || !(capital > 0)) return [];
  const out: number[] = [];
  let day = Math.floor(fromTs / US_PER_DAY);
  let dayStartEquity = 0;
  let last = 0;
  for (let i = 0; i < ts.length; i++) {
    const d = Math.floor(ts[i]! / US_PER_DAY);
    while (d > day) {
      out.push((last - dayStartEquity) / capital);
      dayStartEquity = last;
      day++;
    }
    last = equity[i]!;
  }
  out.push((last - dayStartEquity) / capital);
  return out;
}

/** mean / dev × √365; null when dev is 0 (no variation to measure risk by). */
function annualized(xs: readonly number[], dev: number): number | null {
  if (!(dev > 0)) return null;
  return (mean(xs) / dev) * Math.sqrt(DAYS_PER_YEAR);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample standard deviation (n − 1). */
function stdev(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Downside deviation against a 0 target: √(Σ min(0, x)² / n). */
function downsideDev(xs: readonly number[]): number {
  return Math.sqrt(xs.reduce((s, x) => s + Math.min(0, x) ** 2, 0) / xs.length);
}

/** Nearest-rank percentile of sorted values; null when empty. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

function round(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

function nullableRound(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : round(x);
}
