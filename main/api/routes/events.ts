import { bytesResponse } from '../../../shared/api/common.ts';
import type { CoreEvent } from '../../../shared/events.ts';
import type { Scope } from '../auth/apiKeys.ts';
import type { CredentialWatch } from '../auth/credentialWatch.ts';
import { principalOf } from '../auth/routeAuth.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const KEEP_ALIVE_MS = 15_000;

/** The read scope an event needs: job events by their kind. */
function scopeOf(event: CoreEvent): Scope {
  if ('job' in event) return event.job.kind === 'calendar_sync' ? 'read:calendar' : 'read:email';
  return 'read:email';
}

/**
 * GET /v1/events: Server-Sent Events of the core's events the caller may read,
 * with a keep-alive comment every 15 s. A stream ends when the server closes,
 * and when its key or session stops being valid (revoked, expired: within a
 * second, `credentials`); nothing is written to it after.
 */
export function registerEventRoutes(app: ApiServer, { events, credentials }: ApiDeps & { credentials: CredentialWatch }): void {
  const open = new Set<() => void>();
  // Before the server waits for its connections to finish: an open stream would otherwise hold close() for ever.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });
  app.get(
    '/v1/events',
    {
      // Any caller: each event goes only to callers with its read scope.
      config: { auth: 'any' },
      schema: {
        summary: 'Server-Sent Events stream of core events (job progress, sync results)',
        response: {
          200: bytesResponse(
            'The stream: each event the caller may read as `event: <type>` and `data: <JSON>`, a keep-alive comment every 15 s',
            'text/event-stream',
          ),
        },
      },
    },
    (request, reply) => {
      const principal = principalOf(request);
      const allowed = (event: CoreEvent) => principal.scopes.includes('admin') || principal.scopes.includes(scopeOf(event));
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      const unsubscribe = events.subscribe((event) => {
        if (allowed(event)) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      keepAlive.unref();
      let unwatch = () => {};
      const end = () => {
        clearInterval(keepAlive);
        unsubscribe();
        unwatch();
        open.delete(end);
        res.end();
      };
      open.add(end);
      unwatch = credentials.watch(principal, end);
      request.raw.on('close', end);
    },
  );
}
