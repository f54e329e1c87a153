import type { Logger } from '@botplatform/sdk';
import cliProgress from 'cli-progress';
import type { RecorderStats, RecordSummary } from './recorder.js';

const S = 1_000_000;
const STREAM_ORDER = ['depth', 'trade', 'bookTicker', 'markPrice', 'openInterest'] as const;

/** Messages per second per stream between two samples (streams seen so far, in a fixed order). */
export function streamRates(prev: RecorderStats, cur: RecorderStats): [stream: string, perSecond: number][] {
  const dt = (cur.now - prev.now) / S;
  const out: [string, number][] = [];
  for (const stream of STREAM_ORDER) {
    const n = cur.messages[stream];
    if (n === undefined) continue;
    out.push([stream, dt > 0 ? (n - (prev.messages[stream] ?? 0)) / dt : 0]);
  }
  return out;
}

/** 950, 9.5k, 1.2M: short enough for a status line. */
export function compact(n: number): string {
  if (n < 1_000) return n < 10 && n % 1 !== 0 ? n.toFixed(1) : String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1_000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

function clock(us: number): string {
  const t = Math.max(0, Math.floor(us / S));
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${pad(Math.floor(t / 3600))}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
}

/** `recording 00:01:23 | depth 10/s trade 153/s … | 1.2M msgs 3.4M rows | 1 gap | resyncing BTCUSDT`. */
export function formatStatusLine(prev: RecorderStats, cur: RecorderStats): string {
  const rates = streamRates(prev, cur)
    .map(([s, r]) => `${s} ${compact(r)}/s`)
    .join(' ');
  const parts = [
    `recording ${clock(cur.now - cur.startedAt)}`,
    rates === '' ? 'waiting for data' : rates,
    `${compact(cur.totalMessages)} msgs ${compact(cur.rows)} rows`,
    `${cur.gaps} gap${cur.gaps === 1 ? '' : 's'}`,
  ];
  if (cur.resyncing.length > 0) parts.push(`resyncing ${cur.resyncing.join(',')}`);
  return parts.join(' | ');
}

/** The closing line: what was recorded where, and why it stopped. */
export function formatSummary(s: RecordSummary): string {
  const per = STREAM_ORDER.filter((k) => s.messages[k] !== undefined)
    .map((k) => `${k} ${s.messages[k]}`)
    .join(', ');
  const why = {
    duration: 'duration reached',
    signal: 'stopped by signal',
    requested: 'stopped',
    error: 'failed',
  };
  return `recorded ${s.totalMessages} messages (${per || 'none'}; ${s.rows} rows, ${s.snapshots} depth snapshots, ${s.gaps} gaps) in ${clock(s.now - s.startedAt)} into ${s.path} (${why[s.reason]})`;
}

export interface RecordStatus {
  /** How often the command should call `update`. */
  readonly everyUs: number;
  update(stats: RecorderStats): void;
  stop(): void;
}

/**
 * Per-stream message rates while recording: a status line redrawn every second on stderr when
 * it is a terminal; otherwise (a service, a pipe) one log line every `logEveryUs`.
 */
export function createRecordStatus(opts: {
  readonly tty: boolean;
  readonly logger: Logger;
  readonly stream?: NodeJS.WriteStream;
  readonly logEveryUs?: number;
}): RecordStatus {
  let prev: RecorderStats | undefined;
  if (!opts.tty) {
    return {
      everyUs: opts.logEveryUs ?? 10 * S,
      update(cur) {
        if (prev) {
          const rates = Object.fromEntries(
            streamRates(prev, cur).map(([k, r]) => [k, Math.round(r * 10) / 10]),
          );
          opts.logger.info(
            {
              perSecond: rates,
              messages: cur.totalMessages,
              rows: cur.rows,
              gaps: cur.gaps,
              snapshots: cur.snapshots,
              ...(cur.resyncing.length > 0 ? { resyncing: cur.resyncing } : {}),
            },
            'recording',
          );
        }
        prev = cur;
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({
    stream: opts.stream ?? process.stderr,
    format: '  {line}',
    hideCursor: true,
    clearOnComplete: true,
    // Redrawn by `update` only, once a second.
    fps: 1,
    noTTYOutput: false,
  });
  let started = false;
  return {
    everyUs: S,
    update(cur) {
      const line = prev ? formatStatusLine(prev, cur) : 'recording: connecting';
      if (!started) bar.start(1, 0, { line });
      else bar.update(0, { line });
      started = true;
      prev = cur;
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
