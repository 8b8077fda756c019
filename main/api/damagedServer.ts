import type { AddressInfo } from 'node:net';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { acquireDataDirLock } from '../core/dataDirLock.ts';
import { type IndexDamage, IndexDamagedError } from '../core/indexCondition.ts';
import { OutpostError } from '../core/outpostError.ts';
import { errorReplyOf, newRequestId } from './errorReplies.ts';
import { checkLoopbackHost } from './loopbackHost.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerUiRoutes } from './routes/ui.ts';
import type { ApiServer } from './server.ts';

export interface DamagedServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * What `outpost serve` runs when the index is damaged: nothing opens the
 * index (no engine, no sync, no writes); the data directory's lock is held
 * (so nothing else writes meanwhile, and `outpost repair` waits for this to
 * stop); GET /v1/health reports the damage, the UI's files are served so
 * its banner can say so, and every other route answers index_corrupt with
 * the one line that names `outpost repair`.
 */
export async function startDamagedServer(options: {
  dataDir: string;
  port: number;
  version: string;
  rendererDir: string | null;
  damage: IndexDamage;
}): Promise<DamagedServer> {
  const lock = acquireDataDirLock(options.dataDir, null, 'outpost serve (index damaged)');
  let port = options.port;
  const app: ApiServer = Fastify({ genReqId: newRequestId }).withTypeProvider<TypeBoxTypeProvider>();
  const answer = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, code, message } = errorReplyOf(error, { message: 'request body too large' }) ?? {
      status: 500,
      code: 'internal_error',
      message: (error as Error).message,
    };
    void reply.status(status).header('X-Request-ID', request.id).send({ code, message, request_id: request.id });
  };
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-ID', request.id);
    checkLoopbackHost(request.headers.host, [port]);
  });
  app.setErrorHandler(answer);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const apiPath = path.startsWith('/v1/') || path.startsWith('/api/') || path.startsWith('/gmail-connections/');
    answer(
      apiPath ? new IndexDamagedError(options.damage) : new OutpostError('not_found', `no route ${request.method} ${path}`),
      request,
      reply,
    );
  });
  registerHealthRoutes(app, { version: options.version, damage: () => options.damage });
  try {
    if (options.rendererDir) await registerUiRoutes(app, options.rendererDir);
    await app.listen({ host: '127.0.0.1', port: options.port });
  } catch (error) {
    lock.release();
    throw error;
  }
  port = (app.server.address() as AddressInfo).port;
  lock.update(port);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      lock.release();
    },
  };
}
