import { createHash } from 'node:crypto';
import { openTickStore } from '../data/tick-store-file.js';

/**
 * A fingerprint of a tick store's content, cheap enough for every run: sha256 over its
 * instruments, its imports (each imported file's own sha256), its row count and time range
 * per table. Two stores with the same fingerprint replay the same events for all practical
 * purposes; any import, re-record or edit changes it. Prefixed with the row count for humans.
 */
export async function dataFingerprint(path: string): Promise<string> {
  const file = await openTickStore(path, 'read');
  try {
    const q = async (sql: string) =>
      JSON.stringify((await file.conn.runAndReadAll(sql)).getRowsJS(), bigints);
    const instruments = await q('SELECT * FROM instruments ORDER BY 1, 2');
    const imports = await q('SELECT sha256, size FROM imports ORDER BY 1');
    const events = await q(
      'SELECT count(*), CAST(min(local_ts) AS DOUBLE), CAST(max(local_ts) AS DOUBLE), CAST(sum(exch_ts % 1000003) AS DOUBLE) FROM events',
    );
    const hash = createHash('sha256').update(instruments).update(imports).update(events).digest('hex');
    const rows = (JSON.parse(events) as number[][])[0]?.[0] ?? 0;
    return `${rows} rows sha256:${hash.slice(0, 32)}`;
  } finally {
    file.close();
  }
}

function bigints(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
