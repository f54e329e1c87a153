/**
 * The tick store's physical schema. All market data lives in ONE interleaved table, `events`,
 * whose rows are kept in `local_ts` order (the writer sorts once when appends went back in
 * time), so a replay is a plain sequential scan: no ORDER BY, no merge of per-stream tables.
 * The logical tables of DESIGN.md (`trades`, `depth`, ...) are views over it for SQL users.
 */

/** Bumped whenever the physical layout changes; files of another version are refused. */
export const SCHEMA_VERSION = '1';

/** `events.kind`: which market event a row belongs to. */
export const EventKind = {
  /** seq = trade id, side = aggressor ±1, price, qty. */
  Trade: 1,
  /** One row per price level: side ±1, price, qty (absolute size), seq/prev_seq per message. */
  Depth: 2,
  /** price/qty = best bid, price2/qty2 = best ask, seq. */
  BookTicker: 3,
  /** price = mark, qty = index, price2 = funding rate, qty2 = next funding time (µs). */
  MarkPrice: 4,
  /** qty = open interest. */
  OpenInterest: 5,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** `events.flags` bits of depth rows. */
export const DepthFlag = {
  /** The message is a full snapshot that replaces the book. */
  Snapshot: 1,
  /** First row of its message. */
  First: 2,
  /** Last row of its message: the book is consistent after applying it. */
  Last: 4,
} as const;
export type DepthFlag = (typeof DepthFlag)[keyof typeof DepthFlag];

/** `events` columns in table order; the writer's appender and the reader depend on it. */
export const EVENT_COLUMNS = [
  'kind',
  'sym',
  'exch_ts',
  'local_ts',
  'seq',
  'prev_seq',
  'flags',
  'side',
  'price',
  'qty',
  'price2',
  'qty2',
] as const;

/** `events` DDL without the name, so the sort-on-close rewrite creates an identical table. */
export const EVENTS_COLUMNS_DDL = `(
  kind UTINYINT NOT NULL,
  sym USMALLINT NOT NULL,
  exch_ts BIGINT NOT NULL,
  local_ts BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  prev_seq BIGINT NOT NULL,
  flags UTINYINT NOT NULL,
  side TINYINT NOT NULL,
  price DOUBLE NOT NULL,
  qty DOUBLE NOT NULL,
  price2 DOUBLE NOT NULL,
  qty2 DOUBLE NOT NULL
)`;

/** `meta` key holding the schema version. */
export const META_SCHEMA_VERSION = 'schema_version';
/**
 * `meta` key set to 'true' while `events` may be out of `local_ts` order (a writer appended back
 * in time and has not yet rewritten the table); readers refuse such a file instead of replaying
 * events out of order.
 */
export const META_UNSORTED = 'events_unsorted';

const kind = EventKind;

/** Statements that create an empty tick store, in order. */
export const CREATE_SCHEMA: readonly string[] = [
  'CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
  `CREATE TABLE instruments (
    exchange VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    tick_size DOUBLE NOT NULL,
    step_size DOUBLE NOT NULL,
    min_qty DOUBLE NOT NULL,
    min_notional DOUBLE NOT NULL,
    maker_fee DOUBLE NOT NULL,
    taker_fee DOUBLE NOT NULL,
    contract_size DOUBLE NOT NULL,
    sym USMALLINT NOT NULL UNIQUE,
    max_qty DOUBLE,
    PRIMARY KEY (exchange, symbol)
  )`,
  `CREATE TABLE events ${EVENTS_COLUMNS_DDL}`,
  `CREATE TABLE gaps (
    exchange VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    stream VARCHAR NOT NULL,
    from_ts BIGINT NOT NULL,
    to_ts BIGINT NOT NULL,
    reason VARCHAR NOT NULL
  )`,
  `CREATE TABLE order_latency (
    exchange VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL,
    req_ts BIGINT NOT NULL,
    exch_ts BIGINT NOT NULL,
    resp_ts BIGINT NOT NULL
  )`,
  `CREATE TABLE imports (
    sha256 VARCHAR PRIMARY KEY,
    size BIGINT NOT NULL,
    file VARCHAR NOT NULL,
    lines BIGINT NOT NULL,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp
  )`,
  `CREATE VIEW trades AS
    SELECT i.exchange, i.symbol, e.exch_ts, e.local_ts, e.seq AS trade_id, e.price, e.qty, e.side
    FROM events e JOIN instruments i ON i.sym = e.sym WHERE e.kind = ${kind.Trade}`,
  `CREATE VIEW depth AS
    SELECT i.exchange, i.symbol, e.exch_ts, e.local_ts, e.seq, e.prev_seq,
      (e.flags & ${DepthFlag.Snapshot}) <> 0 AS is_snapshot, e.side, e.price, e.qty
    FROM events e JOIN instruments i ON i.sym = e.sym WHERE e.kind = ${kind.Depth}`,
  `CREATE VIEW book_ticker AS
    SELECT i.exchange, i.symbol, e.exch_ts, e.local_ts, e.seq,
      e.price AS bid_price, e.qty AS bid_qty, e.price2 AS ask_price, e.qty2 AS ask_qty
    FROM events e JOIN instruments i ON i.sym = e.sym WHERE e.kind = ${kind.BookTicker}`,
  `CREATE VIEW mark_price AS
    SELECT i.exchange, i.symbol, e.exch_ts, e.local_ts, e.price AS mark_price, e.qty AS index_price,
      e.price2 AS funding_rate, CAST(e.qty2 AS BIGINT) AS next_funding_ts
    FROM events e JOIN instruments i ON i.sym = e.sym WHERE e.kind = ${kind.MarkPrice}`,
  `CREATE VIEW open_interest AS
    SELECT i.exchange, i.symbol, e.exch_ts, e.local_ts, e.qty AS open_interest
    FROM events e JOIN instruments i ON i.sym = e.sym WHERE e.kind = ${kind.OpenInterest}`,
  `INSERT INTO meta VALUES ('${META_SCHEMA_VERSION}', '${SCHEMA_VERSION}')`,
];

/** The tables every tick store has; a file missing one is not a tick store. */
export const REQUIRED_TABLES = ['meta', 'instruments', 'events', 'gaps', 'order_latency', 'imports'] as const;
