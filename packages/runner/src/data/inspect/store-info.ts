import { statSync } from 'node:fs';
import type { Instrument } from '@botplatform/sdk';
import { loadInstruments } from '../instrument-table.js';
import { META_UNSORTED } from '../schema.js';
import { openTickStore } from '../tick-store-file.js';
import { queryDepthChainBreaks } from './depth-chain-breaks-query.js';
import type { FeedLatencyStats } from './feed-latency-stats.js';
import { tableOfGapStream } from './gap-stream-table.js';
import { type GapSummary, queryGapSummary } from './gap-summary-query.js';
import { type ImportRecord, queryImports } from './imports-query.js';
import { queryStreamStats } from './stream-stats-query.js';
import { tableOfKind } from './table-names.js';

/** One table's data for one instrument. */
export interface StreamInfo {
  /** null when `instruments` has no row for the events' sym (verify reports it). */
  readonly exchange: string | null;
  readonly symbol: string | null;
  readonly sym: number;
  readonly table: string;
  readonly rows: number;
  /** Depth only: messages (distinct seq); null elsewhere. */
  readonly messages: number | null;
  /** First and last local_ts (µs). */
  readonly firstTs: number;
  readonly lastTs: number;
  readonly latency: FeedLatencyStats;
  /** Rows of `gaps` whose stream names this table, for this instrument. */
  readonly recordedGaps: number;
  /** Depth only: chain breaks by verify's depth-sequence rule; null elsewhere. */
  readonly chainBreaks: number | null;
}

/** What `botp data info` shows about a tick store. */
export interface StoreInfo {
  readonly path: string;
  readonly fileBytes: number;
  /** Rows of `events` (a depth message is one row per level). */
  readonly events: number;
  /** A writer was interrupted before sorting `events`; replays refuse the file. */
  readonly markedUnsorted: boolean;
  readonly instruments: readonly Instrument[];
  readonly streams: readonly StreamInfo[];
  readonly gaps: readonly GapSummary[];
  readonly imports: readonly ImportRecord[];
  readonly orderLatencySamples: number;
}

/**
 * Summarizes a tick store with a few SQL aggregates (one pass over `events` for the stream
 * figures, one window over depth messages for chain breaks): no rows come into JS, so it
 * takes seconds on tens of millions of rows.
 */
export async function readStoreInfo(path: string): Promise<StoreInfo> {
  const file = await openTickStore(path, 'read');
  try {
    const { conn } = file;
    const instruments = await loadInstruments(conn);
    const bySym = new Map(instruments.map((s) => [s.sym, s.instrument]));
    const stats = await queryStreamStats(conn);
    const breaks = await queryDepthChainBreaks(conn);
    const gaps = await queryGapSummary(conn);
    const imports = await queryImports(conn);
    const scalars = (
      await conn.runAndReadAll(
        `SELECT (SELECT count(*) FROM order_latency), (SELECT count(*) FROM meta WHERE key = '${META_UNSORTED}')`,
      )
    ).getRowsJS()[0];
    const streams = stats.map((s): StreamInfo => {
      const inst = bySym.get(s.sym);
      const table = tableOfKind(s.kind);
      const recordedGaps = gaps
        .filter((g) => g.exchange === inst?.exchange && g.symbol === inst.symbol)
        .filter((g) => tableOfGapStream(g.stream) === table)
        .reduce((sum, g) => sum + g.count, 0);
      return {
        exchange: inst?.exchange ?? null,
        symbol: inst?.symbol ?? null,
        sym: s.sym,
        table,
        rows: s.rows,
        messages: s.messages,
        firstTs: s.firstTs,
        lastTs: s.lastTs,
        latency: s.latency,
        recordedGaps,
        chainBreaks: s.messages === null ? null : (breaks.get(s.sym) ?? 0),
      };
    });
    return {
      path,
      fileBytes: statSync(path).size,
      events: stats.reduce((sum, s) => sum + s.rows, 0),
      markedUnsorted: Number(scalars?.[1] ?? 0) > 0,
      instruments: instruments.map((s) => s.instrument),
      streams,
      gaps,
      imports,
      orderLatencySamples: Number(scalars?.[0] ?? 0),
    };
  } finally {
    file.close();
  }
}
