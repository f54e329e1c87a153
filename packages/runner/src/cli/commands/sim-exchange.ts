import { startBinanceLoopback } from '@botplatform/exchanges';
import { formatMicros, type MarketEvent } from '@botplatform/sdk';
import { parseFillMode, parseQueueSpec } from '@botplatform/sim';
import type { Command } from 'commander';
import { EventDecoder } from '../../data/event-decoder.js';
import { ReplayReader } from '../../data/replay-reader.js';
import { parseTime } from '../parse-time.js';
import { UserError } from '../user-error.js';

interface SimExchangeFlags {
  data?: string;
  port: string;
  host: string;
  speed: string;
  symbol?: string;
  from?: string;
  to?: string;
  queue?: string;
  fills?: string;
}

/**
 * `botp sim-exchange --data <db>`: a Binance USD-M look-alike on 127.0.0.1 (REST, market
 * streams, user data stream, WebSocket API) replaying a tick store, orders matched by the
 * backtester's simulated exchange, so a client or `botp live --rest-url/--ws-url` can be tried
 * offline. Runs until Ctrl-C.
 */
export function registerSimExchangeCommand(program: Command): void {
  program
    .command('sim-exchange')
    .description(
      'serve a tick store as a Binance USD-M futures loopback exchange (REST + WebSocket) until Ctrl-C',
    )
    .requiredOption('--data <db>', 'tick store (DuckDB file) to replay')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', '0')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--speed <x>', 'replay speed: 1 real time, 10 ten times faster, max as fast as possible', '1')
    .option('--symbol <symbols>', 'symbol or comma-separated symbols (default: all in the file)')
    .option('--from <time>', 'start, ISO-8601 or µs since epoch (default: start of data)')
    .option('--to <time>', 'end, exclusive, ISO-8601 or µs since epoch (default: end of data)')
    .option('--queue <model>', 'queue position: risk-averse (default), prob-power:<n>, prob-log')
    .option('--fills <mode>', 'resting-order fills: partial (default) or full')
    .action(async (flags: SimExchangeFlags) => {
      await runSimExchange(flags);
    });
}

async function runSimExchange(flags: SimExchangeFlags): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--port ${flags.port} is not a port; give 0..65535 (0 picks a free one)`);
  const speed = flags.speed === 'max' ? Number.POSITIVE_INFINITY : Number(flags.speed);
  if (!(speed > 0)) throw new UserError(`--speed ${flags.speed} is not a speed; give a number > 0 or max`);
  const queue =
    flags.queue === undefined ? undefined : userErrorOf('--queue', () => parseQueueSpec(flags.queue!));
  const fills =
    flags.fills === undefined ? undefined : userErrorOf('--fills', () => parseFillMode(flags.fills!));
  const symbols = flags.symbol
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const reader = await ReplayReader.open(flags.data!, {
    ...(symbols ? { symbols } : {}),
    ...(flags.from ? { fromTs: parseTime('--from', flags.from) } : {}),
    ...(flags.to ? { toTs: parseTime('--to', flags.to) } : {}),
  });
  let lb: Awaited<ReturnType<typeof startBinanceLoopback>>;
  try {
    lb = await startBinanceLoopback({
      host: flags.host,
      port,
      speed,
      instruments: reader.instruments,
      market: exchangeOrdered(reader),
      ...(queue ? { queue } : {}),
      ...(fills ? { fills } : {}),
    });
  } catch (err) {
    await reader.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(`port ${port} is in use; pick another with --port, or --port 0 for any free one`);
    throw err;
  }
  const out = process.stdout;
  out.write(
    [
      `botp sim-exchange: Binance USD-M loopback replaying ${flags.data} (${reader.instruments.map((i) => i.symbol).join(', ')}, ${formatMicros(reader.firstTs)} .. ${formatMicros(reader.lastTs)}) at speed ${flags.speed}`,
      `  REST        ${lb.restUrl}                (/fapi/v1/..., /fapi/v3/positionRisk)`,
      `  streams     ${lb.wsUrl}/public/stream?streams=...   ${lb.wsUrl}/market/stream?streams=...`,
      `  user data   ${lb.wsUrl}/private/ws?listenKey=<POST /fapi/v1/listenKey>`,
      `  WS API      ${lb.wsApiUrl}`,
      `  API key     ${lb.apiKey}`,
      `  API secret  ${lb.apiSecret}`,
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  lb.marketDone.then(
    () => {
      if (!stopping)
        out.write('botp sim-exchange: data exhausted; still serving the last book (Ctrl-C to stop)\n');
    },
    (err: unknown) => process.stderr.write(`botp sim-exchange: replay failed: ${(err as Error).message}\n`),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  stopping = true;
  await lb.close();
  await reader.close();
}

function userErrorOf<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UserError(`${flag}: ${(err as Error).message}`);
  }
}

/**
 * The store's events as SDK events in exchange-time order. The store is sorted by local
 * time; an event can arrive at most `maxFeedLatencyUs` after its exchange time, so once local
 * time L has been read, every event with exchTs ≤ L − maxFeedLatency is final and can go out
 * (sorted, ties in store order). The exchange side must see the market in its own time.
 */
async function* exchangeOrdered(reader: ReplayReader): AsyncGenerator<MarketEvent> {
  const decoder = new EventDecoder(reader.instruments);
  const lag = reader.maxFeedLatencyUs;
  let held: MarketEvent[] = [];
  for await (const batch of reader.batches()) {
    for (const ev of decoder.decode(batch)) held.push(ev);
    if (batch.length === 0) continue;
    const safe = batch.localTs[batch.length - 1]! - lag;
    held.sort((a, b) => a.exchTs - b.exchTs);
    let n = 0;
    while (n < held.length && held[n]!.exchTs <= safe) n++;
    if (n === 0) continue;
    const ready = held.slice(0, n);
    held = held.slice(n);
    yield* ready;
  }
  held.sort((a, b) => a.exchTs - b.exchTs);
  yield* held;
}
