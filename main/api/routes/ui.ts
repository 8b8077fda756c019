import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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

/** The built renderer's files, each a public route of its own (so unknown paths stay the API's JSON 404), and / for index.html. */
export async function registerUiRoutes(app: ApiServer, rendererDir: string): Promise<void> {
  if (!existsSync(join(rendererDir, 'index.html'))) return;
  // serve: false: the plugin only adds reply.sendFile; the routes are declared here, each with its auth.
  await app.register(fastifyStatic, { root: rendererDir, serve: false });
  const publicFile = { config: { auth: 'public' }, schema: { hide: true } } as const;
  for (const file of builtFiles(rendererDir)) app.get(`/${file}`, publicFile, (_request, reply) => reply.sendFile(file));
  app.get('/', publicFile, (_request, reply) => reply.sendFile('index.html'));
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/v1/') && !request.url.startsWith('/api/')) {
      reply.header('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Referrer-Policy', 'no-referrer');
    }
    return payload;
  });
}

/** Files under the folder as URL paths (`assets/index-1a2b.js`), dotfiles left out. */
function builtFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.')));
}
