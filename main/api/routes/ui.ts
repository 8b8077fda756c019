import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ApiServer } from '../server.ts';

/**
 * The built renderer, served from the API's own origin so the UI's API calls
 * are same-origin (no CORS to open). Scripts only from this origin; email HTML
 * is shown in sandboxed frames with a CSP of its own.
 */
export const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // https: only so an email frame whose own, stricter CSP allows it (the user asked to show images) can load
  // them: srcdoc frames inherit this policy too, and both must allow a request.
  "img-src 'self' data: blob: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function registerUiRoutes(app: ApiServer, rendererDir: string): Promise<void> {
  if (!existsSync(join(rendererDir, 'index.html'))) return;
  await app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: ['index.html'], wildcard: false });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/v1/') && !request.url.startsWith('/api/')) {
      reply.header('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Referrer-Policy', 'no-referrer');
    }
    return payload;
  });
}
