/**
 * The run store: what one backtest (or live run) leaves behind in its run folder.
 *
 *   summary.json   the BacktestSummary (headline figures + `metrics`, see metrics.ts)
 *   fills.csv      one row per fill (FILLS_CSV_HEADER)
 *   orders.csv     one row per order: its final state plus its whole state history
 *   trades.csv     round trips (flat → position → flat, or a flip), with MAE/MFE
 *   equity.csv     equity sampled over time
 *   run.duckdb     all of the above as tables, plus prices, signals and run_meta (below)
 *   report.html    the self-contained HTML report rendered from run.duckdb
 *
 * Timestamps are µs since the epoch (local time of the strategy unless named exch_*), stored
 * as BIGINT. Sides are 'buy'/'sell'. Numbers are DOUBLE. The DDL below is the contract the
 * report, `botp compare` and users' own SQL rely on.
 */
export const RUN_SCHEMA_DDL: readonly string[] = [
  // One row per key: strategy, started_at (ISO), data_path, data_fingerprint (sha256 of the
  // tick store's imports + row count + time range), code_version (package version + git commit),
  // argv, config (JSON), params (JSON), summary (JSON of summary.json).
  'CREATE TABLE run_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
  `CREATE TABLE fills (
    client_order_id VARCHAR, symbol VARCHAR, side VARCHAR, price DOUBLE, qty DOUBLE, fee DOUBLE,
    liquidity VARCHAR, exch_ts BIGINT, local_ts BIGINT, tag VARCHAR,
    position_after DOUBLE)`,
  `CREATE TABLE orders (
    client_order_id VARCHAR, symbol VARCHAR, side VARCHAR, type VARCHAR, time_in_force VARCHAR,
    price DOUBLE, qty DOUBLE, reduce_only BOOLEAN, tag VARCHAR, status VARCHAR, filled_qty DOUBLE,
    avg_fill_price DOUBLE, created_ts BIGINT, updated_ts BIGINT, reject_code VARCHAR,
    reject_message VARCHAR, first_fill_ts BIGINT)`,
  // Every state change of every order, in the order the strategy saw them.
  `CREATE TABLE order_events (
    client_order_id VARCHAR, seq INTEGER, ts BIGINT, status VARCHAR, filled_qty DOUBLE,
    price DOUBLE, qty DOUBLE, reject_code VARCHAR, reject_message VARCHAR)`,
  `CREATE TABLE trades (
    symbol VARCHAR, direction VARCHAR, entry_ts BIGINT, exit_ts BIGINT, entry_price DOUBLE,
    exit_price DOUBLE, qty DOUBLE, gross_pnl DOUBLE, fees DOUBLE, funding DOUBLE, net_pnl DOUBLE,
    holding_s DOUBLE, mae DOUBLE, mfe DOUBLE)`,
  // Sampled at every fill and at most once per sample interval otherwise; drawdown ≥ 0.
  `CREATE TABLE equity (
    ts BIGINT, equity DOUBLE, realized_pnl DOUBLE, unrealized_pnl DOUBLE, fees DOUBLE,
    funding DOUBLE, drawdown DOUBLE, gross_exposure DOUBLE)`,
  // Per symbol best bid/ask sampled at most once per price sample interval, and at every fill.
  'CREATE TABLE prices (ts BIGINT, symbol VARCHAR, bid DOUBLE, ask DOUBLE)',
  // Per symbol position after every change (local time of the fill report).
  'CREATE TABLE positions (ts BIGINT, symbol VARCHAR, qty DOUBLE)',
  // ctx.emit(name, value) history.
  'CREATE TABLE signals (ts BIGINT, name VARCHAR, value DOUBLE)',
];
