/**
 * Binance USD-M endpoints. Mainnet: REST https://fapi.binance.com (General Info), market and
 * user streams on wss://fstream.binance.com routed by path — `/public`, `/market`, `/private`
 * (Websocket Market Streams; User Data Streams "Base Url: wss://fstream.binance.com/private")
 * — and the WebSocket API at wss://ws-fapi.binance.com/ws-fapi/v1 (WebSocket API General
 * Info). Testnet: REST https://testnet.binancefuture.com, streams wss://fstream.binancefuture.com
 * (not routed by path), WebSocket API wss://testnet.binancefuture.com/ws-fapi/v1.
 */
export const BINANCE_USDM_MAINNET = {
  restUrl: 'https://fapi.binance.com',
  wsUrl: 'wss://fstream.binance.com',
  wsApiUrl: 'wss://ws-fapi.binance.com/ws-fapi/v1',
  routedStreams: true,
} as const;

export const BINANCE_USDM_TESTNET = {
  restUrl: 'https://testnet.binancefuture.com',
  wsUrl: 'wss://fstream.binancefuture.com',
  wsApiUrl: 'wss://testnet.binancefuture.com/ws-fapi/v1',
  routedStreams: false,
} as const;

export interface BinanceEndpointConfig {
  readonly testnet?: boolean;
  readonly restUrl?: string;
  /** Stream host (market and user streams); the routed paths are appended unless `routedStreams` is false. */
  readonly wsUrl?: string;
  readonly wsApiUrl?: string;
  /** Whether the stream host splits by `/public`, `/market`, `/private`. Default: true on mainnet, false on testnet. */
  readonly routedStreams?: boolean;
  /** Per-route overrides (full bases: `/stream` and `/ws/<listenKey>` are appended). */
  readonly publicWsUrl?: string;
  readonly marketWsUrl?: string;
  readonly privateWsUrl?: string;
}

export interface BinanceEndpoints {
  readonly restUrl: string;
  readonly publicWsUrl: string;
  readonly marketWsUrl: string;
  readonly privateWsUrl: string;
  readonly wsApiUrl: string;
}

/** Every endpoint, defaults filled in from mainnet or testnet, each overridable. */
export function resolveEndpoints(c: BinanceEndpointConfig): BinanceEndpoints {
  const net = c.testnet ? BINANCE_USDM_TESTNET : BINANCE_USDM_MAINNET;
  const ws = (c.wsUrl ?? net.wsUrl).replace(/\/+$/, '');
  const routed = c.routedStreams ?? net.routedStreams;
  const route = (path: string) => (routed ? `${ws}/${path}` : ws);
  return {
    restUrl: c.restUrl ?? net.restUrl,
    publicWsUrl: c.publicWsUrl ?? route('public'),
    marketWsUrl: c.marketWsUrl ?? route('market'),
    privateWsUrl: c.privateWsUrl ?? route('private'),
    wsApiUrl: c.wsApiUrl ?? net.wsApiUrl,
  };
}
