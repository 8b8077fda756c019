import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewMailWatch } from '../../../main/core/newMailWatch.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

describe('NewMailWatch', () => {
  let db: IndexDb;
  let account: ReturnType<typeof seedAccount>;
  const markSynced = () => db.prepare('UPDATE accounts SET last_synced_at = ? WHERE id = ?').run(Date.now(), account.account.id);

  beforeEach(() => {
    db = openIndex(':memory:');
    account = seedAccount(db);
  });
  afterEach(() => db.close());

  it("does not report a new account's first sync, then reports unread inbox mail that arrives later", () => {
    const watch = new NewMailWatch(db);
    writeMessages(db, account.account.id, [
      messageInput({ remoteId: 'old-1', subject: 'Backlog', isUnread: true, labelIds: [account.inbox] }),
    ]);
    markSynced();
    expect(watch.take()).toEqual([]);

    writeMessages(db, account.account.id, [
      messageInput({
        remoteId: 'new-1',
        subject: 'Lunch?',
        isUnread: true,
        labelIds: [account.inbox],
        from: { name: 'Ann', email: 'ann@example.test' },
        sentAt: 2_000,
      }),
      messageInput({ remoteId: 'new-read', subject: 'Already read', isUnread: false, labelIds: [account.inbox] }),
      messageInput({ remoteId: 'new-sent', subject: 'Mine', isUnread: true, labelIds: [account.sent] }),
      messageInput({
        remoteId: 'new-2',
        subject: 'Invoice',
        isUnread: true,
        labelIds: [account.inbox],
        from: { name: '', email: 'billing@shop.test' },
        sentAt: 3_000,
      }),
    ]);
    const news = watch.take();
    expect(news.map((m) => [m.subject, m.from])).toEqual([
      ['Invoice', 'billing@shop.test'],
      ['Lunch?', 'Ann'],
    ]);
    expect(news[0]?.thread_id).toMatch(/^thr_\d+$/);
    expect(news[0]?.account_id).toBe(account.account.id);
    expect(watch.take()).toEqual([]);
  });
});
