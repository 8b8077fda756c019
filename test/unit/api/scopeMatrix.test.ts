import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../../main/api/auth/apiKeys.ts';
import type { DeclaredRoute } from '../../../main/api/auth/routeAuth.ts';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

/**
 * Routes and scopes this matrix covered when it was written by hand: the
 * generated matrix must still hold each of them, with the same declaration.
 */
const KNOWN: Array<{ method: string; url: string; scope: Scope }> = [
  { method: 'GET', url: '/v1/email/threads', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/threads/:id', scope: 'read:email' },
  { method: 'POST', url: '/v1/email/threads/:id/actions', scope: 'write:email' },
  { method: 'POST', url: '/v1/email/threads/actions', scope: 'write:email' },
  { method: 'GET', url: '/v1/email/labels', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/search', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/attachments/:id', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/messages/:id', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/messages/:id/raw', scope: 'read:email' },
  { method: 'GET', url: '/v1/accounts', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/trusted-senders', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/contacts', scope: 'read:email' },
  { method: 'PUT', url: '/v1/email/trusted-senders/:email', scope: 'write:email' },
  { method: 'GET', url: '/v1/calendar/calendars', scope: 'read:calendar' },
  { method: 'GET', url: '/v1/calendar/events', scope: 'read:calendar' },
  { method: 'GET', url: '/v1/calendar/events/:id', scope: 'read:calendar' },
  { method: 'POST', url: '/v1/calendar/events/:id/respond', scope: 'write:calendar' },
  { method: 'GET', url: '/v1/keys', scope: 'admin' },
  { method: 'POST', url: '/v1/accounts/connect', scope: 'admin' },
  { method: 'PATCH', url: '/v1/accounts/:id', scope: 'admin' },
  { method: 'DELETE', url: '/v1/accounts/:id', scope: 'admin' },
  { method: 'GET', url: '/v1/email/compose-drafts', scope: 'read:email' },
  { method: 'POST', url: '/v1/email/import', scope: 'write:email' },
  { method: 'GET', url: '/v1/email/outbox', scope: 'read:email' },
  { method: 'POST', url: '/v1/email/outbox/:id/retry', scope: 'write:email' },
  { method: 'DELETE', url: '/v1/email/outbox/:id', scope: 'write:email' },
  { method: 'PUT', url: '/v1/email/compose-drafts/:id', scope: 'write:email' },
  { method: 'DELETE', url: '/v1/email/compose-drafts/:id', scope: 'write:email' },
];

/** Path parameters filled with ids that exist nowhere, so no call changes anything. */
const PARAMS: Record<string, string> = { id: 'x_404', job_id: 'sync_404', email: 'nobody%40nowhere.example' };
const NON_ADMIN = SCOPES.filter((s) => s !== 'admin');

function concreteUrl(url: string): string {
  return url.replace(/:([a-z_]+)/g, (_match, name: string) => {
    const value = PARAMS[name];
    if (!value) throw new Error(`no example value for the path parameter :${name} of ${url}`);
    return value;
  });
}

function describeAuth(auth: DeclaredRoute['auth']): string {
  return typeof auth === 'string' ? auth : auth.scope;
}

describe('every route checks the auth it declares (generated from the registered routes)', () => {
  const dir = makeTempDir();
  let db: WritableDb;
  let api: LocalApiHarness;
  let routes: DeclaredRoute[];
  beforeAll(async () => {
    db = openIndex(':memory:');
    seedAccount(db);
    api = await buildLocalApi(db, dir.path);
    await api.app.ready();
    routes = api.app.declaredRoutes.filter((route) => route.method !== 'HEAD');
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
    dir.remove();
  });

  /** Calls a route; the event stream answers with headers and stays open, so the payload is taken as a stream. */
  const call = (route: DeclaredRoute, headers: Record<string, string>): Promise<LightMyRequestResponse> =>
    api.app.inject({
      method: route.method as 'GET',
      url: concreteUrl(route.url),
      headers: { host, ...headers },
      payloadAsStream: true,
    });
  const withKey = (key: string) => ({ authorization: `Bearer ${key}` });

  it('covers every route the hand-written matrix covered, with the same declaration', () => {
    for (const known of KNOWN) {
      const route = routes.find((r) => r.method === known.method && r.url === known.url);
      expect(route, `${known.method} ${known.url}`).toBeDefined();
      expect(describeAuth(route?.auth ?? 'public'), `${known.method} ${known.url}`).toBe(known.scope);
    }
  });

  it('declares an auth on every route, and the API routes are not public', () => {
    expect(routes.length).toBeGreaterThan(KNOWN.length);
    const publicRoutes = routes.filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.url}`);
    // The API's reference (document and page) is public, as health is.
    expect(publicRoutes.sort()).toEqual(['GET /docs', 'GET /openapi.json', 'GET /v1/health']);
  });

  it('refuses another scope with 403, takes its own, and refuses a bogus key with 401', async () => {
    const scoped = routes.flatMap((r) => (typeof r.auth === 'object' ? [{ ...r, scope: r.auth.scope }] : []));
    expect(scoped.length).toBeGreaterThan(20);
    for (const route of scoped) {
      const name = `${route.method} ${route.url}`;
      for (const other of NON_ADMIN.filter((s) => s !== route.scope)) {
        const refused = await call(route, withKey(api.key(other)));
        expect(refused.statusCode, `${name} with only ${other}`).toBe(403);
        expect(await bodyOf(refused), `${name} with only ${other}`).toMatchObject({ code: 'insufficient_permissions' });
      }
      expect([401, 403], `${name} with ${route.scope}`).not.toContain(
        (await call(route, withKey(api.key(route.scope)))).statusCode,
      );
      expect((await call(route, withKey('wbk_not-a-real-key'))).statusCode, `${name} with a bogus key`).toBe(401);
    }
  });

  it('lets admin routes be called by admin keys and the admin session only', async () => {
    const adminRoutes = routes.filter((r) => r.auth === 'admin');
    expect(adminRoutes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /v1/keys', 'POST /v1/webhooks', 'GET /api/threads', 'POST /api/services/:id/sync']),
    );
    for (const route of adminRoutes) {
      const name = `${route.method} ${route.url}`;
      for (const scopes of [...NON_ADMIN.map((s) => [s]), NON_ADMIN]) {
        const refused = await call(route, withKey(api.key(...scopes)));
        expect(refused.statusCode, `${name} with ${scopes.join(' ')}`).toBe(403);
        expect(await bodyOf(refused)).toMatchObject({ code: 'insufficient_permissions' });
      }
      expect([401, 403], `${name} with an admin key`).not.toContain((await call(route, withKey(api.key('admin')))).statusCode);
      const session = await call(route, { cookie: `authjs.session-token=${api.adminSession}` });
      expect([401, 403], `${name} with the admin session`).not.toContain(session.statusCode);
      expect((await call(route, withKey('wbk_not-a-real-key'))).statusCode, `${name} with a bogus key`).toBe(401);
    }
  });

  it('lets any authenticated caller reach the routes that decide per item, and nobody else', async () => {
    const anyRoutes = routes.filter((r) => r.auth === 'any');
    expect(anyRoutes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /v1/events', 'GET /v1/jobs/:job_id']);
    for (const route of anyRoutes) {
      const name = `${route.method} ${route.url}`;
      for (const scope of NON_ADMIN) {
        const answer = await call(route, withKey(api.key(scope)));
        expect([401, 403], `${name} with ${scope}`).not.toContain(answer.statusCode);
        answer.stream().destroy();
      }
      expect((await call(route, {})).statusCode, `${name} without credentials`).toBe(401);
      expect((await call(route, withKey('wbk_not-a-real-key'))).statusCode, `${name} with a bogus key`).toBe(401);
    }
  });

  it('answers public routes without credentials', async () => {
    for (const route of routes.filter((r) => r.auth === 'public'))
      expect((await call(route, {})).statusCode, `${route.method} ${route.url}`).toBe(200);
  });

  it('refuses to build with a route that declares no auth', async () => {
    const unbuilt = await buildLocalApi(db, dir.path);
    expect(() => unbuilt.app.get('/v1/undeclared', async () => ({}))).toThrow(/declares no config\.auth/);
    await unbuilt.app.close();
  });
});

async function bodyOf(response: LightMyRequestResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.stream()) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
