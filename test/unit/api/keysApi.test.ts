import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('/v1/keys', () => {
  let db: IndexDb;
  let api: LocalApiHarness;
  const dir = makeTempDir();
  beforeAll(async () => {
    db = openIndex(':memory:');
    api = await buildLocalApi(db, dir.path);
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
  });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, body?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: { host, authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  it('creates a key shown once, lists it without the secret, and revokes it (admin only)', async () => {
    const created = await call('POST', '/v1/keys', api.adminSession, { name: 'report', scopes: ['read:email', 'write:email'] });
    expect(created.statusCode).toBe(201);
    const { data } = created.json();
    expect(data.key).toMatch(/^wbk_[A-Za-z0-9_-]{43}$/);
    expect(data.prefix).toBe(data.key.slice(0, 12));
    const list = await call('GET', '/v1/keys', api.adminSession);
    expect(JSON.stringify(list.json())).not.toContain(data.key);
    expect(list.json().data.map((k: { id: string }) => k.id)).toContain(data.id);
    expect((await call('POST', '/v1/email/sync', data.key, {})).statusCode).toBe(403); // no mailbox, but authenticated
    expect((await call('GET', '/v1/keys', data.key)).statusCode).toBe(403);
    const revoked = await call('DELETE', `/v1/keys/${data.id}`, api.adminSession);
    expect(revoked.json().revoked_at).toMatch(/Z$/);
    expect((await call('POST', '/v1/email/sync', data.key, {})).json().code).toBe('invalid_key');
    expect((await call('DELETE', '/v1/keys/key_nope', api.adminSession)).statusCode).toBe(404);
  });

  it('rejects unknown scopes and empty names naming the field', async () => {
    const res = await call('POST', '/v1/keys', api.adminSession, { name: 'x', scopes: ['root'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toMatch(/^scopes/);
    expect((await call('POST', '/v1/keys', api.adminSession, { name: '', scopes: ['admin'] })).json().field).toBe('name');
  });

  it('a non-admin UI session can read but not write', async () => {
    const { createSession } = await import('../../../main/api/auth/sessions.ts');
    const ui = createSession(db, { admin: false }).token;
    const res = await call('POST', '/v1/email/sync', ui, {});
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/write:email/);
  });
});
