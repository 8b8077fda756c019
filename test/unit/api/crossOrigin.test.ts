import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../../main/api/auth/sessions.ts';
import type { IndexDb } from '../../../main/db/openIndex.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';
const OWN = 'http://127.0.0.1:7766';

/**
 * Sessions and the session cookie are the UI's credentials, and the UI is
 * served from the API's own origin: a request a page of any other origin
 * made the browser send (another port of 127.0.0.1, `localhost`, a site) is
 * refused before its credential is even looked up. Requests without Origin
 * or Sec-Fetch-Site (curl, scripts) pass; API keys in a header pass whatever
 * their Origin (a page can neither read one nor make a browser add it).
 */
describe('cross-origin requests with a session or the session cookie', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let gmailId: string;
  let readSession: string;
  let syncs = 0;

  beforeAll(async () => {
    db = openIndex(':memory:');
    gmailId = seedAccount(db).account.id;
    api = await buildLocalApi(db, dir.path, {
      handlers: {
        email_sync: async () => {
          syncs += 1;
          return { messagesProcessed: 0, threadsProcessed: 0 };
        },
      },
      rateLimits: { serviceSyncPerHour: 1000, connectionSyncPerHour: 1000 },
    });
    readSession = createSession(db, { admin: false }).token;
  });
  afterAll(async () => {
    await api.runner.stop();
    await api.app.close();
    db.close();
    dir.remove();
  });

  /** How each kind of credential travels. */
  const credentials: Record<string, () => { headers?: Record<string, string>; cookies?: Record<string, string> }> = {
    'the admin session cookie': () => ({ cookies: { 'authjs.session-token': api.adminSession } }),
    'an API key in the cookie': () => ({ cookies: { 'authjs.session-token': api.key('admin') } }),
    'a session as Bearer': () => ({ headers: { authorization: `Bearer ${api.adminSession}` } }),
    'a read-only session as Bearer': () => ({ headers: { authorization: `Bearer ${readSession}` } }),
    'a session in x-dolfin-api-key': () => ({ headers: { 'x-dolfin-api-key': api.adminSession } }),
    'an API key as Bearer': () => ({ headers: { authorization: `Bearer ${api.key('admin')}` } }),
    'an API key in x-dolfin-api-key': () => ({ headers: { 'x-dolfin-api-key': api.key('admin') } }),
  };
  const KEYS_IN_HEADERS = ['an API key as Bearer', 'an API key in x-dolfin-api-key'];
  /** The UI's credentials: a session however sent, and whatever rides in the cookie. */
  const AMBIENT_OR_SESSION = Object.keys(credentials).filter((name) => !KEYS_IN_HEADERS.includes(name));

  /** What the browser adds, and whether a session or cookie may pass with it. */
  const browserHeaders: Array<{ name: string; headers: Record<string, string>; host?: string; allowed: boolean }> = [
    { name: 'neither Origin nor Sec-Fetch-Site (curl, a script)', headers: {}, allowed: true },
    { name: 'its own Origin', headers: { origin: OWN }, allowed: true },
    { name: 'Sec-Fetch-Site: same-origin', headers: { 'sec-fetch-site': 'same-origin' }, allowed: true },
    { name: 'Sec-Fetch-Site: none (the address bar)', headers: { 'sec-fetch-site': 'none' }, allowed: true },
    { name: 'its own Origin and same-origin', headers: { origin: OWN, 'sec-fetch-site': 'same-origin' }, allowed: true },
    {
      name: 'localhost’s own Origin on a localhost Host',
      headers: { origin: 'http://localhost:7766', 'sec-fetch-site': 'same-origin' },
      host: 'localhost:7766',
      allowed: true,
    },
    { name: 'Origin of another port of 127.0.0.1', headers: { origin: 'http://127.0.0.1:8080' }, allowed: false },
    {
      name: 'another port, same-site (a form POST)',
      headers: { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' },
      allowed: false,
    },
    { name: 'Origin of localhost (another host)', headers: { origin: 'http://localhost:7766' }, allowed: false },
    { name: 'Origin https on the same port', headers: { origin: 'https://127.0.0.1:7766' }, allowed: false },
    { name: 'Origin: null (a sandboxed frame, a file)', headers: { origin: 'null' }, allowed: false },
    { name: 'Origin of a web site', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, allowed: false },
    {
      name: 'Sec-Fetch-Site: cross-site without Origin (an image, a link)',
      headers: { 'sec-fetch-site': 'cross-site' },
      allowed: false,
    },
    { name: 'Sec-Fetch-Site: same-site without Origin', headers: { 'sec-fetch-site': 'same-site' }, allowed: false },
    {
      name: 'its own Origin but Sec-Fetch-Site: cross-site',
      headers: { origin: OWN, 'sec-fetch-site': 'cross-site' },
      allowed: false,
    },
    { name: 'an unknown Sec-Fetch-Site', headers: { 'sec-fetch-site': 'elsewhere' }, allowed: false },
  ];

  const read = (credential: string, extra: Record<string, string>, hostHeader = host) => {
    const { headers = {}, cookies } = credentials[credential]?.() ?? {};
    return api.app.inject({
      method: 'GET',
      url: '/v1/email/threads?label=inbox',
      headers: { host: hostHeader, ...headers, ...extra },
      ...(cookies ? { cookies } : {}),
    });
  };

  function expectRefused(res: LightMyRequestResponse, name: string) {
    expect(res.statusCode, name).toBe(403);
    expect(res.json(), name).toEqual({
      code: 'cross_origin_refused',
      message: expect.any(String),
      request_id: res.headers['x-request-id'],
    });
  }

  it('lists which credentials count as the UI’s', () => {
    expect(AMBIENT_OR_SESSION).toEqual([
      'the admin session cookie',
      'an API key in the cookie',
      'a session as Bearer',
      'a read-only session as Bearer',
      'a session in x-dolfin-api-key',
    ]);
  });

  for (const combination of browserHeaders) {
    it(`${combination.allowed ? 'serves' : 'refuses'} a session or the cookie with ${combination.name}`, async () => {
      for (const credential of AMBIENT_OR_SESSION) {
        const res = await read(credential, combination.headers, combination.host);
        if (combination.allowed) expect(res.statusCode, credential).toBe(200);
        else expectRefused(res, credential);
      }
    });
  }

  it('serves an API key in a header whatever Origin or Sec-Fetch-Site say (a page cannot send one)', async () => {
    for (const credential of KEYS_IN_HEADERS)
      for (const combination of browserHeaders)
        expect(
          (await read(credential, combination.headers, combination.host)).statusCode,
          `${credential}, ${combination.name}`,
        ).toBe(200);
  });

  it('refuses before looking the credential up: a bogus session from another origin is 403, not 401', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/v1/email/threads?label=inbox',
      headers: { host, origin: 'http://127.0.0.1:8080' },
      cookies: { 'authjs.session-token': 'ses_not-a-session' },
    });
    expectRefused(res, 'bogus cookie');
  });

  it('runs no sync for a cross-origin POST /api/services/{id}/sync or /gmail-connections/{id}/sync with the cookie', async () => {
    const cookies = { 'authjs.session-token': api.adminSession };
    const formPost = {
      origin: 'http://127.0.0.1:8080',
      'sec-fetch-site': 'same-site',
      'content-type': 'text/plain',
    };
    const service = await api.app.inject({
      method: 'POST',
      url: `/api/services/${gmailId}/sync`,
      headers: { host, ...formPost },
      cookies,
    });
    expectRefused(service, 'services');
    const connection = await api.app.inject({
      method: 'POST',
      url: `/gmail-connections/${gmailId}/sync`,
      headers: { host, ...formPost },
      cookies,
    });
    expect(connection.statusCode).toBe(403);
    expect(connection.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(connection.json()).toMatchObject({ status: 403, code: 'cross_origin_refused' });
    expect(api.jobs.latest('email_sync', gmailId)).toBeUndefined();
    expect(syncs).toBe(0);

    // The same requests from the UI's own origin do sync.
    const own = { origin: OWN, 'sec-fetch-site': 'same-origin' };
    const served = await api.app.inject({
      method: 'POST',
      url: `/api/services/${gmailId}/sync`,
      headers: { host, ...own },
      cookies,
    });
    expect(served.statusCode).toBe(200);
    expect(syncs).toBe(1);
  });

  it('refuses a cross-origin cookie on every route that takes credentials', async () => {
    await api.app.ready();
    const routes = api.app.declaredRoutes.filter((r) => r.auth !== 'public' && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const res = await api.app.inject({
        method: route.method as 'GET',
        url: route.url.replace(/:([a-z_]+)/g, 'x_404'),
        headers: { host, origin: 'http://localhost:9999', 'sec-fetch-site': 'same-site' },
        cookies: { 'authjs.session-token': api.adminSession },
        payloadAsStream: true,
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      res.stream().destroy();
    }
    expect(syncs).toBe(1);
  });

  it('sets no cookie of its own (none to mark SameSite=Strict or HttpOnly)', async () => {
    const res = await read('the admin session cookie', { origin: OWN });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
