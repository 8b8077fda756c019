/**
 * Bad input gets the Microsoft services' status codes, error bodies and headers: one table per
 * class of bad input (missing/bad/expired tokens, missing delegated permissions, unknown and
 * malformed ids, bad arguments, stale delta tokens, throttling, malformed $batch, identity
 * platform grants), each row a Graph endpoint family called with fetch (Graph has no client
 * here) or an identity call made through msal-node. Expected shapes follow Microsoft's
 * references: {"error":{"code","message","innerError":{date,request-id,client-request-id}}}
 * with request-id / client-request-id headers, 401 with WWW-Authenticate, 429 with
 * Retry-After, and AADSTS codes in the token endpoint's error_codes.
 */
import { randomUUID } from 'node:crypto';
import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';
import { CLIENT_ID, openBrowser, SCOPES } from './testAuth.ts';

// biome-ignore lint/suspicious/noExplicitAny: assertions read JSON bodies of many shapes
type Json = any;
interface Answer {
  status: number;
  headers: Headers;
  body: Json;
  clientRequestId: string;
}

const READ_ONLY = [
  'https://graph.microsoft.com/Mail.Read',
  'https://graph.microsoft.com/Calendars.Read',
  'https://graph.microsoft.com/User.Read',
];
const USER_ONLY = ['https://graph.microsoft.com/User.Read'];
const WINDOW = 'startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-02-01T00:00:00Z';

let emu: RunningEmulator;
let full: string;
let readOnly: string;
let userOnly: string;
let messageId: string;

function pca(): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId: CLIENT_ID, authority: `${emu.baseUrl}/common`, knownAuthorities: [new URL(emu.baseUrl).host] },
  });
}

async function signInWith(scopes: string[]): Promise<string> {
  const r = await pca().acquireTokenInteractive({ scopes, openBrowser, successTemplate: 'ok', errorTemplate: 'error' });
  return r.accessToken;
}

/** One Graph call with a fresh client-request-id; the body is parsed when it is JSON. */
async function graph(
  method: string,
  path: string,
  options: { token?: string | null; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const clientRequestId = randomUUID();
  const headers: Record<string, string> = { 'client-request-id': clientRequestId, ...(options.headers ?? {}) };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? full}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${emu.baseUrl}/v1.0${path}`, { method, headers, body: options.body });
  const text = await res.text();
  const body = /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body, clientRequestId };
}

/** Graph's error shape, exactly, with the ids repeated in the headers and the client's id echoed. */
function expectGraphError(a: Answer, status: number, code: string, message?: string | RegExp): void {
  expect(a.status).toBe(status);
  expect(a.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(a.body)).toEqual(['error']);
  expect(Object.keys(a.body.error).sort()).toEqual(['code', 'innerError', 'message']);
  expect(a.body.error.code).toBe(code);
  if (message instanceof RegExp) expect(a.body.error.message).toMatch(message);
  else if (message) expect(a.body.error.message).toBe(message);
  else expect(a.body.error.message).toEqual(expect.any(String));
  const inner = a.body.error.innerError;
  expect(inner.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  expect(inner['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(inner['client-request-id']).toBe(a.clientRequestId);
  expect(a.headers.get('request-id')).toBe(inner['request-id']);
  expect(a.headers.get('client-request-id')).toBe(a.clientRequestId);
}

/** Every Graph endpoint family: [name, method, path, body, write?]. Paths use {id} for a real message id. */
type Family = [string, string, string, string | undefined];
const READS: Family[] = [
  ['mailFolders', 'GET', '/me/mailFolders', undefined],
  ['folder messages', 'GET', '/me/mailFolders/inbox/messages', undefined],
  ['messages delta', 'GET', '/me/mailFolders/inbox/messages/delta', undefined],
  ['message', 'GET', '/me/messages/{id}', undefined],
  ['message $value', 'GET', '/me/messages/{id}/$value', undefined],
  ['attachments', 'GET', '/me/messages/{id}/attachments', undefined],
  ['calendars', 'GET', '/me/calendars', undefined],
  ['calendarView', 'GET', `/me/calendarView?${WINDOW}`, undefined],
  ['calendarView delta', 'GET', `/me/calendarView/delta?${WINDOW}`, undefined],
];
const WRITES: Family[] = [
  ['message update', 'PATCH', '/me/messages/{id}', '{"isRead":true}'],
  ['move', 'POST', '/me/messages/{id}/move', '{"destinationId":"archive"}'],
  ['createReply', 'POST', '/me/messages/{id}/createReply', '{}'],
  [
    'event create',
    'POST',
    '/me/events',
    '{"subject":"x","start":{"dateTime":"2026-01-05T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-01-05T11:00:00","timeZone":"UTC"}}',
  ],
];
const SENDS: Family[] = [
  [
    'sendMail',
    'POST',
    '/me/sendMail',
    '{"message":{"subject":"x","toRecipients":[{"emailAddress":{"address":"alice@contoso.test"}}]}}',
  ],
];
const path = (p: string) => p.replace('{id}', messageId);

beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'synthetic', count: 200 }, autoConsent: true });
  full = await signInWith(SCOPES);
  readOnly = await signInWith(READ_ONLY);
  userOnly = await signInWith(USER_ONLY);
  messageId = (await graph('GET', '/me/mailFolders/inbox/messages?$top=1&$select=id')).body.value[0].id;
});
afterAll(() => emu?.stop());

describe('Graph: tokens', () => {
  it.each([...READS, ...WRITES, ...SENDS])(
    'a token Graph did not issue -> 401 InvalidAuthenticationToken with WWW-Authenticate: %s',
    async (_name, method, p, body) => {
      const a = await graph(method, path(p), { token: 'EwBnot-a-token', body });
      expectGraphError(a, 401, 'InvalidAuthenticationToken');
      expect(a.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\//,
      );
    },
  );

  it('no Authorization header -> 401 "Access token is empty."; an expired token -> 401 lifetime validation', async () => {
    expectGraphError(
      await graph('GET', '/me/messages', { token: null }),
      401,
      'InvalidAuthenticationToken',
      'Access token is empty.',
    );
    const short = await startEmulator({
      seed: { kind: 'empty' },
      autoConsent: true,
      serviceOptions: { microsoft: { accessTokenLifetimeSec: 60 } },
    });
    try {
      const app = new PublicClientApplication({
        auth: { clientId: CLIENT_ID, authority: `${short.baseUrl}/common`, knownAuthorities: [new URL(short.baseUrl).host] },
      });
      const { accessToken } = await app.acquireTokenInteractive({
        scopes: SCOPES,
        openBrowser,
        successTemplate: 'ok',
        errorTemplate: 'e',
      });
      await fetch(`${short.controlUrl}/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 120_000 }) });
      const id = randomUUID();
      const res = await fetch(`${short.baseUrl}/v1.0/me/messages`, {
        headers: { authorization: `Bearer ${accessToken}`, 'client-request-id': id },
      });
      expectGraphError(
        { status: res.status, headers: res.headers, body: await res.json(), clientRequestId: id },
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      );
    } finally {
      await short.stop();
    }
  });
});

describe('Graph: delegated permissions', () => {
  it.each([...READS, ...WRITES, ...SENDS])('User.Read only -> 403 ErrorAccessDenied: %s', async (_name, method, p, body) => {
    expectGraphError(
      await graph(method, path(p), { token: userOnly, body }),
      403,
      'ErrorAccessDenied',
      'Access is denied. Check credentials and try again.',
    );
  });

  it.each([...WRITES, ...SENDS])(
    'Mail.Read + Calendars.Read -> 403 ErrorAccessDenied for writes: %s',
    async (_name, method, p, body) => {
      expectGraphError(await graph(method, path(p), { token: readOnly, body }), 403, 'ErrorAccessDenied');
    },
  );

  it.each(READS)('Mail.Read + Calendars.Read may read: %s', async (_name, method, p) => {
    const a = await graph(method, path(p), { token: readOnly });
    expect(a.status).toBe(200);
    expect(a.headers.get('client-request-id')).toBe(a.clientRequestId);
  });

  it('another user’s mailbox -> 403 ErrorAccessDenied; a user that does not exist -> 404 ErrorInvalidUser', async () => {
    expectGraphError(await graph('GET', '/users/alice@contoso.test/messages'), 403, 'ErrorAccessDenied');
    expectGraphError(
      await graph('GET', '/users/nobody@contoso.test/messages'),
      404,
      'ErrorInvalidUser',
      "The requested user 'nobody@contoso.test' is invalid.",
    );
  });
});

describe('Graph: ids', () => {
  const unknown = 'AAMkAGI2ZG9lc25vdGV4aXN0AAA=';
  it.each<[string, string, string, string | undefined]>([
    ['message', 'GET', `/me/messages/${unknown}`, undefined],
    ['message $value', 'GET', `/me/messages/${unknown}/$value`, undefined],
    ['message update', 'PATCH', `/me/messages/${unknown}`, '{"isRead":true}'],
    ['message delete', 'DELETE', `/me/messages/${unknown}`, undefined],
    ['attachments', 'GET', `/me/messages/${unknown}/attachments`, undefined],
    ['attachment', 'GET', `/me/messages/{id}/attachments/${unknown}`, undefined],
    ['move', 'POST', `/me/messages/${unknown}/move`, '{"destinationId":"archive"}'],
    ['move to an unknown folder', 'POST', '/me/messages/{id}/move', `{"destinationId":"${unknown}"}`],
    ['createReply', 'POST', `/me/messages/${unknown}/createReply`, '{}'],
    ['folder', 'GET', `/me/mailFolders/${unknown}`, undefined],
    ['folder delta', 'GET', `/me/mailFolders/${unknown}/messages/delta`, undefined],
    ['calendar', 'GET', `/me/calendars/${unknown}`, undefined],
    ['event', 'GET', `/me/events/${unknown}`, undefined],
  ])('unknown id -> 404 ErrorItemNotFound: %s', async (_name, method, p, body) => {
    expectGraphError(
      await graph(method, path(p), { body }),
      404,
      'ErrorItemNotFound',
      'The specified object was not found in the store.',
    );
  });

  it.each<[string, string, string]>([
    ['message', 'GET', '/me/messages/not-an-id!'],
    ['message (too short)', 'GET', '/me/messages/abc'],
    ['folder', 'GET', '/me/mailFolders/no%20such%20folder'],
  ])('malformed id -> 400 ErrorInvalidIdMalformed: %s', async (_name, method, p) => {
    expectGraphError(await graph(method, p), 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  });
});

describe('Graph: bad arguments', () => {
  it.each<[string, string, string, string | undefined, string]>([
    ['unreadable JSON', 'PATCH', '/me/messages/{id}', '{nope', 'BadRequest'],
    ['isRead not a boolean', 'PATCH', '/me/messages/{id}', '{"isRead":"yes"}', 'BadRequest'],
    ['flagStatus not an enum value', 'PATCH', '/me/messages/{id}', '{"flag":{"flagStatus":"urgent"}}', 'BadRequest'],
    ['sendMail without a message', 'POST', '/me/sendMail', '{}', 'ErrorInvalidParameter'],
    [
      'sendMail to nobody valid',
      'POST',
      '/me/sendMail',
      '{"message":{"toRecipients":[{"emailAddress":{}}]}}',
      'ErrorInvalidRecipients',
    ],
    ['$top=0', 'GET', '/me/messages?$top=0', undefined, 'BadRequest'],
    ['$filter on an unknown property', 'GET', "/me/messages?$filter=colour eq 'red'", undefined, 'ErrorInvalidProperty'],
    ['calendarView without a window', 'GET', '/me/calendarView', undefined, 'ErrorInvalidParameter'],
    ['an unknown segment', 'GET', '/me/mailFolders/inbox/nonsense', undefined, 'BadRequest'],
    ['a delta token that is not one', 'GET', '/me/mailFolders/inbox/messages/delta?$deltatoken=%%%', undefined, 'BadRequest'],
  ])('%s -> 400', async (_name, method, p, body, code) => {
    const a = await graph(method, path(p), { body });
    expect(a.status).toBe(400);
    expect(a.body.error.code).toBe(code);
    expect(typeof a.body.error.message).toBe('string');
    expect(Object.keys(a.body.error.innerError ?? {})).toEqual(expect.arrayContaining(['date', 'request-id']));
  });

  it('a delta token from before an invalidation -> 410 SyncStateNotFound (the resync signal)', async () => {
    const prefer = { prefer: 'odata.maxpagesize=1000' };
    let page = await graph('GET', '/me/mailFolders/inbox/messages/delta', { headers: prefer });
    while (page.body['@odata.nextLink']) {
      const next: string = page.body['@odata.nextLink'];
      page = await graph('GET', next.slice(next.indexOf('/v1.0') + 5), { headers: prefer });
    }
    const link: string = page.body['@odata.deltaLink'];
    await fetch(`${emu.controlUrl}/microsoft/invalidate-delta`, { method: 'POST', body: '{}' });
    const gone = await graph('GET', link.slice(link.indexOf('/v1.0') + 5));
    expectGraphError(gone, 410, 'SyncStateNotFound', /^The sync state generation is not found; generation=\d+;\[highest=\d+\]/);
  });
});

describe('Graph: throttling', () => {
  it('over the per-app rate -> 429 ApplicationThrottled with Retry-After, then served again', async () => {
    await fetch(`${emu.controlUrl}/microsoft/throttle`, { method: 'POST', body: JSON.stringify({ requestsPerSecond: 3 }) });
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => graph('GET', '/me/mailFolders')));
      const throttled = answers.filter((a) => a.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
      for (const a of throttled) {
        expectGraphError(a, 429, 'ApplicationThrottled');
        expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      await fetch(`${emu.controlUrl}/microsoft/throttle`, { method: 'POST', body: JSON.stringify({ requestsPerSecond: 0 }) });
    }
    await fetch(`${emu.controlUrl}/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 2000 }) });
    expect((await graph('GET', '/me/mailFolders')).status).toBe(200);
  });

  it('an injected 429 storm -> TooManyRequests with Retry-After in the Graph shape', async () => {
    await fetch(`${emu.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ fault: { endpoint: 'graph.messages.get', kind: 'rateLimit', count: 1, retryAfter: 7 } }),
    });
    const a = await graph('GET', path('/me/messages/{id}'));
    expect(a.status).toBe(429);
    expect(a.body.error.code).toBe('TooManyRequests');
    expect(a.headers.get('retry-after')).toBe('7');
    expect((await graph('GET', path('/me/messages/{id}'))).status).toBe(200);
  });
});

describe('Graph: $batch', () => {
  const batch = (body: string) => graph('POST', '/$batch', { body });
  const item = (id: string, url = '/me') => ({ id, method: 'GET', url });

  it.each<[string, string, RegExp | undefined]>([
    ['not JSON', '{"requests": [', /Unable to read JSON request payload/],
    ['no requests array', '{"requests": {}}', undefined],
    ['an empty requests array', '{"requests": []}', undefined],
    ['a request without a url', JSON.stringify({ requests: [{ id: '1', method: 'GET' }] }), undefined],
    ['duplicate request ids', JSON.stringify({ requests: [item('1'), item('1')] }), /duplicated/],
    ['21 requests', JSON.stringify({ requests: Array.from({ length: 21 }, (_, i) => item(String(i + 1))) }), /limit of 20/],
  ])('malformed batch (%s) -> 400 BadRequest, nothing run', async (_name, body, message) => {
    await fetch(`${emu.controlUrl}/counters`, { method: 'DELETE' });
    expectGraphError(await batch(body), 400, 'BadRequest', message);
    const counters = (await (await fetch(`${emu.controlUrl}/counters`)).json()) as Json;
    expect(counters.requests['graph.me']).toBeUndefined();
  });

  it('errors inside a batch keep their status and shape per request; a body without Content-Type is refused', async () => {
    const a = await batch(
      JSON.stringify({
        requests: [
          item('ok'),
          item('missing', '/me/messages/AAMkAGI2ZG9lc25vdGV4aXN0AAA='),
          item('malformed', '/me/messages/abc'),
          { id: 'notype', method: 'PATCH', url: path('/me/messages/{id}'), body: { isRead: true } },
          { id: 'after', method: 'GET', url: '/me', dependsOn: ['missing'] },
        ],
      }),
    );
    expect(a.status).toBe(200);
    const byId = Object.fromEntries((a.body.responses as Json[]).map((r) => [r.id, r]));
    expect(byId.ok.status).toBe(200);
    expect(byId.missing).toMatchObject({ status: 404, body: { error: { code: 'ErrorItemNotFound' } } });
    expect(byId.missing.body.error.innerError['request-id']).toEqual(expect.any(String));
    expect(byId.malformed).toMatchObject({ status: 400, body: { error: { code: 'ErrorInvalidIdMalformed' } } });
    expect(byId.notype).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
    expect(byId.after.status).toBe(424);
  });
});

describe('identity platform (msal-node)', () => {
  /** Error of a rejected msal-node call: ServerError keeps the error code and the AADSTS text. */
  async function msalError(p: Promise<unknown>): Promise<{ errorCode: string; errorMessage: string }> {
    const err = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as { errorCode?: string; errorMessage?: string } | undefined;
    if (!err) throw new Error('expected msal-node to fail');
    return { errorCode: err.errorCode ?? '', errorMessage: err.errorMessage ?? '' };
  }

  it('a refresh token the platform never issued -> invalid_grant AADSTS9002313', async () => {
    const e = await msalError(pca().acquireTokenByRefreshToken({ refreshToken: 'M.Cnot-a-refresh-token', scopes: SCOPES }));
    expect(e.errorCode).toBe('invalid_grant');
    expect(e.errorMessage).toMatch(/AADSTS9002313: Invalid request\. Request is malformed or invalid\./);
  });

  it('a revoked refresh token -> invalid_grant AADSTS50173; a redeemed code -> invalid_grant AADSTS54005', async () => {
    const app = pca();
    const first = await app.acquireTokenInteractive({
      scopes: SCOPES,
      openBrowser,
      successTemplate: 'ok',
      errorTemplate: 'e',
      loginHint: 'alice@contoso.test',
    });
    await fetch(`${emu.controlUrl}/microsoft/revoke`, { method: 'POST', body: JSON.stringify({ user: 'alice@contoso.test' }) });
    const revoked = await msalError(app.acquireTokenSilent({ account: first.account!, scopes: SCOPES, forceRefresh: true }));
    expect(revoked.errorCode).toBe('invalid_grant');
    expect(revoked.errorMessage).toMatch(/AADSTS50173: The provided grant has expired due to it being revoked/);

    // An authorization code, fetched as a browser would, redeemed twice through msal-node.
    const { verifier, challenge } = await new (await import('@azure/msal-node')).CryptoProvider().generatePkceCodes();
    const redirectUri = 'http://localhost:1/cb';
    const url = await app.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      responseMode: 'query' as never,
    });
    const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    await app.acquireTokenByCode({ code, scopes: SCOPES, redirectUri, codeVerifier: verifier });
    const reused = await msalError(app.acquireTokenByCode({ code, scopes: SCOPES, redirectUri, codeVerifier: verifier }));
    expect(reused.errorCode).toBe('invalid_grant');
    expect(reused.errorMessage).toMatch(/AADSTS54005: OAuth2 Authorization code was already redeemed/);
  });

  it.each<[string, Record<string, string>, number, string, number]>([
    ['no grant_type', { client_id: CLIENT_ID }, 400, 'invalid_request', 900144],
    ['no client_id', { grant_type: 'refresh_token', refresh_token: 'x' }, 400, 'invalid_request', 900144],
    ['no code', { client_id: CLIENT_ID, grant_type: 'authorization_code' }, 400, 'invalid_request', 900144],
    ['an unsupported grant', { client_id: CLIENT_ID, grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
  ])('token endpoint, %s -> %s %s AADSTS%s', async (_name, form, status, error, aadsts) => {
    const res = await fetch(`${emu.baseUrl}/common/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
    expect(res.status).toBe(status);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ error, error_codes: [aadsts] });
    expect(body.error_description).toMatch(
      new RegExp(`^AADSTS${aadsts}: .* Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: `),
    );
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Cancel on the consent page -> the redirect URI gets error=access_denied (AADSTS65004) with the state', async () => {
    const manual = await startEmulator({ seed: { kind: 'empty' }, autoConsent: false });
    try {
      const form = new URLSearchParams({
        client_id: CLIENT_ID,
        response_type: 'code',
        redirect_uri: 'http://localhost:1/cb',
        scope: 'User.Read',
        state: 'st-9',
      });
      const page = await (await fetch(`${manual.baseUrl}/common/oauth2/v2.0/authorize?${form}`)).text();
      expect(page).toContain('value="cancel"');
      form.set('consent', 'cancel');
      const res = await fetch(`${manual.baseUrl}/common/oauth2/v2.0/authorize`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(res.status).toBe(302);
      const back = new URL(res.headers.get('location') ?? '');
      expect(back.origin + back.pathname).toBe('http://localhost:1/cb');
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('error_description')).toMatch(/^AADSTS65004: /);
      expect(back.searchParams.get('state')).toBe('st-9');
      expect(back.searchParams.get('code')).toBeNull();
    } finally {
      await manual.stop();
    }
  });
});
