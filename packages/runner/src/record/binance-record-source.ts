import {
  type BinanceFuturesConfig,
  BinanceFuturesExchange,
  BinanceRequestError,
  BinanceTransportError,
} from '@botplatform/exchanges';
import type { Instrument } from '@botplatform/sdk';
import { UserError } from '../cli/user-error.js';
import type { RecordSource } from './record-source.js';

/**
 * The Binance USD-M adapter as a recorder's source, market data only (no keys are passed). It
 * lists every instrument, so the recorder names the unknown symbols itself; an exchangeInfo
 * call that cannot reach or is refused by the REST endpoint, and streams that do not come up
 * within the adapter's connect timeout, become UserErrors naming the endpoint.
 */
export function binanceRecordSource(
  config: Omit<BinanceFuturesConfig, 'apiKey' | 'apiSecret'>,
): RecordSource & { readonly restUrl: string } {
  const exchange = new BinanceFuturesExchange(config);
  const restUrl = exchange.endpoints.restUrl;
  let closed = false;
  return {
    id: exchange.id,
    restUrl,
    async instruments(symbols: readonly string[]): Promise<Instrument[]> {
      let all: Instrument[];
      try {
        all = await exchange.instruments([]);
      } catch (err) {
        if (err instanceof BinanceTransportError) {
          throw new UserError(
            `cannot reach Binance USD-M REST at ${restUrl} (${err.cause instanceof Error ? err.cause.message : err.message}); check --rest-url (or BINANCE_REST_URL) and the network`,
          );
        }
        if (err instanceof BinanceRequestError) {
          throw new UserError(
            `Binance USD-M REST at ${restUrl} refused exchangeInfo: ${err.message}; check --rest-url (or BINANCE_REST_URL), or wait if it is a rate limit`,
          );
        }
        throw err;
      }
      return all.filter((i) => symbols.includes(i.symbol));
    },
    async connect(sink, symbols) {
      try {
        await exchange.connect(sink, symbols);
      } catch (err) {
        if (closed) throw err;
        // The adapter gives up when the streams are not up within its connect timeout; its
        // message names the endpoint flag. Anything else here is as much the network's.
        const why = err instanceof Error ? err.message : String(err);
        throw new UserError(
          `${why}${/--ws-url/.test(why) ? '' : '; check --ws-url (or BINANCE_WS_URL) and the network'}`,
        );
      }
    },
    close() {
      closed = true;
      return exchange.close();
    },
  };
}
