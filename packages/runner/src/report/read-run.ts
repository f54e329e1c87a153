import type { DuckDBConnection } from '@duckdb/node-api';
import { openRunDb } from './open-run-db.js';
import type { PositionSeries, PriceSeries, RunData, RunFill } from './run-data.js';

type Cell = unknown;

/** Column-wise results; timestamps are cast to DOUBLE in SQL so they arrive as numbers (exact below 2^53). */
async function columns(conn: DuckDBConnection, sql: string): Promise<Cell[][]> {
  return (await conn.runAndReadAll(sql)).getColumnsJS() as Cell[][];
}

const num = (v: Cell): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: Cell): number | null =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : num(v);

function col(cols: Cell[][], i: number): Cell[] {
  return cols[i] ?? [];
}

/** Reads everything the report draws from `<runDir>/run.duckdb` (opened read-only). */
export async function readRun(runDir: string): Promise<RunData> {
  const db = await openRunDb(runDir);
  try {
    const { conn } = db;
    const metaCols = await columns(conn, 'SELECT key, value FROM run_meta ORDER BY key');
    const meta = new Map(col(metaCols, 0).map((k, i) => [String(k), String(col(metaCols, 1)[i])]));

    const eq = await columns(
      conn,
      'SELECT CAST(ts AS DOUBLE), equity, drawdown FROM equity WHERE ts IS NOT NULL ORDER BY ts',
    );
    const equity = {
      ts: col(eq, 0).map(num),
      equity: col(eq, 1).map((v) => numOrNull(v) ?? 0),
      drawdown: col(eq, 2).map((v) => numOrNull(v) ?? 0),
    };

    const pr = await columns(
      conn,
      'SELECT symbol, CAST(ts AS DOUBLE), bid, ask FROM prices WHERE ts IS NOT NULL ORDER BY symbol, ts',
    );
    const prices = new Map<string, PriceSeries>();
    groupBySymbol(col(pr, 0), (symbol, from, to) => {
      prices.set(symbol, {
        ts: col(pr, 1).slice(from, to).map(num),
        bid: col(pr, 2).slice(from, to).map(numOrNull),
        ask: col(pr, 3).slice(from, to).map(numOrNull),
      });
    });

    const po = await columns(
      conn,
      'SELECT symbol, CAST(ts AS DOUBLE), qty FROM positions WHERE ts IS NOT NULL ORDER BY symbol, ts',
    );
    const positions = new Map<string, PositionSeries>();
    groupBySymbol(col(po, 0), (symbol, from, to) => {
      positions.set(symbol, {
        ts: col(po, 1).slice(from, to).map(num),
        qty: col(po, 2)
          .slice(from, to)
          .map((v) => numOrNull(v) ?? 0),
      });
    });

    const fi = await columns(
      conn,
      "SELECT CAST(local_ts AS DOUBLE), symbol, side, price, qty FROM fills WHERE local_ts IS NOT NULL AND price IS NOT NULL AND side IN ('buy', 'sell') ORDER BY local_ts",
    );
    const fills: RunFill[] = col(fi, 0).map((ts, i) => ({
      ts: num(ts),
      symbol: String(col(fi, 1)[i]),
      side: col(fi, 2)[i] === 'buy' ? 'buy' : 'sell',
      price: num(col(fi, 3)[i]),
      qty: numOrNull(col(fi, 4)[i]) ?? 0,
    }));

    // A run store that records the trip still open at the end (trades.is_open) keeps it out of
    // the distribution of round trips: it has no exit yet.
    const tradeCols = await columns(
      conn,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'trades' AND column_name = 'is_open'",
    );
    const closedOnly = col(tradeCols, 0).length > 0 ? ' AND is_open IS NOT TRUE' : '';
    const tr = await columns(
      conn,
      `SELECT net_pnl FROM trades WHERE net_pnl IS NOT NULL${closedOnly} ORDER BY exit_ts, entry_ts`,
    );
    const lat = await columns(
      conn,
      'SELECT CAST(first_fill_ts - created_ts AS DOUBLE) FROM orders WHERE first_fill_ts IS NOT NULL AND created_ts IS NOT NULL ORDER BY created_ts',
    );
    return {
      meta,
      equity,
      prices,
      positions,
      fills,
      tradePnl: col(tr, 0).map(num),
      orderToFillUs: col(lat, 0).map(num),
    };
  } finally {
    db.close();
  }
}

/** Calls `each(symbol, from, to)` for every run of equal symbols in a symbol-sorted column. */
function groupBySymbol(symbols: Cell[], each: (symbol: string, from: number, to: number) => void): void {
  let from = 0;
  for (let i = 1; i <= symbols.length; i++) {
    if (i === symbols.length || symbols[i] !== symbols[from]) {
      each(String(symbols[from]), from, i);
      from = i;
    }
  }
}
