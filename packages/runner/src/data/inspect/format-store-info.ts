import { formatMicros } from '@botplatform/sdk';
import type { FeedLatencyStats } from './feed-latency-stats.js';
import type { StoreInfo, StreamInfo } from './store-info.js';

const n = (x: number): string => x.toLocaleString('en-US');
/** `1 row`, `2 rows`. */
const count = (x: number, noun: string): string => `${n(x)} ${noun}${x === 1 ? '' : 's'}`;

/** The human-readable `botp data info` report. */
export function formatStoreInfo(info: StoreInfo): string {
  const out: string[] = [];
  const insts = info.instruments.length;
  out.push(
    `${info.path}: ${mib(info.fileBytes)}, ${count(info.events, 'events row')}, ${count(insts, 'instrument')}`,
  );
  if (info.markedUnsorted) {
    out.push('  marked unsorted by an interrupted write: replays refuse it until a botp writer re-sorts it');
  }
  out.push('instruments');
  if (insts === 0) out.push('  none');
  for (const i of info.instruments) {
    out.push(
      `  ${i.exchange} ${i.symbol}  tick ${i.tickSize}  step ${i.stepSize}  min qty ${i.minQty}  min notional ${i.minNotional}  maker fee ${i.makerFee}  taker fee ${i.takerFee}${i.contractSize === 1 ? '' : `  contract size ${i.contractSize}`}`,
    );
  }
  let current = '';
  for (const s of info.streams) {
    const name = s.symbol === null ? `sym ${s.sym} (no instrument)` : `${s.exchange} ${s.symbol}`;
    if (name !== current) {
      out.push(name);
      current = name;
    }
    out.push(...streamLines(s));
  }
  if (info.gaps.length === 0) out.push('gaps: none recorded');
  else out.push('gaps (recorded)');
  for (const g of info.gaps) {
    out.push(
      `  ${g.exchange} ${g.symbol} ${g.stream}: ${count(g.count, 'gap')}, ${duration(g.totalUs)} in all, ${formatMicros(g.firstFromTs)} → ${formatMicros(g.lastToTs)} (${g.reasons.join(', ')})`,
    );
  }
  if (info.imports.length === 0) out.push('imports: none');
  else out.push('imports');
  for (const i of info.imports)
    out.push(`  ${i.file}  ${count(i.lines, 'line')}  ${mib(i.bytes)}  at ${i.importedAt}`);
  out.push(`order_latency: ${count(info.orderLatencySamples, 'sample')}`);
  return out.join('\n');
}

function streamLines(s: StreamInfo): string[] {
  const pad = ' '.repeat(17);
  const rows = count(s.rows, 'row') + (s.messages === null ? '' : `, ${count(s.messages, 'message')}`);
  const gaps =
    `gaps ${n(s.recordedGaps)} recorded` +
    (s.chainBreaks === null ? '' : `, ${count(s.chainBreaks, 'depth-chain break')}`);
  return [
    `  ${s.table.padEnd(14)} ${rows}`,
    `${pad}local_ts ${formatMicros(s.firstTs)} → ${formatMicros(s.lastTs)}  (${s.firstTs} → ${s.lastTs} µs)`,
    `${pad}feed latency ${latency(s.latency)}`,
    `${pad}${gaps}`,
  ];
}

function latency(l: FeedLatencyStats): string {
  return `p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`;
}

const ms = (us: number): string => `${(us / 1000).toFixed(3)} ms`;
const duration = (us: number): string =>
  us < 1_000 ? `${us} µs` : us < 1_000_000 ? ms(us) : `${(us / 1e6).toFixed(3)} s`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The info as plain JSON (snake_case, as summary.json), with times also as UTC ISO. */
export function storeInfoJson(info: StoreInfo): unknown {
  return {
    path: info.path,
    file_bytes: info.fileBytes,
    events: info.events,
    marked_unsorted: info.markedUnsorted,
    instruments: info.instruments.map((i) => ({
      exchange: i.exchange,
      symbol: i.symbol,
      tick_size: i.tickSize,
      step_size: i.stepSize,
      min_qty: i.minQty,
      min_notional: i.minNotional,
      maker_fee: i.makerFee,
      taker_fee: i.takerFee,
      contract_size: i.contractSize,
    })),
    streams: info.streams.map((s) => ({
      exchange: s.exchange,
      symbol: s.symbol,
      table: s.table,
      rows: s.rows,
      messages: s.messages,
      first_ts: s.firstTs,
      last_ts: s.lastTs,
      first_time: formatMicros(s.firstTs),
      last_time: formatMicros(s.lastTs),
      feed_latency_us: s.latency,
      recorded_gaps: s.recordedGaps,
      chain_breaks: s.chainBreaks,
    })),
    gaps: info.gaps.map((g) => ({
      exchange: g.exchange,
      symbol: g.symbol,
      stream: g.stream,
      count: g.count,
      total_us: g.totalUs,
      first_from_ts: g.firstFromTs,
      last_to_ts: g.lastToTs,
      reasons: g.reasons,
    })),
    imports: info.imports.map((i) => ({
      file: i.file,
      lines: i.lines,
      bytes: i.bytes,
      imported_at: i.importedAt,
    })),
    order_latency_samples: info.orderLatencySamples,
  };
}
