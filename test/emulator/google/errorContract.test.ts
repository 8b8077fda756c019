/**
 * Bad input gets Google's status codes, error bodies and headers: one table per class of bad
 * input (bad tokens, wrong scopes, unknown ids, unparsable ids and arguments, quota, malformed
 * batches, OAuth grants), each row an endpoint family called through googleapis or
 * google-auth-library (fetch only for the batch endpoint, which has no Node client).
 * Expected shapes follow Google's references: the JSON error
 * {error:{code,message,errors:[{message,domain,reason}],status}}, 401 with
 * WWW-Authenticate error="invalid_token", 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT with
 * error="insufficient_scope", RFC 6749 bodies from the token endpoint.
 */

import { calendar } from '@googleapis/calendar';
import { gmail } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, CLIENT_ID, control, oauthClient, REDIRECT_URI, signIn, start } from './harness.ts';

const FULL = 'https://mail.google.com/';
const LABELS = 'https://www.googleapis.com/auth/gmail.labels';
const CALENDAR = 'https://www.googleapis.com/auth/calendar';

type Gmail = ReturnType<typeof gmail>;
type Calendar = ReturnType<typeof calendar>;
interface Clients {
  gmail: Gmail;
  calendar: Calendar;
}
type Call = (c: Clients) => Promise<unknown>;

interface Rejection {
  status: number;
  body: AnyJson;
  header(name: string): string | null;
}

/** Runs a client call that must fail and returns what the client saw (gaxios keeps status, body and headers). */
async function rejection(p: Promise<unknown>): Promise<Rejection> {
  try {
    await p;
  } catch (err) {
    const response = (err as { response?: { status: number; data: AnyJson; headers: unknown } }).response;
    if (!response) throw err;
    const headers = response.headers as Headers | Record<string, string>;
    return {
      status: response.status,
      body: response.data,
      header: (name) =>
        typeof (headers as Headers).get === 'function'
          ? (headers as Headers).get(name)
          : ((headers as Record<string, string>)[name] ?? null),
    };
  }
  throw new Error('expected the call to fail');
}

/** Google's API error shape, exactly: no other keys at either level, one error item. */
function expectGoogleError(
  r: Rejection,
  want: { code: number; reason: string; status: string; domain?: string; itemMessage?: string; message?: string | RegExp },
): void {
  expect(r.status).toBe(want.code);
  expect(r.header('content-type')).toMatch(/^application\/json/);
  const error = r.body?.error;
  expect(Object.keys(r.body)).toEqual(['error']);
  expect(error.code).toBe(want.code);
  expect(error.status).toBe(want.status);
  expect(typeof error.message).toBe('string');
  if (want.message instanceof RegExp) expect(error.message).toMatch(want.message);
  else if (want.message) expect(error.message).toBe(want.message);
  expect(error.errors).toHaveLength(1);
  const [item] = error.errors;
  expect(item.reason).toBe(want.reason);
  expect(item.domain).toBe(want.domain ?? 'global');
  expect(item.message).toBe(want.itemMessage ?? error.message);
  for (const key of Object.keys(error)) expect(['code', 'message', 'errors', 'status', 'details']).toContain(key);
}

/** The public way to run the refresh_token grant: a client holding only a refresh token asked for an access token. */
function refreshWith(client: OAuth2Client, refreshToken: string): Promise<unknown> {
  client.setCredentials({ refresh_token: refreshToken });
  return client.getAccessToken();
}

const someId = async (c: Clients) => {
  const { data } = await c.gmail.users.messages.list({ userId: 'me', maxResults: 1 });
  return data.messages?.[0]?.id ?? '';
};

/** One row per Gmail/Calendar endpoint family; the same rows run for bad tokens and wrong scopes. */
const FAMILIES: Array<[string, Call]> = [
  ['users.getProfile', (c) => c.gmail.users.getProfile({ userId: 'me' })],
  ['messages.list', (c) => c.gmail.users.messages.list({ userId: 'me' })],
  ['messages.get', (c) => c.gmail.users.messages.get({ userId: 'me', id: '17000000001' })],
  [
    'messages.modify',
    (c) => c.gmail.users.messages.modify({ userId: 'me', id: '17000000001', requestBody: { addLabelIds: ['STARRED'] } }),
  ],
  ['messages.send', (c) => c.gmail.users.messages.send({ userId: 'me', requestBody: { raw: 'U3ViamVjdDogaGkNCg0KaGk' } })],
  [
    'messages.attachments.get',
    (c) => c.gmail.users.messages.attachments.get({ userId: 'me', messageId: '17000000001', id: 'x' }),
  ],
  ['threads.list', (c) => c.gmail.users.threads.list({ userId: 'me' })],
  ['threads.get', (c) => c.gmail.users.threads.get({ userId: 'me', id: '17000000001' })],
  ['history.list', (c) => c.gmail.users.history.list({ userId: 'me', startHistoryId: '1' })],
  ['calendarList.list', (c) => c.calendar.calendarList.list()],
  ['events.list', (c) => c.calendar.events.list({ calendarId: 'primary' })],
  ['events.insert', (c) => c.calendar.events.insert({ calendarId: 'primary', requestBody: { summary: 'x' } })],
];
/** Families a gmail.labels token may use (labels.*); every other row must be refused for that scope. */
const LABEL_FAMILIES: Array<[string, Call]> = [
  ['labels.list', (c) => c.gmail.users.labels.list({ userId: 'me' })],
  ['labels.get', (c) => c.gmail.users.labels.get({ userId: 'me', id: 'INBOX' })],
];

describe('Google: bad input gets the real services status codes, error shapes and headers', () => {
  let emu: RunningEmulator;
  let good: Clients;
  let badToken: Clients;
  let labelsOnly: Clients;
  let gmailOnly: Clients;
  const clientsFor = (auth: OAuth2Client, retry = false): Clients => ({
    gmail: gmail({ version: 'v1', auth, rootUrl: `${emu.baseUrl}/`, retry }),
    calendar: calendar({ version: 'v3', auth, rootUrl: `${emu.baseUrl}/`, retry }),
  });

  beforeAll(async () => {
    emu = await start({ seed: { kind: 'synthetic', count: 300 }, serviceOptions: { google: { quotaEnabled: false } } });
    good = clientsFor(await signIn(emu, [FULL, CALENDAR]));
    labelsOnly = clientsFor(await signIn(emu, [LABELS]));
    gmailOnly = clientsFor(await signIn(emu, [FULL]));
    const bogus = oauthClient(emu);
    bogus.setCredentials({ access_token: 'ya29.not-a-token-the-emulator-issued' });
    badToken = clientsFor(bogus);
  });
  afterAll(() => emu.stop());

  it.each([...FAMILIES, ...LABEL_FAMILIES])(
    'bad token -> 401 authError with WWW-Authenticate error="invalid_token": %s',
    async (_name, call) => {
      const r = await rejection(call(badToken));
      expectGoogleError(r, {
        code: 401,
        reason: 'authError',
        status: 'UNAUTHENTICATED',
        itemMessage: 'Invalid Credentials',
        message: /^Request had invalid authentication credentials\./,
      });
      expect(r.body.error.errors[0]).toMatchObject({ location: 'Authorization', locationType: 'header' });
      expect(r.header('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/", error="invalid_token"');
    },
  );

  it.each(FAMILIES)(
    'wrong scope (gmail.labels only) -> 403 insufficientPermissions / ACCESS_TOKEN_SCOPE_INSUFFICIENT: %s',
    async (name, call) => {
      const r = await rejection(call(labelsOnly));
      expectGoogleError(r, {
        code: 403,
        reason: 'insufficientPermissions',
        status: 'PERMISSION_DENIED',
        itemMessage: 'Insufficient Permission',
        message: 'Request had insufficient authentication scopes.',
      });
      const [info] = r.body.error.details;
      expect(info).toMatchObject({
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        domain: 'googleapis.com',
      });
      expect(info.metadata.service).toBe(
        name.startsWith('calendar') || name.startsWith('events') ? 'calendar-json.googleapis.com' : 'gmail.googleapis.com',
      );
      const header = r.header('www-authenticate') ?? '';
      expect(header).toMatch(/^Bearer realm="https:\/\/accounts\.google\.com\/", error="insufficient_scope", scope="[^"]+"$/);
      // The header names scopes that would have worked, and the token's own scope is not among them.
      expect(header).not.toContain(LABELS);
    },
  );

  it('the ErrorInfo names the RPC the way Gmail does, and the same token still reads labels', async () => {
    const r = await rejection(labelsOnly.gmail.users.messages.get({ userId: 'me', id: '17000000001' }));
    expect(r.body.error.details[0].metadata.method).toBe('caribou.api.proto.MailboxService.GetMessage');
    const list = await rejection(labelsOnly.gmail.users.messages.list({ userId: 'me' }));
    expect(list.body.error.details[0].metadata.method).toBe('caribou.api.proto.MailboxService.ListMessages');
    for (const [, call] of LABEL_FAMILIES) await expect(call(labelsOnly)).resolves.toMatchObject({ status: 200 });
    // A Gmail-only token on Calendar is refused too (a different service, the same shape).
    const cal = await rejection(gmailOnly.calendar.events.list({ calendarId: 'primary' }));
    expect(cal.status).toBe(403);
    expect(cal.body.error.errors[0].reason).toBe('insufficientPermissions');
  });

  it.each<[string, Call]>([
    ['messages.get', (c) => c.gmail.users.messages.get({ userId: 'me', id: '7fffffffffffffff' })],
    ['messages.modify', (c) => c.gmail.users.messages.modify({ userId: 'me', id: 'abc123', requestBody: {} })],
    ['messages.trash', (c) => c.gmail.users.messages.trash({ userId: 'me', id: '1' })],
    ['messages.delete', (c) => c.gmail.users.messages.delete({ userId: 'me', id: '7fffffffffffffff' })],
    [
      'messages.attachments.get',
      (c) => c.gmail.users.messages.attachments.get({ userId: 'me', messageId: '7fffffffffffffff', id: 'a' }),
    ],
    ['threads.get', (c) => c.gmail.users.threads.get({ userId: 'me', id: '7fffffffffffffff' })],
    ['threads.modify', (c) => c.gmail.users.threads.modify({ userId: 'me', id: '7fffffffffffffff', requestBody: {} })],
    ['labels.get', (c) => c.gmail.users.labels.get({ userId: 'me', id: 'Label_999999' })],
    [
      'history.list (id older than the retained window)',
      async (c) => c.gmail.users.history.list({ userId: 'me', startHistoryId: '1' }),
    ],
    ['calendars: events.list', (c) => c.calendar.events.list({ calendarId: 'nobody@group.calendar.google.com' })],
    ['calendars: events.get', (c) => c.calendar.events.get({ calendarId: 'primary', eventId: 'nosuchevent0' })],
  ])('unknown id -> 404 notFound: %s', async (_name, call) => {
    if (_name.startsWith('history')) await control(emu, 'POST', '/google/users/alice@gmail.test/history/expire');
    const r = await rejection(call(good));
    expectGoogleError(r, { code: 404, reason: 'notFound', status: 'NOT_FOUND' });
  });

  it.each<[string, Call]>([
    ['messages.get: not hex', (c) => c.gmail.users.messages.get({ userId: 'me', id: 'nosuchmessageid' })],
    ['messages.get: beyond int64', (c) => c.gmail.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' })],
    ['messages.get: 18 digits', (c) => c.gmail.users.messages.get({ userId: 'me', id: '18c9a1b2c3d4e5f6aa' })],
    ['threads.get: not hex', (c) => c.gmail.users.threads.get({ userId: 'me', id: 'thread-1' })],
  ])('unparsable id -> 400 invalidArgument "Invalid id value": %s', async (_name, call) => {
    expectGoogleError(await rejection(call(good)), {
      code: 400,
      reason: 'invalidArgument',
      status: 'INVALID_ARGUMENT',
      message: 'Invalid id value',
    });
  });

  it.each<[string, (c: Clients, id: string) => Promise<unknown>, RegExp]>([
    ['messages.get format', (c, id) => c.gmail.users.messages.get({ userId: 'me', id, format: 'huge' }), /format/],
    ['messages.list maxResults', (c) => c.gmail.users.messages.list({ userId: 'me', maxResults: -1 }), /max_results/],
    ['messages.list pageToken', (c) => c.gmail.users.messages.list({ userId: 'me', pageToken: '!!' }), /pageToken/],
    ['messages.send raw', (c) => c.gmail.users.messages.send({ userId: 'me', requestBody: {} }), /raw/],
    [
      'messages.modify label',
      (c, id) => c.gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['Label_nope'] } }),
      /Label_nope/,
    ],
    ['history.list startHistoryId', (c) => c.gmail.users.history.list({ userId: 'me', startHistoryId: 'x' }), /startHistoryId/],
    [
      'events.list syncToken with timeMin',
      (c) => c.calendar.events.list({ calendarId: 'primary', syncToken: 'x', timeMin: new Date().toISOString() }),
      /./,
    ],
  ])('bad argument -> 400: %s', async (_name, call, mentions) => {
    const r = await rejection(call(good, await someId(good)));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(400);
    expect(r.body.error.errors).toHaveLength(1);
    expect(r.body.error.errors[0].domain).toBe('global');
    expect(r.body.error.errors[0].reason).toMatch(/^(invalidArgument|invalid|badRequest)$/);
    expect(r.body.error.status).toBe('INVALID_ARGUMENT');
    expect(r.body.error.message).toMatch(mentions);
  });

  it('quota: 429 rateLimitExceeded (usageLimits) per method weight, or 403 userRateLimitExceeded when switched', async () => {
    await control(emu, 'POST', '/clock', { advanceMs: 5000 });
    await control(emu, 'POST', '/google/quota', { enabled: true, unitsPerSecond: 250, exceededStatus: 429 });
    // messages.send weighs 100 units: the third inside one second goes over 250.
    const raw = Buffer.from('To: bob@gmail.test\r\nSubject: quota\r\n\r\nhi\r\n').toString('base64url');
    const send = () => good.gmail.users.messages.send({ userId: 'me', requestBody: { raw } });
    await send();
    await send();
    const r = await rejection(send());
    expectGoogleError(r, {
      code: 429,
      reason: 'rateLimitExceeded',
      status: 'RESOURCE_EXHAUSTED',
      domain: 'usageLimits',
      message: /^User-rate limit exceeded\. {2}Retry after \d{4}-\d\d-\d\dT/,
    });
    await control(emu, 'POST', '/clock', { advanceMs: 2000 });
    await control(emu, 'POST', '/google/quota', { exceededStatus: 403, unitsPerSecond: 4 });
    const forbidden = await rejection(
      good.gmail.users.getProfile({ userId: 'me' }).then(() => good.gmail.users.messages.list({ userId: 'me' })),
    );
    expectGoogleError(forbidden, {
      code: 403,
      reason: 'userRateLimitExceeded',
      status: 'PERMISSION_DENIED',
      domain: 'usageLimits',
      message: 'User Rate Limit Exceeded',
    });
    await control(emu, 'POST', '/google/quota', { enabled: false, unitsPerSecond: 250, exceededStatus: 429 });
  });

  describe('batch endpoint', () => {
    let token = '';
    beforeAll(async () => {
      const auth = await signIn(emu, [FULL]);
      token = auth.credentials.access_token ?? '';
    });
    const part = (line: string, id = 'a') =>
      `--b\r\nContent-Type: application/http\r\nContent-ID: <${id}>\r\n\r\n${line}\r\n\r\n`;

    it.each<[string, string, string]>([
      ['not multipart', '{"requests":[]}', 'application/json'],
      ['multipart without a boundary', part('GET /gmail/v1/users/me/profile'), 'multipart/mixed'],
      ['no parts', '--b--\r\n', 'multipart/mixed; boundary=b'],
      [
        'a part that is not application/http',
        '--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n',
        'multipart/mixed; boundary=b',
      ],
      ['a part without a request line', `${part('hello there')}--b--\r\n`, 'multipart/mixed; boundary=b'],
      [
        '101 parts',
        `${Array.from({ length: 101 }, (_, i) => part('GET /gmail/v1/users/me/profile', `i${i}`)).join('')}--b--\r\n`,
        'multipart/mixed; boundary=b',
      ],
    ])('malformed batch (%s) -> 400 in Google JSON shape, nothing run', async (_name, body, type) => {
      await control(emu, 'DELETE', '/counters');
      const res = await fetch(`${emu.baseUrl}/batch/gmail/v1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const json = (await res.json()) as AnyJson;
      expect(json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(json.error.errors).toHaveLength(1);
      expect(json.error.errors[0].domain).toBe('global');
      expect((await control(emu, 'GET', '/counters')).requests['gmail.users.getProfile']).toBeUndefined();
    });

    it('part errors come back inside a 200 batch, each in the same shape as a direct call', async () => {
      const body =
        part('GET /gmail/v1/users/me/messages/7fffffffffffffff', 'missing') +
        part('GET /gmail/v1/users/me/messages/nosuchmessageid', 'unparsable') +
        `--b\r\nContent-Type: application/http\r\nContent-ID: <badtoken>\r\n\r\nGET /gmail/v1/users/me/profile\r\nAuthorization: Bearer nope\r\n\r\n\r\n` +
        part('GET /gmail/v1/users/me/profile', 'ok') +
        '--b--\r\n';
      const res = await fetch(`${emu.baseUrl}/batch/gmail/v1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=b' },
        body,
      });
      expect(res.status).toBe(200);
      const type = res.headers.get('content-type') ?? '';
      const boundary = type.split('boundary=')[1] ?? '';
      const parts = (await res.text()).split(`--${boundary}`).slice(1, -1);
      const byId = Object.fromEntries(
        parts.map((p) => {
          const id = /Content-ID: <response-([^>]+)>/.exec(p)?.[1] ?? '';
          const status = Number(/HTTP\/1\.1 (\d{3})/.exec(p)?.[1]);
          const json = JSON.parse(p.slice(p.indexOf('{'), p.lastIndexOf('}') + 1)) as AnyJson;
          return [id, { status, json, text: p }];
        }),
      );
      expect(byId.missing).toMatchObject({ status: 404, json: { error: { code: 404, status: 'NOT_FOUND' } } });
      expect(byId.unparsable).toMatchObject({ status: 400, json: { error: { message: 'Invalid id value' } } });
      expect(byId.badtoken?.status).toBe(401);
      expect(byId.badtoken?.json.error.errors[0].reason).toBe('authError');
      expect(byId.badtoken?.text).toMatch(
        /www-authenticate: Bearer realm="https:\/\/accounts\.google\.com\/", error="invalid_token"/i,
      );
      expect(byId.ok).toMatchObject({ status: 200, json: { emailAddress: 'alice@gmail.test' } });
    });
  });

  describe('OAuth token endpoint (google-auth-library)', () => {
    it.each<[string, (client: OAuth2Client) => Promise<unknown>, number, string]>([
      [
        'unknown authorization code',
        (c) => c.getToken({ code: '4/not-a-code', codeVerifier: 'v'.repeat(43) }),
        400,
        'invalid_grant',
      ],
      ['unknown refresh token', (c) => refreshWith(c, '1//not-a-refresh-token'), 400, 'invalid_grant'],
    ])('%s -> %s %s in the RFC 6749 shape', async (_name, call, status, error) => {
      const r = await rejection(call(oauthClient(emu)));
      expect(r.status).toBe(status);
      expect(r.body).toMatchObject({ error, error_description: expect.any(String) });
      expect(r.body.code).toBeUndefined();
    });

    it('a revoked refresh token -> 400 invalid_grant; an unregistered client -> 401 invalid_client', async () => {
      const auth = await signIn(emu, [FULL]);
      const refresh = auth.credentials.refresh_token ?? '';
      await control(emu, 'POST', '/google/revoke', { email: 'alice@gmail.test' });
      const revoked = await rejection(refreshWith(oauthClient(emu), refresh));
      expect(revoked.status).toBe(400);
      expect(revoked.body).toMatchObject({ error: 'invalid_grant' });

      const strict = await start({ seed: { kind: 'empty' }, serviceOptions: { google: { clientIds: ['registered'] } } });
      try {
        const client = new OAuth2Client({
          clientId: CLIENT_ID,
          redirectUri: REDIRECT_URI,
          endpoints: { oauth2TokenUrl: `${strict.baseUrl}/token` },
        });
        const r = await rejection(client.getToken({ code: '4/x', codeVerifier: 'v'.repeat(43) }));
        expect(r.status).toBe(401);
        expect(r.body).toMatchObject({ error: 'invalid_client' });
      } finally {
        await strict.stop();
      }
    });
  });
});
