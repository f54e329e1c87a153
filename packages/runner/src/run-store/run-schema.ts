import type { ColumnType } from '../data/append-row.js';

/**
 * The run store: what one backtest (or live run) leaves behind in its run folder.
 *
 *   summary.json   the BacktestSummary (headline figures + `metrics`, see run-metrics.ts)
 *   fills.csv      one row per fill (the `fills` table)
 *   orders.csv     one row per order: its final state plus its whole state history
 *   trades.csv     round trips (flat → position → flat, or a flip), with MAE/MFE
 *   equity.csv     equity sampled over time
 *   run.duckdb     all of the above as tables, plus prices, positions, signals and run_meta
 *   report.html    the self-contained HTML report rendered from run.duckdb
 *
 * Timestamps are µs since the epoch (local time of the strategy unless named exch_*), stored
 * as BIGINT. Sides are 'buy'/'sell'. Numbers are DOUBLE. These tables are the contract the
 * report, `botp compare` and users' own SQL rely on.
 */

export const RUN_TABLES = {
  // One row per key: strategy, started_at (ISO), data_path, data_fingerprint, code_version,
  // argv, config (JSON), params (JSON), summary (JSON of summary.json).
  run_meta: { key: 'VARCHAR', value: 'VARCHAR' },
  fills: {
    client_order_id: 'VARCHAR',
    symbol: 'VARCHAR',
    side: 'VARCHAR',
    price: 'DOUBLE',
    qty: 'DOUBLE',
    fee: 'DOUBLE',
    liquidity: 'VARCHAR',
    exch_ts: 'BIGINT',
    local_ts: 'BIGINT',
    tag: 'VARCHAR',
    position_after: 'DOUBLE',
  },
  orders: {
    client_order_id: 'VARCHAR',
    symbol: 'VARCHAR',
    side: 'VARCHAR',
    type: 'VARCHAR',
    time_in_force: 'VARCHAR',
    price: 'DOUBLE',
    qty: 'DOUBLE',
    reduce_only: 'BOOLEAN',
    tag: 'VARCHAR',
    status: 'VARCHAR',
    filled_qty: 'DOUBLE',
    avg_fill_price: 'DOUBLE',
    created_ts: 'BIGINT',
    updated_ts: 'BIGINT',
    reject_code: 'VARCHAR',
    reject_message: 'VARCHAR',
    first_fill_ts: 'BIGINT',
  },
  // Every state change of every order, in the order the strategy saw them.
  order_events: {
    client_order_id: 'VARCHAR',
    seq: 'INTEGER',
    ts: 'BIGINT',
    status: 'VARCHAR',
    filled_qty: 'DOUBLE',
    price: 'DOUBLE',
    qty: 'DOUBLE',
    reject_code: 'VARCHAR',
    reject_message: 'VARCHAR',
  },
  trades: {
    symbol: 'VARCHAR',
    direction: 'VARCHAR',
    entry_ts: 'BIGINT',
    exit_ts: 'BIGINT',
    entry_price: 'DOUBLE',
    exit_price: 'DOUBLE',
    qty: 'DOUBLE',
    gross_pnl: 'DOUBLE',
    fees: 'DOUBLE',
    funding: 'DOUBLE',
    net_pnl: 'DOUBLE',
    holding_s: 'DOUBLE',
    mae: 'DOUBLE',
    mfe: 'DOUBLE',
    is_open: 'BOOLEAN',
  },
  // Sampled every sample interval (on a book update) and at every fill; drawdown ≥ 0.
  equity: {
    ts: 'BIGINT',
    equity: 'DOUBLE',
    realized_pnl: 'DOUBLE',
    unrealized_pnl: 'DOUBLE',
    fees: 'DOUBLE',
    funding: 'DOUBLE',
    drawdown: 'DOUBLE',
    gross_exposure: 'DOUBLE',
  },
  // Per symbol best bid/ask at the same moments as equity.
  prices: { ts: 'BIGINT', symbol: 'VARCHAR', bid: 'DOUBLE', ask: 'DOUBLE' },
  // Per symbol position after every change (local time of the fill report).
  positions: { ts: 'BIGINT', symbol: 'VARCHAR', qty: 'DOUBLE' },
  // ctx.emit(name, value) history (numbers; booleans as 0/1).
  signals: { ts: 'BIGINT', name: 'VARCHAR', value: 'DOUBLE' },
} as const satisfies Record<string, Record<string, ColumnType>>;

export type RunTable = keyof typeof RUN_TABLES;

export function runColumns(table: RunTable): string[] {
  return Object.keys(RUN_TABLES[table]);
}

export const RUN_SCHEMA_DDL: readonly string[] = Object.entries(RUN_TABLES).map(
  ([table, cols]) =>
    `CREATE TABLE ${table} (${Object.entries(cols)
      .map(([c, t]) => `${c} ${t}${table === 'run_meta' && c === 'key' ? ' PRIMARY KEY' : ''}`)
      .join(', ')})`,
);
