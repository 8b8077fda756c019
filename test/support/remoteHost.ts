import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export interface RemoteHost {
  /** The path (and query) of every request received, in order. */
  readonly received: string[];
  /** The Referer of every request that carried one (where the reader was when it asked). */
  readonly referers: string[];
  /** Listens on a random port of 127.0.0.1, over TLS when given a certificate; answers its origin. */
  start(tls?: { cert: string; key: string }): Promise<string>;
  close(): Promise<void>;
}

/** A server standing in for a remote host (a tracker, an image host): answers a 1×1 GIF to everything and remembers each path asked for. */
export function remoteHost(): RemoteHost {
  const received: string[] = [];
  const referers: string[] = [];
  let server: Server | undefined;
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    received.push(req.url ?? '');
    if (req.headers.referer) referers.push(req.headers.referer);
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    res.end(PIXEL);
  };
  return {
    received,
    referers,
    async start(tls) {
      const started = tls ? createHttpsServer(tls, answer) : createHttpServer(answer);
      server = started;
      await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
      return `${tls ? 'https' : 'http'}://127.0.0.1:${(started.address() as AddressInfo).port}`;
    },
    async close() {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
