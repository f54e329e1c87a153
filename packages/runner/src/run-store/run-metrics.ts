import { z } from 'zod';

const num = z.number();
const nullableNum = z.number().nullable();

/**
 * The run's performance metrics (summary.json `metrics`, run_meta `summary`). Money in quote
 * currency. Returns are on `starting_capital` (config `capital`, default: the largest gross
 * notional the run held, so return is "per unit of capital actually used"). Sharpe and Sortino
 * use per-UTC-day returns, annualized by √365 (crypto trades every day); null when the run
 * spans fewer than 2 days. Calmar = annualized return / max drawdown %.
 */
export const runMetricsSchema = z.object({
  starting_capital: num,
  net_pnl: num,
  gross_pnl: num,
  fees: num,
  maker_fees: num,
  taker_fees: num,
  funding: num,
  return_pct: num,
  sharpe: nullableNum,
  sortino: nullableNum,
  calmar: nullableNum,
  max_drawdown: num,
  max_drawdown_pct: num,
  max_drawdown_start_ts: nullableNum,
  max_drawdown_end_ts: nullableNum,
  round_trips: num,
  win_rate: nullableNum,
  profit_factor: nullableNum,
  expectancy: nullableNum,
  avg_holding_s: nullableNum,
  maker_share: num,
  /** Filled quantity / ordered quantity over all orders that reached the exchange. */
  fill_ratio: nullableNum,
  /** Share of the run's time with a non-zero position in any symbol. */
  exposure: num,
  /** Order placed → first fill (local clock), µs percentiles; null without fills. */
  order_to_fill_p50_us: nullableNum,
  order_to_fill_p90_us: nullableNum,
  order_to_fill_p99_us: nullableNum,
  /** The worst 10-minute cycle of each exchange quantitative-trading ratio, over all symbols. */
  unfilled_ratio_max: nullableNum,
  cancel_within_5s_ratio_max: nullableNum,
  ioc_fok_expiry_ratio_max: nullableNum,
});

export type RunMetrics = z.infer<typeof runMetricsSchema>;

/**
 * Human labels and display units, in the order tables show them (report, compare, CLI).
 * 'pct' values are fractions (0.12 shows as 12.00 %); 'us' are µs; 'ts' µs since the epoch.
 */
export const METRIC_LABELS: readonly (readonly [
  keyof RunMetrics,
  string,
  'money' | 'pct' | 'ratio' | 'count' | 'seconds' | 'us' | 'ts',
])[] = [
  ['net_pnl', 'Net PnL', 'money'],
  ['gross_pnl', 'Gross PnL', 'money'],
  ['fees', 'Fees', 'money'],
  ['maker_fees', 'Maker fees', 'money'],
  ['taker_fees', 'Taker fees', 'money'],
  ['funding', 'Funding', 'money'],
  ['starting_capital', 'Capital', 'money'],
  ['return_pct', 'Return', 'pct'],
  ['sharpe', 'Sharpe (daily, ann.)', 'ratio'],
  ['sortino', 'Sortino (daily, ann.)', 'ratio'],
  ['calmar', 'Calmar', 'ratio'],
  ['max_drawdown', 'Max drawdown', 'money'],
  ['max_drawdown_pct', 'Max drawdown %', 'pct'],
  ['max_drawdown_start_ts', 'Drawdown start', 'ts'],
  ['max_drawdown_end_ts', 'Drawdown end', 'ts'],
  ['round_trips', 'Round trips', 'count'],
  ['win_rate', 'Win rate', 'pct'],
  ['profit_factor', 'Profit factor', 'ratio'],
  ['expectancy', 'Expectancy / trade', 'money'],
  ['avg_holding_s', 'Avg holding', 'seconds'],
  ['maker_share', 'Maker share (volume)', 'pct'],
  ['fill_ratio', 'Fill ratio', 'pct'],
  ['exposure', 'Exposure (time)', 'pct'],
  ['order_to_fill_p50_us', 'Order→fill p50', 'us'],
  ['order_to_fill_p90_us', 'Order→fill p90', 'us'],
  ['order_to_fill_p99_us', 'Order→fill p99', 'us'],
  ['unfilled_ratio_max', 'Unfilled ratio (worst 10 min)', 'pct'],
  ['cancel_within_5s_ratio_max', 'Cancel <5s ratio (worst 10 min)', 'pct'],
  ['ioc_fok_expiry_ratio_max', 'IOC/FOK expiry ratio (worst 10 min)', 'pct'],
];

/** `botp backtest --help`: how the metrics are defined. */
export const METRICS_HELP = [
  'Metrics (summary.json "metrics"; money in quote currency):',
  '  capital        --capital / config "capital"; default: the largest gross exposure the run held',
  '  return         net PnL / capital',
  '  Sharpe         mean / sample stdev of per-UTC-day returns on capital × √365 (null under 2 days)',
  '  Sortino        mean / downside deviation (target 0) of the same daily returns × √365',
  '  Calmar         annualized return / max drawdown % (null for runs under a day)',
  '  max drawdown   largest fall of equity from a peak (equity re-marked at every book update while',
  '                 in a position); % of capital + the peak',
  '  round trips    flat → position → flat (a flip closes one); win rate, profit factor (Σ wins /',
  '                 Σ losses) and expectancy (mean net PnL) over closed ones; MAE/MFE in trades.csv',
  '  fill ratio     filled / ordered quantity of orders that reached the exchange',
  '  exposure       share of the run with a non-zero position',
  '  order→fill     local time from placing an order to its first fill, p50/p90/p99',
  '  quant ratios   worst rolling 10-minute unfilled, GTC cancel-within-5s and IOC/FOK expiry ratios',
  "                 (Binance's definitions), once the window holds the exchange's minimum orders",
].join('\n');
