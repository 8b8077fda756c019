import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('/v1/email/compose-drafts', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  beforeEach(async () => {
    db = openIndex(':memory:');
    api = await buildLocalApi(db, dir.path);
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown, key = api.key('read:email', 'write:email')) =>
    api.app.inject({
      method,
      url,
      headers: { host, authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const draft = (subject: string) => ({ to: ['ann@example.test'], cc: [], bcc: [], subject, body_text: `About ${subject}` });

  it('saves, replaces, lists newest first and forgets drafts', async () => {
    const first = randomUUID();
    const second = randomUUID();
    expect((await call('PUT', `/v1/email/compose-drafts/${first}`, draft('One'))).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await call('PUT', `/v1/email/compose-drafts/${second}`, draft('Two'))).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const replaced = await call('PUT', `/v1/email/compose-drafts/${first}`, {
      ...draft('One, edited'),
      body_html: '<p>About <b>One</b></p>',
      thread_id: 'thr_7',
    });
    expect(replaced.json()).toMatchObject({ data: { id: first, subject: 'One, edited', thread_id: 'thr_7' } });

    const list = (await call('GET', '/v1/email/compose-drafts')).json() as { data: Array<{ id: string; subject: string }> };
    expect(list.data.map((d) => [d.id, d.subject])).toEqual([
      [first, 'One, edited'],
      [second, 'Two'],
    ]);

    expect((await call('DELETE', `/v1/email/compose-drafts/${first}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/v1/email/compose-drafts/${first}`)).json()).toMatchObject({ code: 'not_found' });
    const after = (await call('GET', '/v1/email/compose-drafts')).json() as { data: Array<{ id: string }> };
    expect(after.data.map((d) => d.id)).toEqual([second]);
  });

  it('refuses malformed ids and bodies, and writes without write:email', async () => {
    const bad = await call('PUT', '/v1/email/compose-drafts/not-a-uuid', draft('x'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_error' });
    const extra = await call('PUT', `/v1/email/compose-drafts/${randomUUID()}`, { ...draft('x'), sneaky: true });
    expect(extra.statusCode).toBe(400);
    const readOnly = await call('PUT', `/v1/email/compose-drafts/${randomUUID()}`, draft('x'), api.key('read:email'));
    expect(readOnly.statusCode).toBe(403);
    expect((await call('GET', '/v1/email/compose-drafts', undefined, api.key('read:calendar'))).statusCode).toBe(403);
  });
});
