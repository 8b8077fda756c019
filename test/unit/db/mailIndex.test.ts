import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { deleteMessages, writeMessages } from '../../../main/db/queries/messageWrites.ts';
import {
  getThreadRow,
  labelIdsOfThreads,
  listThreadsByLabels,
  listThreadsOfAccount,
  messagesOfThread,
} from '../../../main/db/queries/threadReads.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

const day = (n: number) => Date.UTC(2026, 0, n);

describe('the mail index write path', () => {
  let db: IndexDb;
  beforeEach(() => {
    db = openIndex(':memory:');
  });
  afterEach(() => db.close());

  it('keeps thread aggregates in step with its messages', () => {
    const { account, inbox, sent } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'm1',
        threadRemoteId: 't1',
        sentAt: day(1),
        labelIds: [inbox],
        snippet: 'first',
        subject: 'Plan',
      }),
      messageInput({
        remoteId: 'm2',
        threadRemoteId: 't1',
        sentAt: day(3),
        labelIds: [sent],
        isUnread: false,
        snippet: 'latest',
        subject: 'Re: Plan',
        from: { name: 'Me', email: 'me@example.test' },
      }),
    ]);
    const [thread] = listThreadsOfAccount(db, account.id, 10);
    expect(thread).toMatchObject({
      subject: 'Plan',
      snippet: 'latest',
      message_count: 2,
      unread_count: 1,
      last_message_at: day(3),
    });
    expect(JSON.parse(thread!.participants)).toEqual([
      { name: 'Ann Sender', email: 'ann@example.test' },
      { name: 'Me', email: 'me@example.test' },
    ]);
    // A thread is in every label any of its messages carries.
    expect(labelIdsOfThreads(db, [thread!.id]).get(thread!.id)?.sort()).toEqual([inbox, sent].sort());
  });

  it('updates a message in place on a second write (no duplicates) and moves it between threads', () => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [messageInput({ remoteId: 'm1', threadRemoteId: 't1', labelIds: [inbox] })]);
    writeMessages(db, account.id, [messageInput({ remoteId: 'm1', threadRemoteId: 't2', labelIds: [inbox], isUnread: false })]);
    const threads = listThreadsOfAccount(db, account.id, 10);
    expect(threads.map((t) => t.remote_id)).toEqual(['t2']);
    expect(threads[0]).toMatchObject({ message_count: 1, unread_count: 0 });
  });

  it('drops a thread from a label when its last message there loses the label', () => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [messageInput({ remoteId: 'm1', labelIds: [inbox] })]);
    expect(listThreadsByLabels(db, [inbox], 10)).toHaveLength(1);
    writeMessages(db, account.id, [messageInput({ remoteId: 'm1', labelIds: [] })]);
    expect(listThreadsByLabels(db, [inbox], 10)).toHaveLength(0);
  });

  it('deletes messages idempotently and removes threads left empty', () => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'm1', threadRemoteId: 't1', labelIds: [inbox] }),
      messageInput({ remoteId: 'm2', threadRemoteId: 't1', labelIds: [inbox], sentAt: day(2) }),
    ]);
    expect(deleteMessages(db, account.id, ['m2', 'unknown'])).toBe(1);
    const [thread] = listThreadsOfAccount(db, account.id, 10);
    expect(thread?.message_count).toBe(1);
    expect(deleteMessages(db, account.id, ['m1', 'm1'])).toBe(1);
    expect(listThreadsOfAccount(db, account.id, 10)).toHaveLength(0);
    expect(getThreadRow(db, thread!.id)).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM thread_labels').pluck().get()).toBe(0);
  });

  it('pages a label newest first without gaps or repeats, ties broken by thread id', () => {
    const { account, inbox } = seedAccount(db);
    const inputs = Array.from({ length: 25 }, (_, i) =>
      messageInput({ remoteId: `m${i}`, sentAt: day(1 + Math.floor(i / 3)), labelIds: [inbox] }),
    );
    writeMessages(db, account.id, inputs);
    const seen: string[] = [];
    let after: { lastMessageAt: number; threadId: number } | undefined;
    for (;;) {
      const page = listThreadsByLabels(db, [inbox], 7, after);
      seen.push(...page.map((t) => t.remote_id));
      const last = page.at(-1);
      if (page.length < 7 || !last) break;
      after = { lastMessageAt: last.last_message_at, threadId: last.id };
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const dates = seen.map((id) => inputs.find((m) => m.remoteId === id)!.sentAt);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it('merges the inboxes of several accounts into one newest-first list', () => {
    const a = seedAccount(db, 'a@example.test');
    const b = seedAccount(db, 'b@example.test');
    writeMessages(db, a.account.id, [
      messageInput({ remoteId: 'a1', sentAt: day(1), labelIds: [a.inbox] }),
      messageInput({ remoteId: 'a2', sentAt: day(4), labelIds: [a.inbox] }),
    ]);
    writeMessages(db, b.account.id, [
      messageInput({ remoteId: 'b1', sentAt: day(2), labelIds: [b.inbox] }),
      messageInput({ remoteId: 'b2', sentAt: day(3), labelIds: [b.inbox] }),
    ]);
    expect(listThreadsByLabels(db, [a.inbox, b.inbox], 3).map((t) => t.remote_id)).toEqual(['a2', 'b2', 'b1']);
  });

  it("returns a thread's messages oldest first", () => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'late', threadRemoteId: 't', sentAt: day(5), labelIds: [inbox] }),
      messageInput({ remoteId: 'early', threadRemoteId: 't', sentAt: day(1), labelIds: [inbox] }),
    ]);
    const [thread] = listThreadsOfAccount(db, account.id, 1);
    expect(messagesOfThread(db, thread!.id).map((m) => m.remote_id)).toEqual(['early', 'late']);
  });

  it('finds messages by full-text search over subject, participants and body', () => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'm1', subject: 'Quarterly numbers', bodyText: 'revenue is up', labelIds: [inbox] }),
      messageInput({
        remoteId: 'm2',
        subject: 'Lunch',
        bodyText: 'tacos?',
        from: { name: 'Zoë Müller', email: 'zoe@example.test' },
        labelIds: [inbox],
      }),
    ]);
    const search = db.prepare(
      'SELECT m.remote_id FROM messages_fts f JOIN messages m ON m.search_key = f.rowid WHERE messages_fts MATCH ? ORDER BY rank',
    );
    expect(search.pluck().all('revenue')).toEqual(['m1']);
    expect(search.pluck().all('quarter*')).toEqual(['m1']);
    expect(search.pluck().all('zoe')).toEqual(['m2']); // diacritics folded
    writeMessages(db, account.id, [messageInput({ remoteId: 'm1', subject: 'Renamed', bodyText: 'nothing', labelIds: [inbox] })]);
    expect(search.pluck().all('revenue')).toEqual([]);
    deleteMessages(db, account.id, ['m2']);
    expect(search.pluck().all('tacos')).toEqual([]);
  });
});
