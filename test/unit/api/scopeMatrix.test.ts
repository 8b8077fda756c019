import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../../main/api/auth/apiKeys.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

/** Every route a key can call, with the scope it needs: a key with any other scope gets 403, with it anything but 401/403. */
const ROUTES: Array<{ method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; scope: Scope; body?: unknown }> = [
  { method: 'GET', url: '/v1/email/threads', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/threads/thr_1', scope: 'read:email' },
  { method: 'POST', url: '/v1/email/threads/thr_1/actions', scope: 'write:email', body: { action: 'archive' } },
  { method: 'POST', url: '/v1/email/threads/actions', scope: 'write:email', body: { thread_ids: ['thr_1'], action: 'archive' } },
  { method: 'GET', url: '/v1/email/labels', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/search?q=hello', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/attachments/att_1', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/messages/msg_1', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/messages/msg_1/raw', scope: 'read:email' },
  { method: 'GET', url: '/v1/accounts', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/trusted-senders', scope: 'read:email' },
  { method: 'GET', url: '/v1/email/contacts?q=da', scope: 'read:email' },
  { method: 'PUT', url: '/v1/email/trusted-senders/news%40shop.example', scope: 'write:email' },
  { method: 'GET', url: '/v1/calendar/calendars', scope: 'read:calendar' },
  { method: 'GET', url: '/v1/calendar/events', scope: 'read:calendar' },
  { method: 'GET', url: '/v1/calendar/events/evt_1', scope: 'read:calendar' },
  { method: 'POST', url: '/v1/calendar/events/evt_1/respond', scope: 'write:calendar', body: { response: 'accepted' } },
  { method: 'GET', url: '/v1/keys', scope: 'admin' },
  { method: 'POST', url: '/v1/accounts/connect', scope: 'admin', body: { provider: 'google' } },
  { method: 'PATCH', url: '/v1/accounts/acc_1', scope: 'admin', body: { email_sync_minutes: 10 } },
  { method: 'DELETE', url: '/v1/accounts/acc_nope', scope: 'admin' },
  { method: 'GET', url: '/v1/email/compose-drafts', scope: 'read:email' },
  { method: 'POST', url: '/v1/email/import', scope: 'write:email', body: {} },
  { method: 'GET', url: '/v1/email/outbox', scope: 'read:email' },
  { method: 'POST', url: '/v1/email/outbox/out_01ABC/retry', scope: 'write:email' },
  { method: 'DELETE', url: '/v1/email/outbox/out_01ABC', scope: 'write:email' },
  {
    method: 'PUT',
    url: '/v1/email/compose-drafts/0b7f3c3e-9d47-4c3a-8c1e-1f2a3b4c5d6e',
    scope: 'write:email',
    body: { to: [], cc: [], bcc: [], subject: 's', body_text: '' },
  },
  { method: 'DELETE', url: '/v1/email/compose-drafts/0b7f3c3e-9d47-4c3a-8c1e-1f2a3b4c5d6e', scope: 'write:email' },
];
const ALL: Scope[] = ['read:email', 'write:email', 'read:calendar', 'write:calendar', 'admin'];

describe('every route checks its scope', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  beforeAll(async () => {
    db = openIndex(':memory:');
    seedAccount(db);
    api = await buildLocalApi(db, dir.path);
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
  });

  for (const route of ROUTES) {
    it(`${route.method} ${route.url} needs ${route.scope}`, async () => {
      const call = (key: string) =>
        api.app.inject({
          method: route.method,
          url: route.url,
          headers: { host, authorization: `Bearer ${key}`, ...(route.body ? { 'content-type': 'application/json' } : {}) },
          ...(route.body ? { payload: JSON.stringify(route.body) } : {}),
        });
      for (const other of ALL.filter((s) => s !== route.scope && s !== 'admin')) {
        const refused = await call(api.key(other));
        expect(refused.statusCode, `with only ${other}`).toBe(403);
        expect(refused.json()).toMatchObject({ code: 'insufficient_permissions' });
      }
      expect([401, 403]).not.toContain((await call(api.key(route.scope))).statusCode);
      expect((await call('wbk_not-a-real-key')).statusCode).toBe(401);
    });
  }
});
