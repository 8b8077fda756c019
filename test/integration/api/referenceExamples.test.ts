import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../main/api/auth/apiKeys.ts';
import { createSession } from '../../../main/api/auth/sessions.ts';
import { type Core, startCore } from '../../../main/core/startCore.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/**
 * The code examples of the five reference documents, replayed over real HTTP
 * against a running core; only the base URL and the key differ.
 */
describe('reference curl examples against a running core', () => {
  const dir = makeTempDir();
  let core: Core;
  let key: string;
  let adminSession: string;
  let gmailId: string;

  beforeAll(async () => {
    core = await startCore({
      dataDir: dir.path,
      port: 0,
      version: 'test',
      rendererDir: null,
      schedule: false,
      jobHandlers: {
        email_sync: async () => ({ messagesProcessed: 18, threadsProcessed: 12 }),
        calendar_sync: async () => ({ eventsProcessed: 4 }),
      },
      rateLimits: { syncPerHour: 100 },
      send: {
        async submit() {
          return {
            id: '18c9a4b2e7ff21aa',
            thread_id: '18c9a4b2e7ff21aa',
            provider: 'gmail',
            status: 'sent',
            sent_at: '2026-04-17T10:22:11Z',
          };
        },
      },
    });
    gmailId = ensureAccount(core.db, 'gmail', 'me@example.test').id;
    key = createApiKey(core.db, 'script', ['read:email', 'write:email', 'read:calendar', 'write:calendar']).key;
    adminSession = createSession(core.db, { admin: true }).token;
  });
  afterAll(async () => {
    await core.close();
    dir.remove();
  });

  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions that follow
  const json = (res: Response) => res.json() as Promise<any>;

  function expectStandardHeaders(res: Response) {
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'])
      expect(res.headers.get(name)).toMatch(/^\d+$/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  }

  it('v1-email-sync: curl -X POST .../v1/email/sync -H "Authorization: Bearer wbk_..." -d \'{}\'', async () => {
    const res = await fetch(`${core.baseUrl}/v1/email/sync`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expectStandardHeaders(res);
    const body = await json(res);
    expect(body).toEqual({
      data: {
        job_id: expect.stringMatching(/^sync_/),
        status: 'queued',
        mode: 'incremental',
        queued_at: expect.stringMatching(/Z$/),
      },
    });
  });

  it('v1-calendar-sync: curl -X POST .../v1/calendar/sync -d \'{"mode": "incremental"}\'', async () => {
    const res = await fetch(`${core.baseUrl}/v1/calendar/sync`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: '{"mode": "incremental"}',
    });
    expect(res.status).toBe(200);
    expectStandardHeaders(res);
    expect((await json(res)).data).toMatchObject({
      job_id: expect.stringMatching(/^cal_sync_/),
      status: 'queued',
      mode: 'incremental',
    });
  });

  it('api-services-id-sync: curl --request POST .../api/services/ID/sync --cookie authjs.session-token=...', async () => {
    await core.runner.idle(); // the syncs queued above ran first: this endpoint refuses a concurrent one
    const res = await fetch(`${core.baseUrl}/api/services/${gmailId}/sync`, {
      method: 'POST',
      headers: { Cookie: `authjs.session-token=${adminSession}` },
    });
    expect(res.status).toBe(200);
    expectStandardHeaders(res);
    expect(await json(res)).toEqual({ ok: true, mode: 'incremental', threadsProcessed: 12, messagesProcessed: 18 });
  });

  it('a script follows a queued job with GET /v1/jobs/{job_id} and lists accounts', async () => {
    const queued = await json(
      await fetch(`${core.baseUrl}/v1/email/sync`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } }),
    );
    await core.runner.idle();
    const res = await fetch(`${core.baseUrl}/v1/jobs/${queued.data.job_id}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expectStandardHeaders(res);
    expect((await json(res)).data).toMatchObject({
      id: queued.data.job_id,
      status: 'succeeded',
      counts: { messagesProcessed: 18 },
    });
    const missing = await fetch(`${core.baseUrl}/v1/jobs/sync_nope`, { headers: { Authorization: `Bearer ${key}` } });
    expect(missing.status).toBe(404);
    const accounts = await json(await fetch(`${core.baseUrl}/v1/accounts`, { headers: { Authorization: `Bearer ${key}` } }));
    expect(accounts.data).toEqual([expect.objectContaining({ id: gmailId, provider: 'gmail', status: 'active' })]);
  });

  it('GET /v1/events streams the events the key may read (SSE)', async () => {
    const calendarOnly = createApiKey(core.db, 'cal', ['read:calendar', 'write:calendar']).key;
    const controller = new AbortController();
    const res = await fetch(`${core.baseUrl}/v1/events`, {
      headers: { Authorization: `Bearer ${calendarOnly}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expectStandardHeaders(res);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await fetch(`${core.baseUrl}/v1/email/sync`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
    await fetch(`${core.baseUrl}/v1/calendar/sync`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
    let text = '';
    while (!text.includes('event: calendar.sync.completed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('event: calendar.sync.completed');
    expect(text).not.toContain('email_sync');
    controller.abort();
  });

  it('gmail-connections-id-sync: POST /gmail-connections/{id}/sync with x-dolfin-api-key -> 202 {jobId}', async () => {
    const res = await fetch(`${core.baseUrl}/gmail-connections/${gmailId}/sync`, {
      method: 'POST',
      headers: { 'x-dolfin-api-key': key },
    });
    expect(res.status).toBe(202);
    expectStandardHeaders(res);
    const { jobId } = await json(res);
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await fetch(`${core.baseUrl}/gmail-connections/00000000-0000-4000-8000-000000000000/sync`, {
      method: 'POST',
      headers: { 'x-dolfin-api-key': key },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await json(missing)).title).toBe('Gmail.ConnectionNotFound');
  });

  it('v1-email-send: the documented curl example with Idempotency-Key', async () => {
    const request = () =>
      fetch(`${core.baseUrl}/v1/email/send`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${key}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': '7e0b7c0e-5b2f-4b17-bf2a-4d7e7e33d9f1',
        },
        body: `{
    "to": "jane@example.com",
    "subject": "Follow-up on our meeting",
    "body_html": "<p>Hi Jane, thanks for meeting with us today.</p>",
    "contact_id": "123e4567-e89b-12d3-a456-426614174000"
  }`,
      });
    const res = await request();
    expect(res.status).toBe(200);
    expectStandardHeaders(res);
    expect(await json(res)).toEqual({
      data: {
        id: '18c9a4b2e7ff21aa',
        thread_id: '18c9a4b2e7ff21aa',
        provider: 'gmail',
        status: 'sent',
        sent_at: '2026-04-17T10:22:11Z',
      },
    });
    const replay = await request();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('every error is JSON with code, message, request_id and the standard headers; preflights get no CORS', async () => {
    const unauthorised = await fetch(`${core.baseUrl}/v1/email/sync`, {
      method: 'POST',
      headers: { Authorization: 'Bearer wbk_invalid' },
    });
    expect(unauthorised.status).toBe(401);
    expectStandardHeaders(unauthorised);
    const body = await json(unauthorised);
    expect(body).toEqual({
      code: 'invalid_key',
      message: expect.any(String),
      request_id: unauthorised.headers.get('x-request-id'),
    });
    const preflight = await fetch(`${core.baseUrl}/v1/email/sync`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expectStandardHeaders(preflight);
    expect((await json(preflight)).code).toBeTypeOf('string');
  });

  it('/openapi.json documents every sync route', async () => {
    const doc = await json(await fetch(`${core.baseUrl}/openapi.json`));
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/email/sync',
      '/v1/calendar/sync',
      '/api/services/{id}/sync',
      '/gmail-connections/{id}/sync',
      '/v1/keys',
    ])
      expect(doc.paths[path]).toBeDefined();
  });
});
