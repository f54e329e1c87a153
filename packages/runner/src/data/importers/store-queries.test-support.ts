// Shared by the importers' tests (excluded from the build): reading back what an import wrote.
import { MarketDataEngine } from '../../kernel/market-data-engine.js';
import { openDuckDbFile } from '../duckdb-file.js';
import { ReplayReader } from '../replay-reader.js';
import { EventKind } from '../schema.js';

/** Rows of a query on the store, BIGINTs as numbers. */
export async function query(dbPath: string, sql: string): Promise<unknown[][]> {
  const file = await openDuckDbFile(dbPath, { readOnly: true });
  try {
    return (await file.conn.runAndReadAll(sql))
      .getRowsJS()
      .map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  } finally {
    file.close();
  }
}

/** Replays the store's depth rows through the backtest's own book engine. */
export async function replayBooks(dbPath: string): Promise<{ engine: MarketDataEngine; symbols: string[] }> {
  const reader = await ReplayReader.open(dbPath);
  const engine = new MarketDataEngine(reader.instruments);
  try {
    for await (const b of reader.batches()) {
      for (let i = 0; i < b.length; i++) {
        if (b.kind[i] !== EventKind.Depth) continue;
        engine.depthRow(
          b.sym[i]!,
          b.side[i] as 1 | -1,
          b.price[i]!,
          b.qty[i]!,
          b.flags[i]!,
          b.seq[i]!,
          b.prevSeq[i]!,
          b.exchTs[i]!,
          b.localTs[i]!,
        );
      }
    }
  } finally {
    await reader.close();
  }
  return { engine, symbols: reader.instruments.map((i) => i.symbol) };
}
