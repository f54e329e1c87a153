/**
 * The generated project's `botp.config.json` (the run config `botp backtest --config` reads).
 * Only the keys the run-config schema accepts today (it is strict); the limits sit above what
 * the template strategy does on its own (one `qty` order at a time), so they only bite when a
 * change to the strategy goes wrong.
 */
export function runConfigTemplate(): string {
  const config = {
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
