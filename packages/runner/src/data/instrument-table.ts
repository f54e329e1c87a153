import type { Instrument } from '@botplatform/sdk';
import type { DuckDBConnection } from '@duckdb/node-api';

/** An instrument as stored, with the `sym` id its events carry. */
export interface StoredInstrument {
  readonly sym: number;
  readonly instrument: Instrument;
}

/** The largest sym id `events.sym` (USMALLINT) can hold. */
export const MAX_SYM = 65535;

/** The `instruments` columns that make an Instrument beyond its exchange and symbol, in order. */
export const INSTRUMENT_FIELDS =
  'tick_size, step_size, min_qty, min_notional, maker_fee, taker_fee, contract_size, max_qty';

/** An Instrument from INSTRUMENT_FIELDS values starting at `r[at]`. */
export function instrumentFromRow(
  exchange: string,
  symbol: string,
  r: readonly unknown[],
  at = 0,
): Instrument {
  const maxQty = r[at + 7];
  return {
    exchange,
    symbol,
    tickSize: Number(r[at]),
    stepSize: Number(r[at + 1]),
    minQty: Number(r[at + 2]),
    minNotional: Number(r[at + 3]),
    makerFee: Number(r[at + 4]),
    takerFee: Number(r[at + 5]),
    contractSize: Number(r[at + 6]),
    ...(maxQty === null || maxQty === undefined ? {} : { maxQty: Number(maxQty) }),
  };
}

/** All instruments of a tick store in sym order (the order of first appearance). */
export async function loadInstruments(conn: DuckDBConnection): Promise<StoredInstrument[]> {
  const reader = await conn.runAndReadAll(
    `SELECT sym, exchange, symbol, ${INSTRUMENT_FIELDS} FROM instruments ORDER BY sym`,
  );
  return reader.getRowsJS().map((r) => ({
    sym: Number(r[0]),
    instrument: instrumentFromRow(String(r[1]), String(r[2]), r, 3),
  }));
}

/** Inserts or updates (same exchange + symbol) an instrument under `sym`. */
export async function upsertInstrument(conn: DuckDBConnection, inst: Instrument, sym: number): Promise<void> {
  const maxQty = inst.maxQty !== undefined && Number.isFinite(inst.maxQty) ? inst.maxQty : null;
  await conn.run(
    `INSERT INTO instruments (exchange, symbol, tick_size, step_size, min_qty, min_notional, maker_fee,
      taker_fee, contract_size, sym, max_qty)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (exchange, symbol) DO UPDATE SET tick_size = excluded.tick_size,
      step_size = excluded.step_size, min_qty = excluded.min_qty, min_notional = excluded.min_notional,
      maker_fee = excluded.maker_fee, taker_fee = excluded.taker_fee,
      contract_size = excluded.contract_size, max_qty = excluded.max_qty`,
    [
      inst.exchange,
      inst.symbol,
      inst.tickSize,
      inst.stepSize,
      inst.minQty,
      inst.minNotional,
      inst.makerFee,
      inst.takerFee,
      inst.contractSize,
      sym,
      maxQty,
    ],
  );
}
