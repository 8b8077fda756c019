import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

/**
 * Dolfin's POST /gmail-connections/{id}/sync (reference
 * gmail-connections-id-sync.txt): a connection's UUID matches whatever its
 * case, and every error the route answers is application/problem+json in the
 * reference's ProblemDetails shape, keeping the API's code, message and
 * request_id.
 */
describe('POST /gmail-connections/{id}/sync as Dolfin documents it', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let gmailId: string;
  let outlookId: string;
  // Syncs run until let go, so a sync is under way when a test needs one (then every sync runs through).
  let holding = true;
  const waiting: Array<() => void> = [];
  const letGo = () => {
    holding = false;
    for (const resume of waiting.splice(0)) resume();
  };

  beforeAll(async () => {
    db = openIndex(':memory:');
    gmailId = ensureAccount(db, 'gmail', 'me@example.test').id;
    outlookId = ensureAccount(db, 'microsoft', 'me@contoso.test').id;
    api = await buildLocalApi(db, dir.path, {
      handlers: {
        email_sync: () => new Promise((resolve) => (holding ? waiting.push(() => resolve({})) : resolve({}))),
      },
      rateLimits: { connectionSyncPerHour: 2 },
    });
  });
  afterAll(async () => {
    letGo();
    await api.runner.stop();
    await api.app.close();
    db.close();
    dir.remove();
  });

  const trigger = (id: string, headers: Record<string, string> = {}) =>
    api.app.inject({ method: 'POST', url: `/gmail-connections/${id}/sync`, headers: { host, ...headers } });

  function expectProblem(
    res: Awaited<ReturnType<typeof trigger>>,
    status: number,
    code: string,
    title: string,
    extra: Record<string, unknown> = {},
  ) {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    expect(res.json()).toEqual({
      type: null,
      title,
      status,
      detail: expect.any(String),
      instance: expect.stringMatching(/^\/gmail-connections\//),
      code,
      message: res.json().detail,
      request_id: res.headers['x-request-id'],
      ...extra,
    });
  }

  it('matches the upper-case form of the connection’s UUID', async () => {
    const key = api.key('write:email');
    const res = await trigger(gmailId.toUpperCase(), { 'x-dolfin-api-key': key });
    expect(res.statusCode).toBe(202);
    expect(api.jobs.get(res.json().jobId)?.account_id).toBe(gmailId);
  });

  it('answers 401, 403, 400 and 404 as problem documents', async () => {
    expectProblem(await trigger(gmailId), 401, 'invalid_key', 'Unauthorized');
    expectProblem(await trigger(gmailId, { 'x-dolfin-api-key': 'wbk_nope' }), 401, 'invalid_key', 'Unauthorized');
    const reader = api.key('read:email');
    expectProblem(await trigger(gmailId, { 'x-dolfin-api-key': reader }), 403, 'insufficient_permissions', 'Forbidden');
    const key = api.key('write:email');
    expectProblem(await trigger('not-a-uuid', { 'x-dolfin-api-key': key }), 400, 'validation_error', 'Bad Request', {
      field: 'id',
    });
    const missing = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
    expectProblem(await trigger(missing, { 'x-dolfin-api-key': key }), 404, 'not_found', 'Gmail.ConnectionNotFound');
    // An Outlook account is not a Gmail connection.
    expectProblem(await trigger(outlookId, { 'x-dolfin-api-key': key }), 404, 'not_found', 'Gmail.ConnectionNotFound');
  });

  it('answers 409 (a full sync under way) and 429 (its cap) as problem documents', async () => {
    const key = api.key('write:email');
    api.jobs.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [gmailId] });
    expectProblem(await trigger(gmailId, { 'x-dolfin-api-key': key }), 409, 'sync_in_progress', 'Conflict');
    letGo();
    await api.runner.idle();
    // The first test took one of the two slots; a second, then the cap.
    expect((await trigger(gmailId, { 'x-dolfin-api-key': key })).statusCode).toBe(202);
    const over = await trigger(gmailId, { 'x-dolfin-api-key': key });
    expectProblem(over, 429, 'rate_limited', 'Too Many Requests');
    expect(over.headers['x-ratelimit-remaining']).toBe('0');
  });
});
