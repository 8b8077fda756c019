import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('/v1/accounts', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let accountId: string;
  beforeEach(async () => {
    db = openIndex(':memory:');
    accountId = seedAccount(db).account.id;
    api = await buildLocalApi(db, dir.path);
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  const call = (method: 'GET' | 'PATCH' | 'DELETE', url: string, body?: unknown, key = api.key('admin')) =>
    api.app.inject({
      method,
      url,
      headers: { host, authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const stored = () =>
    db.prepare('SELECT email_sync_minutes, calendar_sync_minutes FROM accounts WHERE id = ?').get(accountId) as {
      email_sync_minutes: number | null;
      calendar_sync_minutes: number | null;
    };

  it('lists accounts with their sync intervals, null while they keep the default', async () => {
    const list = (await call('GET', '/v1/accounts', undefined, api.key('read:email'))).json();
    expect(list.data).toEqual([
      expect.objectContaining({ id: accountId, email: 'me@example.test', email_sync_minutes: null, calendar_sync_minutes: null }),
    ]);
  });

  it('changes only the intervals named, and back to the default with null', async () => {
    const mail = await call('PATCH', `/v1/accounts/${accountId}`, { email_sync_minutes: 1 });
    expect(mail.statusCode).toBe(200);
    expect(mail.json().data).toMatchObject({ id: accountId, email_sync_minutes: 1, calendar_sync_minutes: null });
    await call('PATCH', `/v1/accounts/${accountId}`, { calendar_sync_minutes: 0 });
    expect(stored()).toEqual({ email_sync_minutes: 1, calendar_sync_minutes: 0 });
    await call('PATCH', `/v1/accounts/${accountId}`, { email_sync_minutes: null });
    expect(stored()).toEqual({ email_sync_minutes: null, calendar_sync_minutes: 0 });
  });

  it('keeps a signature per account, alongside its intervals', async () => {
    const changed = await call('PATCH', `/v1/accounts/${accountId}`, { signature: 'Ann\nExample Ltd' });
    expect(changed.json().data).toMatchObject({ signature: 'Ann\nExample Ltd', email_sync_minutes: null });
    await call('PATCH', `/v1/accounts/${accountId}`, { email_sync_minutes: 10 });
    expect((await call('GET', '/v1/accounts', undefined, api.key('read:email'))).json().data[0]).toMatchObject({
      signature: 'Ann\nExample Ltd',
      email_sync_minutes: 10,
    });
    const tooLong = await call('PATCH', `/v1/accounts/${accountId}`, { signature: 'x'.repeat(10_001) });
    expect(tooLong.statusCode).toBe(400);
  });

  it('refuses bad intervals with the field named, and changes nothing', async () => {
    for (const body of [
      { email_sync_minutes: -1 },
      { email_sync_minutes: 1441 },
      { email_sync_minutes: 2.5 },
      { email_sync_minutes: '5' },
      { calendar_sync_minutes: true },
      { status: 'disconnected' },
      {},
      [],
    ]) {
      const refused = await call('PATCH', `/v1/accounts/${accountId}`, body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
    }
    expect(stored()).toEqual({ email_sync_minutes: null, calendar_sync_minutes: null });
  });

  it('answers 404 for an unknown account and 403 without the admin scope', async () => {
    const unknown = await call('PATCH', '/v1/accounts/no-such-account', { email_sync_minutes: 5 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not_found' });
    const notAdmin = await call(
      'PATCH',
      `/v1/accounts/${accountId}`,
      { email_sync_minutes: 5 },
      api.key('read:email', 'write:email'),
    );
    expect(notAdmin.statusCode).toBe(403);
    expect(stored().email_sync_minutes).toBeNull();
  });

  it('removes an account and what was synced from it; 404 after, 403 without the admin scope', async () => {
    writeMessages(db, accountId, [messageInput({ remoteId: 'm1' }), messageInput({ remoteId: 'm2' })]);
    const notAdmin = await call('DELETE', `/v1/accounts/${accountId}`, undefined, api.key('read:email', 'write:email'));
    expect(notAdmin.statusCode).toBe(403);
    const removed = await call('DELETE', `/v1/accounts/${accountId}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({
      data: { id: accountId, messages_removed: 2, events_removed: 0, blobs_freed: 0, revoked: false },
    });
    expect((await call('GET', '/v1/accounts', undefined, api.key('read:email'))).json().data).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0);
    const again = await call('DELETE', `/v1/accounts/${accountId}`);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'not_found', request_id: expect.any(String) });
  });
});
