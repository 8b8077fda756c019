import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listApiKeys, revokeApiKey } from '../../../main/api/auth/apiKeys.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount, getAccount } from '../../../main/db/queries/accounts.ts';
import { ProviderError } from '../../../main/providers/providerErrors.ts';
import type { JobHandler } from '../../../main/sync/jobRunner.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('sync endpoints', () => {
  let db: IndexDb;
  let api: LocalApiHarness;
  let gmailId: string;
  const dir = makeTempDir();
  let handler: JobHandler = async () => ({ messagesProcessed: 18, threadsProcessed: 12 });

  beforeEach(async () => {
    db = openIndex(':memory:');
    gmailId = ensureAccount(db, 'gmail', 'me@example.test').id;
    handler = async () => ({ messagesProcessed: 18, threadsProcessed: 12 });
    api = await buildLocalApi(db, dir.path, {
      handlers: { email_sync: (job, ctx) => handler(job, ctx), calendar_sync: async () => ({ eventsProcessed: 3 }) },
      rateLimits: { syncPerHour: 4 },
    });
  });
  afterEach(async () => {
    await api.runner.stop();
    await api.app.close();
    db.close();
  });

  const post = (url: string, key: string, body?: unknown, headers: Record<string, string> = {}) =>
    api.app.inject({
      method: 'POST',
      url,
      headers: {
        host,
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  function expectStandardHeaders(headers: Record<string, unknown>) {
    expect(headers['x-request-id']).toMatch(/^req_/);
    expect(Number(headers['x-ratelimit-limit'])).toBeGreaterThan(0);
    expect(headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
    expect(Number(headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  }

  it('POST /v1/email/sync queues an incremental sync of every mailbox (the reference example)', async () => {
    const res = await post('/v1/email/sync', api.key('write:email'), {});
    expect(res.statusCode).toBe(200);
    expectStandardHeaders(res.headers);
    expect(res.headers['x-ratelimit-limit']).toBe('4');
    expect(res.headers['x-ratelimit-remaining']).toBe('3');
    const { data } = res.json();
    expect(data).toEqual({
      job_id: expect.stringMatching(/^sync_[0-9A-HJKMNP-TV-Z]{26}$/),
      status: 'queued',
      mode: 'incremental',
      queued_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(api.jobs.get(data.job_id)?.account_id).toBe(gmailId);
  });

  it("POST /v1/email/sync with account_id syncs that account's mailbox only; one not connected is refused", async () => {
    const outlookId = ensureAccount(db, 'microsoft', 'me@contoso.test').id;
    const res = await post('/v1/email/sync', api.key('write:email'), { account_id: outlookId });
    expect(res.statusCode).toBe(200);
    const job = api.jobs.get(res.json().data.job_id);
    expect(job?.account_id).toBe(outlookId);
    expect(job?.parent_id).toBeNull();
    const unknown = await post('/v1/email/sync', api.key('write:email'), { account_id: 'acc_nobody' });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json()).toMatchObject({ code: 'not_connected', field: 'account_id' });
    expect(api.jobs.latest('email_sync', gmailId)).toBeUndefined();
  });

  it('answers 401 invalid_key for a missing, unknown or revoked key, with the standard headers', async () => {
    const none = await api.app.inject({ method: 'POST', url: '/v1/email/sync', headers: { host } });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ code: 'invalid_key', message: expect.any(String), request_id: none.headers['x-request-id'] });
    expectStandardHeaders(none.headers);
    expect((await post('/v1/email/sync', 'wbk_nope', {})).json().code).toBe('invalid_key');
    const key = api.key('write:email');
    revokeApiKey(db, listApiKeys(db).at(-1)?.id ?? '');
    expect((await post('/v1/email/sync', key, {})).statusCode).toBe(401);
  });

  it('answers 403 insufficient_permissions without write:email, or with no mailbox of the provider', async () => {
    const res = await post('/v1/email/sync', api.key('read:email', 'write:calendar'), {});
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('insufficient_permissions');
    const ms = await post('/v1/email/sync', api.key('write:email'), { provider: 'microsoft' });
    expect(ms.statusCode).toBe(403);
    expect(ms.json().message).toMatch(/no microsoft mailbox/);
  });

  it('answers 400 validation_error naming the field for a bad mode or provider', async () => {
    const res = await post('/v1/email/sync', api.key('write:email'), { mode: 'everything' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_error', field: 'mode' });
    const bad = await post('/v1/email/sync', api.key('write:email'), { provider: 'yahoo' });
    expect(bad.json()).toMatchObject({ code: 'validation_error', field: 'provider' });
  });

  it('answers 409 sync_in_progress while a full sync is open', async () => {
    const key = api.key('write:email');
    let release = () => {};
    handler = () => new Promise((resolve) => (release = () => resolve({})));
    expect((await post('/v1/email/sync', key, { mode: 'full' })).statusCode).toBe(200);
    const second = await post('/v1/email/sync', key, { mode: 'incremental' });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('sync_in_progress');
    release();
  });

  it('caps on-demand syncs per hour (429 rate_limited with Remaining 0), email and calendar each their own', async () => {
    const key = api.key('write:email', 'write:calendar');
    for (const url of ['/v1/email/sync', '/v1/calendar/sync']) {
      for (let i = 0; i < 4; i++) {
        const res = await post(url, key, {});
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-remaining']).toBe(String(3 - i));
      }
      const over = await post(url, key, {});
      expect(over.statusCode).toBe(429);
      expect(over.json().code).toBe('rate_limited');
      expect(over.headers['x-ratelimit-remaining']).toBe('0');
    }
  });

  it('replays an Idempotency-Key with the same payload and refuses a different payload', async () => {
    const key = api.key('write:email');
    const idem = { 'idempotency-key': '7e0b7c0e-5b2f-4b17-bf2a-4d7e7e33d9f1' };
    const first = await post('/v1/email/sync', key, { mode: 'incremental' }, idem);
    const again = await post('/v1/email/sync', key, { mode: 'incremental' }, idem);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.headers['x-ratelimit-remaining']).toBe('3');
    const conflict = await post('/v1/email/sync', key, { mode: 'full' }, idem);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('idempotency_conflict');
  });

  it('POST /v1/calendar/sync queues cal_sync_ jobs; full mode carries the default 90/180-day window', async () => {
    const key = api.key('write:calendar');
    const res = await post('/v1/calendar/sync', key, { mode: 'full', provider: 'google' });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.job_id).toMatch(/^cal_sync_/);
    expect(data.mode).toBe('full');
    const params = JSON.parse(api.jobs.row(data.job_id)?.params_json ?? '{}');
    const day = 24 * 3600_000;
    expect(Date.parse(params.from)).toBeGreaterThan(Date.now() - 90 * day - 60_000);
    expect(Date.parse(params.from)).toBeLessThan(Date.now() - 90 * day + 60_000);
    expect(Date.parse(params.to)).toBeGreaterThan(Date.now() + 180 * day - 60_000);
    const bad = await post('/v1/calendar/sync', key, { mode: 'full', from_date: 'yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_error', field: 'from_date' });
    const ms = await post('/v1/calendar/sync', key, { provider: 'microsoft' });
    expect(ms.statusCode).toBe(403);
  });

  it('POST /gmail-connections/{id}/sync answers 202 {jobId: uuid} and accepts x-dolfin-api-key', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: `/gmail-connections/${gmailId}/sync`,
      headers: { host, 'x-dolfin-api-key': api.key('write:email') },
    });
    expect(res.statusCode).toBe(202);
    const { jobId } = res.json();
    expect(jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(api.jobs.row(jobId)?.params_json ?? '{}')).toEqual({ trigger: 'gmail-connections' });
    expectStandardHeaders(res.headers);
  });

  it('POST /gmail-connections/{id}/sync answers 404 problem+json Gmail.ConnectionNotFound', async () => {
    const res = await post('/gmail-connections/3f2504e0-4f89-41d3-9a0c-0305e82c3301/sync', api.key('write:email'));
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ title: 'Gmail.ConnectionNotFound', status: 404, code: 'not_found' });
  });

  it('POST /api/services/{id}/sync runs the sync and answers the counts (admin session cookie)', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: `/api/services/${gmailId}/sync`,
      headers: { host },
      cookies: { 'authjs.session-token': api.adminSession },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, mode: 'incremental', threadsProcessed: 12, messagesProcessed: 18 });
    const full = await api.app.inject({
      method: 'POST',
      url: `/api/services/${gmailId}/sync?mode=full`,
      headers: { host },
      cookies: { 'authjs.session-token': api.adminSession },
    });
    expect(full.json().mode).toBe('full');
  });

  it('POST /api/services/{id}/sync refuses non-admins, concurrent syncs, and reports failures as JSON', async () => {
    const cookie = { 'authjs.session-token': api.adminSession };
    const asKey = await post(`/api/services/${gmailId}/sync`, api.key('write:email'));
    expect(asKey.statusCode).toBe(403);
    let release = () => {};
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    handler = () =>
      new Promise((resolve) => {
        started();
        release = () => resolve({ messagesProcessed: 1, threadsProcessed: 1 });
      });
    const first = api.app.inject({ method: 'POST', url: `/api/services/${gmailId}/sync`, headers: { host }, cookies: cookie });
    await running; // the first sync is under way (a fixed wait could end before it started on a loaded machine)
    const second = await api.app.inject({
      method: 'POST',
      url: `/api/services/${gmailId}/sync`,
      headers: { host },
      cookies: cookie,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('sync_in_progress');
    release();
    expect((await first).statusCode).toBe(200);
    handler = async () => {
      throw new ProviderError('needs_reauth', 'token refresh failed: invalid_grant');
    };
    const failed = await api.app.inject({
      method: 'POST',
      url: `/api/services/${gmailId}/sync`,
      headers: { host },
      cookies: cookie,
    });
    expect(failed.statusCode).toBe(409);
    expect(failed.json()).toMatchObject({ code: 'needs_reauth', message: expect.stringMatching(/reconnect/) });
    expect(getAccount(db, gmailId)).toBeDefined();
    const missing = await api.app.inject({ method: 'POST', url: '/api/services/nope/sync', headers: { host }, cookies: cookie });
    expect(missing.statusCode).toBe(404);
  });
});
