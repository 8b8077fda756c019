import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../main/api/server.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { pendingChanges } from '../../../main/db/queries/pendingChanges.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi } from '../../support/testApi.ts';

/** POST /v1/email/views/actions: one action on every conversation of a view, resolved by the core from its definition. */
describe('POST /v1/email/views/actions', () => {
  let db: IndexDb;
  let app: ApiServer;
  let token: string;
  let accountId: string;
  let otherAccountId: string;
  let workLabel: number;
  const dir = makeTempDir();
  const host = { host: '127.0.0.1:7766' };
  // More inbox threads than one batch (500) and than any page of the list.
  const INBOX_THREADS = 620;

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox, sent } = seedAccount(db);
    accountId = account.id;
    workLabel = upsertLabel(db, account.id, { remoteId: 'Label_work', name: 'Work', kind: 'user', role: null });
    const start = Date.now() - 1000 * 3_600_000;
    writeMessages(
      db,
      account.id,
      Array.from({ length: INBOX_THREADS + 20 }, (_, i) =>
        messageInput({
          remoteId: `m${i}`,
          threadRemoteId: `t${i}`,
          subject: i % 2 === 0 ? `invoice ${i}` : `hello ${i}`,
          sentAt: start + i * 3_600_000,
          labelIds: i < INBOX_THREADS ? [inbox] : [sent],
        }),
      ),
    );
    const other = seedAccount(db, 'other@example.test');
    otherAccountId = other.account.id;
    writeMessages(
      db,
      other.account.id,
      Array.from({ length: 5 }, (_, i) =>
        messageInput({ remoteId: `o${i}`, threadRemoteId: `ot${i}`, sentAt: start + i * 60_000, labelIds: [other.inbox] }),
      ),
    );
    ({ app, token } = await buildTestApi(db, dir.path));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const act = (body: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/email/views/actions',
      headers: { ...host, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  const count = (sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params) as number;
  const unreadInInbox = (account: string) =>
    count(
      `SELECT count(*) FROM threads t JOIN thread_labels tl ON tl.thread_id = t.id JOIN labels l ON l.id = tl.label_id
       WHERE l.role = 'inbox' AND t.account_id = ? AND t.unread_count > 0`,
      account,
    );

  it("marks every thread of one account's Inbox read, beyond any page, and queues each change for the provider", async () => {
    expect(unreadInInbox(accountId)).toBe(INBOX_THREADS);
    const done = await act({ view: { label: 'inbox', account_id: accountId }, action: 'mark_read' });
    expect(done.statusCode).toBe(200);
    const { data } = done.json() as { data: { matched: number; updated_count: number; updated: string[]; failed_count: number } };
    expect(data).toMatchObject({ matched: INBOX_THREADS, updated_count: INBOX_THREADS, failed_count: 0 });
    expect(new Set(data.updated).size).toBe(INBOX_THREADS);
    expect(unreadInInbox(accountId)).toBe(0);
    // The other account's Inbox is another view.
    expect(unreadInInbox(otherAccountId)).toBe(5);
    expect(pendingChanges(db, accountId).filter((c) => c.change.type === 'read')).toHaveLength(INBOX_THREADS);
  });

  it("labels a search's conversations (a search view), then archives a label's by its id", async () => {
    const done = await act({
      view: { query: 'subject:invoice', account_id: accountId },
      action: 'add_label',
      label_id: `lbl_${workLabel}`,
    });
    expect(done.statusCode).toBe(200);
    const invoices = (INBOX_THREADS + 20) / 2;
    expect(done.json().data).toMatchObject({ matched: invoices, updated_count: invoices });
    expect(count('SELECT count(*) FROM thread_labels WHERE label_id = ?', workLabel)).toBe(invoices);

    const archived = await act({ view: { label: `lbl_${workLabel}` }, action: 'archive' });
    expect(archived.json().data.updated_count).toBe(invoices);
    const inboxLeft = count(
      `SELECT count(*) FROM thread_labels tl JOIN labels l ON l.id = tl.label_id WHERE l.role = 'inbox' AND l.account_id = ?`,
      accountId,
    );
    expect(inboxLeft).toBe(INBOX_THREADS / 2);
  });

  it('answers a retry with the same Idempotency-Key without acting again', async () => {
    const body = { view: { label: 'inbox' }, action: 'star' };
    const first = await act(body, { 'idempotency-key': 'star-all-1' });
    expect(first.statusCode).toBe(200);
    const again = await act(body, { 'idempotency-key': 'star-all-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await act({ ...body, action: 'unstar' }, { 'idempotency-key': 'star-all-1' })).statusCode).toBe(409);
  });

  it('refuses a view that is not one, before changing anything', async () => {
    for (const [body, status, code] of [
      [{ view: {}, action: 'archive' }, 400, 'validation_error'],
      [{ view: { label: 'inbox', query: 'x' }, action: 'archive' }, 400, 'validation_error'],
      [{ view: { label: 'all' }, action: 'archive' }, 400, 'validation_error'],
      [{ view: { label: 'lbl_99999' }, action: 'archive' }, 404, 'not_found'],
      [{ view: { label: 'inbox', account_id: 'nobody' }, action: 'archive' }, 404, 'not_found'],
      [{ view: { label: 'inbox' }, action: 'add_label' }, 400, 'validation_error'],
      [{ view: { query: 'has:wings' }, action: 'archive' }, 400, 'validation_error'],
      [{ thread_ids: ['thr_1'], action: 'archive' }, 400, 'validation_error'],
    ] as const) {
      const refused = await act(body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(status);
      expect(refused.json()).toMatchObject({ code, request_id: expect.any(String) });
    }
    expect(unreadInInbox(otherAccountId)).toBe(5);
  });
});
