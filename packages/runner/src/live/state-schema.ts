import { z } from 'zod';

/**
 * The `--state` file of `botp live`: one DuckDB file per bot (strategy + exchange + symbols),
 * written while it runs and read back on restart. Timestamps are µs since the epoch (BIGINT),
 * local time unless named exch_*. `epoch` is the run number within the file (1, 2, … one per
 * start).
 *
 *   state_meta        key/value: format marker, version, the bot's identity, the order-id prefix
 *   runs              one row per start: epoch, started_at, ended_at (null if killed), run folder
 *   orders            every state change of every order (the latest row per id is its state)
 *   fills             every fill with the position after it
 *   positions         the position after each fill, and as reconciled with the exchange
 *   strategy_snapshots ctx.state + signals (kernel.snapshotStrategy()) as JSON, the latest 100
 *   order_latency     req_ts, exch_ts, resp_ts per order round trip: the tick store's columns, so
 *                     the `recorded` latency model can be fitted from it
 *   gaps              market data the adapter lost (the tick store's columns)
 */
export const STATE_FORMAT = 'botp-live-state';
export const STATE_VERSION = 1;

/** Snapshots kept in the file (older ones are pruned at each flush). */
export const SNAPSHOTS_KEPT = 100;

export const STATE_DDL: readonly string[] = [
  'CREATE TABLE state_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
  `CREATE TABLE runs (
    epoch INTEGER PRIMARY KEY,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    run_dir VARCHAR
  )`,
  `CREATE TABLE orders (
    seq BIGINT NOT NULL,
    epoch INTEGER NOT NULL,
    client_order_id VARCHAR NOT NULL,
    exchange_order_id VARCHAR,
    symbol VARCHAR NOT NULL,
    side VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    time_in_force VARCHAR NOT NULL,
    price DOUBLE,
    qty DOUBLE NOT NULL,
    filled_qty DOUBLE NOT NULL,
    avg_fill_price DOUBLE,
    status VARCHAR NOT NULL,
    reduce_only BOOLEAN NOT NULL,
    tag VARCHAR,
    created_ts BIGINT NOT NULL,
    updated_ts BIGINT NOT NULL,
    reason_code VARCHAR,
    reason_message VARCHAR,
    reason_exchange_code INTEGER
  )`,
  `CREATE TABLE fills (
    epoch INTEGER NOT NULL,
    client_order_id VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    side VARCHAR NOT NULL,
    price DOUBLE NOT NULL,
    qty DOUBLE NOT NULL,
    fee DOUBLE NOT NULL,
    liquidity VARCHAR NOT NULL,
    exch_ts BIGINT NOT NULL,
    local_ts BIGINT NOT NULL,
    tag VARCHAR,
    position_after DOUBLE NOT NULL
  )`,
  `CREATE TABLE positions (
    seq BIGINT NOT NULL,
    epoch INTEGER NOT NULL,
    ts BIGINT NOT NULL,
    symbol VARCHAR NOT NULL,
    qty DOUBLE NOT NULL,
    avg_entry_price DOUBLE,
    source VARCHAR NOT NULL
  )`,
  `CREATE TABLE strategy_snapshots (
    seq BIGINT NOT NULL,
    epoch INTEGER NOT NULL,
    ts BIGINT NOT NULL,
    snapshot VARCHAR NOT NULL
  )`,
  `CREATE TABLE order_latency (
    exchange VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    req_ts BIGINT NOT NULL,
    exch_ts BIGINT NOT NULL,
    resp_ts BIGINT NOT NULL
  )`,
  `CREATE TABLE gaps (
    exchange VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    stream VARCHAR NOT NULL,
    from_ts BIGINT NOT NULL,
    to_ts BIGINT NOT NULL,
    reason VARCHAR NOT NULL
  )`,
];

export const STATE_TABLES = [
  'state_meta',
  'runs',
  'orders',
  'fills',
  'positions',
  'strategy_snapshots',
  'order_latency',
  'gaps',
] as const;

/** Who the file belongs to: a restart must be the same bot. */
export const stateMetaSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(String(STATE_VERSION), {
    error: `unsupported version (this botp reads version ${STATE_VERSION})`,
  }),
  strategy: z.string().min(1),
  exchange: z.string().min(1),
  symbols: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.string().min(1)).min(1)),
  paper: z.enum(['true', 'false']).transform((v) => v === 'true'),
  id_prefix: z.string().regex(/^[A-Za-z0-9]{2,12}$/),
  created_at: z.string(),
});
export type StateMeta = z.output<typeof stateMetaSchema>;

const side = z.enum(['buy', 'sell']);
const nullableNumber = z.number().nullable();

/** The latest row of one order, as read back (timestamps cast to DOUBLE in SQL). */
export const orderRowSchema = z.object({
  client_order_id: z.string().min(1),
  exchange_order_id: z.string().nullable(),
  symbol: z.string().min(1),
  side,
  type: z.enum(['limit', 'market']),
  time_in_force: z.enum(['GTC', 'IOC', 'FOK', 'GTX']),
  price: nullableNumber,
  qty: z.number().positive(),
  filled_qty: z.number().min(0),
  avg_fill_price: nullableNumber,
  status: z.enum([
    'pending',
    'new',
    'partiallyFilled',
    'pendingCancel',
    'filled',
    'canceled',
    'rejected',
    'expired',
  ]),
  reduce_only: z.boolean(),
  tag: z.string().nullable(),
  created_ts: z.number(),
  updated_ts: z.number(),
  reason_code: z.string().nullable(),
  reason_message: z.string().nullable(),
  reason_exchange_code: z.number().int().nullable(),
});
export type OrderRow = z.output<typeof orderRowSchema>;

export const positionRowSchema = z.object({
  symbol: z.string().min(1),
  qty: z.number(),
  avg_entry_price: nullableNumber,
});
export type PositionRow = z.output<typeof positionRowSchema>;
