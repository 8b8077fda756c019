import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { getThreadRow, listThreadsByLabels, listThreadsOfAccount } from '../../../main/db/queries/threadReads.ts';
import { applyThreadAction, ThreadActionError } from '../../../main/mail/threadActions.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

describe('thread actions', () => {
  let db: IndexDb;
  beforeEach(() => {
    db = openIndex(':memory:');
  });
  afterEach(() => db.close());

  const pending = () =>
    db
      .prepare('SELECT message_remote_id AS id, add_labels AS "add", remove_labels AS remove FROM pending_changes ORDER BY id')
      .all();

  it('archives a Gmail thread by removing INBOX from every message, and queues exactly that', () => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'a', threadRemoteId: 't', labelIds: [inbox], sentAt: 1 }),
      messageInput({ remoteId: 'b', threadRemoteId: 't', labelIds: [inbox], sentAt: 2 }),
    ]);
    const thread = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, thread.id, 'archive');
    expect(listThreadsByLabels(db, [inbox], 10)).toHaveLength(0);
    expect(getThreadRow(db, thread.id)).toBeDefined(); // still in All Mail
    expect(pending()).toEqual([
      { id: 'a', add: '[]', remove: '["INBOX"]' },
      { id: 'b', add: '[]', remove: '["INBOX"]' },
    ]);
  });

  it('marks read, marks the latest unread, and stars the latest message', () => {
    const { account, inbox } = seedAccount(db);
    upsertLabel(db, account.id, { remoteId: 'STARRED', name: 'Starred', kind: 'system', role: 'starred' });
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'a', threadRemoteId: 't', labelIds: [inbox], sentAt: 1, isUnread: true }),
      messageInput({ remoteId: 'b', threadRemoteId: 't', labelIds: [inbox], sentAt: 2, isUnread: true }),
    ]);
    const { id } = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, id, 'mark_read');
    expect(getThreadRow(db, id)?.unread_count).toBe(0);
    applyThreadAction(db, id, 'mark_unread');
    expect(getThreadRow(db, id)?.unread_count).toBe(1);
    applyThreadAction(db, id, 'star');
    expect(db.prepare('SELECT remote_id FROM messages WHERE is_starred = 1').pluck().all()).toEqual(['b']);
    expect(pending().at(-1)).toEqual({ id: 'b', add: '["STARRED"]', remove: '[]' });
  });

  it('moves an Outlook message between folders instead of labelling it', () => {
    const account = ensureAccount(db, 'microsoft', 'bob@contoso.test');
    const inbox = upsertLabel(db, account.id, { remoteId: 'fld-inbox', name: 'Inbox', kind: 'folder', role: 'inbox' });
    upsertLabel(db, account.id, { remoteId: 'fld-archive', name: 'Archive', kind: 'folder', role: 'archive' });
    writeMessages(db, account.id, [messageInput({ remoteId: 'm', threadRemoteId: 'conv', labelIds: [inbox] })]);
    const { id } = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, id, 'archive');
    expect(pending()).toEqual([{ id: 'm', add: '["fld-archive"]', remove: '["fld-inbox"]' }]);
  });

  it('changes imported mail locally only, and refuses unknown threads', () => {
    const account = ensureAccount(db, 'local', 'me@local');
    const inbox = upsertLabel(db, account.id, { remoteId: 'INBOX', name: 'Inbox', kind: 'system', role: 'inbox' });
    writeMessages(db, account.id, [messageInput({ remoteId: 'x', labelIds: [inbox] })]);
    applyThreadAction(db, listThreadsOfAccount(db, account.id, 1)[0]!.id, 'archive');
    expect(pending()).toEqual([]);
    expect(() => applyThreadAction(db, 9999, 'archive')).toThrow(ThreadActionError);
  });
});
