/**
 * Which routed endpoint carries a stream (Binance's 2026-03 "Base URL Split"): `/public` the
 * high-frequency book data (`@depth*`, `@bookTicker`, `@trade`), `/market` the rest
 * (`@aggTrade`, `@markPrice*`, klines, tickers…). A socket on the wrong endpoint accepts the
 * SUBSCRIBE and never delivers, as Binance's does.
 */
export type StreamCategory = 'public' | 'market';

export function streamCategory(stream: string): StreamCategory {
  const kind = stream.slice(stream.indexOf('@') + 1);
  return kind.startsWith('depth') || kind === 'bookTicker' || kind === 'trade' ? 'public' : 'market';
}

/** The diff-depth streams this loopback publishes, by suffix, with their cadence in ms. */
export const DEPTH_CADENCES: ReadonlyArray<readonly [suffix: string, cadenceMs: number]> = [
  ['depth@100ms', 100],
  ['depth', 250],
  ['depth@500ms', 500],
];

/** Stream names are the lowercase symbol, `@`, the stream kind. */
export const streamName = (symbol: string, kind: string): string => `${symbol.toLowerCase()}@${kind}`;
