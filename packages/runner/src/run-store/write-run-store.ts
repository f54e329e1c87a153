import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBAppender } from '@duckdb/node-api';
import { appendRow } from '../data/append-row.js';
import { openDuckDbFile } from '../data/duckdb-file.js';
import { fillRow } from '../data/fill-row.js';
import { type CsvValue, writeCsv } from './csv-file.js';
import type { RunRecord } from './run-recorder.js';
import { RUN_SCHEMA_DDL, RUN_TABLES, type RunTable, runColumns } from './run-schema.js';

/** A table's rows as a count and a row function (values in the table's column order). */
interface Rows {
  readonly count: number;
  row(i: number): readonly CsvValue[];
}

export const RUN_FILES = {
  summary: 'summary.json',
  fills: 'fills.csv',
  orders: 'orders.csv',
  trades: 'trades.csv',
  equity: 'equity.csv',
  db: 'run.duckdb',
  report: 'report.html',
} as const;

/**
 * Writes a run folder (see run-schema.ts): summary.json, the CSVs and run.duckdb with every
 * table plus run_meta. `meta` values are strings (JSON for structured ones). An existing
 * run.duckdb in the folder is replaced.
 */
export async function writeRunStore(
  dir: string,
  summary: object,
  record: RunRecord,
  meta: Readonly<Record<string, string>>,
): Promise<void> {
  const tables = tableRows(record);
  writeFileSync(join(dir, RUN_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  writeCsv(join(dir, RUN_FILES.fills), runColumns('fills'), tables.fills.count, tables.fills.row);
  const histories = orderHistories(record);
  writeCsv(join(dir, RUN_FILES.orders), [...runColumns('orders'), 'history'], tables.orders.count, (i) => [
    ...tables.orders.row(i),
    histories[i]!,
  ]);
  writeCsv(join(dir, RUN_FILES.trades), runColumns('trades'), tables.trades.count, tables.trades.row);
  writeCsv(join(dir, RUN_FILES.equity), runColumns('equity'), tables.equity.count, tables.equity.row);

  const dbPath = join(dir, RUN_FILES.db);
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  const db = await openDuckDbFile(dbPath);
  try {
    for (const ddl of RUN_SCHEMA_DDL) await db.conn.run(ddl);
    const metaRows = Object.entries(meta);
    await appendRows(db.conn.createAppender.bind(db.conn), 'run_meta', {
      count: metaRows.length,
      row: (i) => metaRows[i]!,
    });
    for (const [table, rows] of Object.entries(tables) as [RunTable, Rows][]) {
      await appendRows(db.conn.createAppender.bind(db.conn), table, rows);
    }
    await db.conn.run('CHECKPOINT');
  } finally {
    db.close();
  }
}

/** Every table's rows, in the column order of RUN_TABLES. */
function tableRows(r: RunRecord): Record<Exclude<RunTable, 'run_meta'>, Rows> {
  const orders = [...r.orders.latest.values()];
  const trips = r.trips.trips;
  const e = r.equity;
  const sym = (i: number) => r.symbols[i]!;
  return {
    fills: {
      count: r.fills.length,
      row: (i) => {
        const { fill, positionAfter } = r.fills[i]!;
        return fillRow(fill, positionAfter);
      },
    },
    orders: {
      count: orders.length,
      row: (i) => {
        const o = orders[i]!;
        return [
          o.clientOrderId,
          o.symbol,
          o.side,
          o.type,
          o.timeInForce,
          o.price,
          o.qty,
          o.reduceOnly,
          o.tag ?? null,
          o.status,
          o.filledQty,
          o.avgFillPrice,
          o.createdTs,
          o.updatedTs,
          o.reason?.code ?? null,
          o.reason?.message ?? null,
          r.orders.firstFillTs.get(o.clientOrderId) ?? null,
        ];
      },
    },
    order_events: {
      count: r.orders.events.ts.length,
      row: (i) => {
        const e = r.orders.events;
        const reason = e.reason[i];
        return [
          e.clientOrderId[i],
          i,
          e.ts[i],
          e.status[i],
          e.filledQty[i],
          e.price[i],
          e.qty[i],
          reason?.code ?? null,
          reason?.message ?? null,
        ];
      },
    },
    trades: {
      count: trips.length,
      row: (i) => {
        const t = trips[i]!;
        return [
          t.symbol,
          t.direction,
          t.entryTs,
          t.exitTs,
          t.entryPrice,
          t.exitPrice,
          t.qty,
          t.grossPnl,
          t.fees,
          t.funding,
          t.netPnl,
          t.holdingS,
          t.mae,
          t.mfe,
          t.isOpen,
        ];
      },
    },
    equity: {
      count: e.ts.length,
      row: (i) => [
        e.ts[i],
        e.equity[i],
        e.realized[i],
        e.unrealized[i],
        e.fees[i],
        e.funding[i],
        e.drawdown[i],
        e.grossExposure[i],
      ],
    },
    prices: {
      count: r.prices.ts.length,
      row: (i) => [r.prices.ts[i], sym(r.prices.sym[i]!), r.prices.bid[i], r.prices.ask[i]],
    },
    positions: {
      count: r.positions.ts.length,
      row: (i) => [r.positions.ts[i], sym(r.positions.sym[i]!), r.positions.qty[i]],
    },
    signals: {
      count: r.signals.ts.length,
      row: (i) => [r.signals.ts[i], r.signals.name[i], r.signals.value[i]],
    },
  };
}

/** Per order (in `latest` order), `ts status;ts status;…` with reject codes: orders.csv `history`. */
function orderHistories(r: RunRecord): string[] {
  const index = new Map<string, string[]>();
  const e = r.orders.events;
  for (let i = 0; i < e.ts.length; i++) {
    const id = e.clientOrderId[i]!;
    let list = index.get(id);
    if (list === undefined) {
      list = [];
      index.set(id, list);
    }
    const reason = e.reason[i];
    list.push(`${e.ts[i]} ${e.status[i]}${reason ? ` ${reason.code}` : ''}`);
  }
  return [...r.orders.latest.keys()].map((id) => (index.get(id) ?? []).join(';'));
}

async function appendRows(
  createAppender: (table: string) => Promise<DuckDBAppender>,
  table: RunTable,
  rows: Rows,
): Promise<void> {
  const types = Object.values(RUN_TABLES[table]);
  const app = await createAppender(table);
  for (let i = 0; i < rows.count; i++) appendRow(app, types, rows.row(i));
  app.closeSync();
}
