/**
 * The generated project's `botp.config.json`, which `botp backtest` picks up from the project
 * folder: strategy, data, models, params and risk in one place (flags override each key). The
 * limits sit above what the template strategy does on its own (one `qty` order at a time), so
 * they only bite when a change to the strategy goes wrong.
 */
export function runConfigTemplate(): string {
  const config = {
    strategy: 'src/strategy.ts',
    data: 'data/demo.duckdb',
    latency: 'constant:10000:10000',
    queue: 'risk-averse',
    fills: 'partial',
    params: {},
    runsDir: 'runs',
    risk: {
      maxPositionQty: 0.05,
      maxOrderNotional: 5_000,
      maxOpenOrders: 4,
      priceBand: 0.01,
      dailyLossLimit: 100,
      orderRate: { per10s: 50, per60s: 200 },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
