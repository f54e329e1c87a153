import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the in-test server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The raw query string, to check parameter order and the signature. */
  readonly rawQuery: string;
  readonly headers: IncomingMessage['headers'];
  readonly at: number;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

export type Handler = (req: SeenRequest) => Reply | Promise<Reply>;

/**
 * A node:http server on 127.0.0.1:0 answering `METHOD /path` from a route table (tests only;
 * a full Binance loopback lives in testing/). Unrouted requests get 404 with a Binance-style body.
 */
export async function startHttpServer(
  routes: Record<string, Handler>,
): Promise<{ url: string; seen: SeenRequest[]; close: () => Promise<void>; server: Server }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const rec: SeenRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      rawQuery: u.search.replace(/^\?/, ''),
      headers: req.headers,
      at: Date.now(),
    };
    seen.push(rec);
    req.resume();
    req.on('end', async () => {
      const h = routes[`${rec.method} ${rec.path}`];
      const reply: Reply = h ? await h(rec) : { status: 404, body: { code: -1, msg: 'no route' } };
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
