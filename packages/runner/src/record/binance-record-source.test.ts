import { createServer } from 'node:net';
import { type BinanceLoopback, startBinanceLoopback } from '@botplatform/exchanges';
import type { ExchangeSink, MarketEvent } from '@botplatform/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../cli/user-error.js';
import { binanceRecordSource } from './binance-record-source.js';

let loopback: BinanceLoopback;
/** A port nothing listens on (bound, then released). */
let deadPort: number;

beforeAll(async () => {
  loopback = await startBinanceLoopback();
  deadPort = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
});
afterAll(() => loopback.close());

const sink = (events: MarketEvent[]): ExchangeSink => ({
  onMarket: (e) => events.push(e),
  onReport: () => {},
  onGap: () => {},
});

describe('binanceRecordSource', () => {
  it("lists the venue's instruments for the asked symbols and streams market data", async () => {
    const source = binanceRecordSource({ restUrl: loopback.restUrl, wsUrl: loopback.wsUrl });
    const [btc] = await source.instruments(['BTCUSDT', 'NOPEUSDT']);
    expect(btc).toMatchObject({ exchange: 'binance-futures', symbol: 'BTCUSDT', tickSize: 0.1 });
    expect(await source.instruments(['NOPEUSDT'])).toEqual([]);
    const events: MarketEvent[] = [];
    await source.connect(sink(events), ['BTCUSDT']);
    await expect
      .poll(() => events.some((e) => e.type === 'depth' && e.isSnapshot), { timeout: 10_000 })
      .toBe(true);
    await source.close();
  });

  it('names an unreachable REST endpoint as a UserError', async () => {
    const source = binanceRecordSource({ restUrl: `http://127.0.0.1:${deadPort}`, wsUrl: loopback.wsUrl });
    const err = await source.instruments(['BTCUSDT']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^cannot reach Binance USD-M REST at http://127.0.0.1:${deadPort} \\(.*\\); check --rest-url \\(or BINANCE_REST_URL\\) and the network$`,
      ),
    );
    await source.close();
  });

  it('names streams that do not come up within the connect timeout as a UserError', async () => {
    const source = binanceRecordSource({
      restUrl: loopback.restUrl,
      wsUrl: `ws://127.0.0.1:${deadPort}`,
      connectTimeoutUs: 300_000,
    });
    await source.instruments(['BTCUSDT']);
    const err = await source.connect(sink([]), ['BTCUSDT']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('--ws-url');
    await source.close();
  });
});
