import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import type { MessageChange } from '../../../main/db/queries/pendingChanges.ts';
import { getThreadRow, listThreadsByLabels, listThreadsOfAccount } from '../../../main/db/queries/threadReads.ts';
import { applyThreadAction, ThreadActionError } from '../../../main/mail/threadActions.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

describe('thread actions', () => {
  let db: IndexDb;
  beforeEach(() => {
    db = openIndex(':memory:');
  });
  afterEach(() => db.close());

  /** The queued typed changes, each in a line: `move INBOX <- SPAM`, `label +Label_7 -`, `read`, `starred`. */
  const pending = () =>
    db
      .prepare('SELECT message_remote_id AS id, change_json FROM pending_changes ORDER BY pending_changes.id')
      .all()
      .map((row) => {
        const { id, change_json } = row as { id: string; change_json: string };
        return { id, change: describeChange(JSON.parse(change_json) as MessageChange) };
      });

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
      { id: 'a', change: 'move - <- INBOX' },
      { id: 'b', change: 'move - <- INBOX' },
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
    expect(pending().at(-1)).toEqual({ id: 'b', change: 'starred' });
  });

  it('reports a Gmail thread as spam (SPAM on, out of the inbox) and takes it back (not spam: the inbox again)', () => {
    const { account, inbox } = seedAccount(db);
    const spam = upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' });
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'a', threadRemoteId: 't', labelIds: [inbox], sentAt: 1 }),
      messageInput({ remoteId: 'b', threadRemoteId: 't', labelIds: [inbox], sentAt: 2 }),
    ]);
    const { id } = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, id, 'spam');
    expect(listThreadsByLabels(db, [inbox], 10)).toHaveLength(0);
    expect(listThreadsByLabels(db, [spam], 10).map((t) => t.id)).toEqual([id]);
    applyThreadAction(db, id, 'not_spam');
    expect(listThreadsByLabels(db, [spam], 10)).toHaveLength(0);
    expect(listThreadsByLabels(db, [inbox], 10).map((t) => t.id)).toEqual([id]);
    expect(pending()).toEqual([
      { id: 'a', change: 'move SPAM <- INBOX' },
      { id: 'b', change: 'move SPAM <- INBOX' },
      { id: 'a', change: 'move INBOX <- SPAM' },
      { id: 'b', change: 'move INBOX <- SPAM' },
    ]);
  });

  it('moves an Outlook thread to Junk Email and back to the Inbox; refuses spam where there is no spam folder', () => {
    const account = ensureAccount(db, 'microsoft', 'bob@contoso.test');
    const inbox = upsertLabel(db, account.id, { remoteId: 'fld-inbox', name: 'Inbox', kind: 'folder', role: 'inbox' });
    upsertLabel(db, account.id, { remoteId: 'fld-junk', name: 'Junk Email', kind: 'folder', role: 'spam' });
    writeMessages(db, account.id, [messageInput({ remoteId: 'm', threadRemoteId: 'conv', labelIds: [inbox] })]);
    const { id } = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, id, 'spam');
    applyThreadAction(db, id, 'not_spam');
    expect(pending()).toEqual([
      { id: 'm', change: 'move fld-junk <- fld-inbox' },
      { id: 'm', change: 'move fld-inbox <- fld-junk' },
    ]);

    const { account: plain, inbox: plainInbox } = seedAccount(db, 'plain@example.test');
    writeMessages(db, plain.id, [messageInput({ remoteId: 'p', threadRemoteId: 'pt', labelIds: [plainInbox] })]);
    const other = listThreadsOfAccount(db, plain.id, 1)[0]!;
    expect(() => applyThreadAction(db, other.id, 'spam')).toThrow(/no spam folder/);
    expect(listThreadsByLabels(db, [plainInbox], 10).map((t) => t.id)).toEqual([other.id]);
  });

  it('moves an Outlook message between folders instead of labelling it', () => {
    const account = ensureAccount(db, 'microsoft', 'bob@contoso.test');
    const inbox = upsertLabel(db, account.id, { remoteId: 'fld-inbox', name: 'Inbox', kind: 'folder', role: 'inbox' });
    upsertLabel(db, account.id, { remoteId: 'fld-archive', name: 'Archive', kind: 'folder', role: 'archive' });
    writeMessages(db, account.id, [messageInput({ remoteId: 'm', threadRemoteId: 'conv', labelIds: [inbox] })]);
    const { id } = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, id, 'archive');
    expect(pending()).toEqual([{ id: 'm', change: 'move fld-archive <- fld-inbox' }]);
  });

  it("labels, unlabels and moves a Gmail thread with the user's labels, and refuses system labels", () => {
    const { account, inbox, sent } = seedAccount(db);
    const work = upsertLabel(db, account.id, { remoteId: 'Label_7', name: 'Work', kind: 'user', role: null });
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'a', threadRemoteId: 't', labelIds: [inbox], sentAt: 1 }),
      messageInput({ remoteId: 'b', threadRemoteId: 't', labelIds: [inbox, work], sentAt: 2 }),
    ]);
    const { id } = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, id, 'add_label', work);
    // Only the message that lacked it changes.
    expect(pending()).toEqual([{ id: 'a', change: 'label +Label_7 -' }]);
    applyThreadAction(db, id, 'remove_label', work);
    expect(pending().slice(1)).toEqual([
      { id: 'a', change: 'label + -Label_7' },
      { id: 'b', change: 'label + -Label_7' },
    ]);
    applyThreadAction(db, id, 'move_to', work);
    expect(listThreadsByLabels(db, [inbox], 10)).toHaveLength(0);
    expect(listThreadsByLabels(db, [work], 10)).toHaveLength(1);
    expect(pending().slice(3)).toEqual([
      { id: 'a', change: 'move Label_7 <- INBOX' },
      { id: 'b', change: 'move Label_7 <- INBOX' },
    ]);
    // The inbox tabs (CATEGORY_*) take labels too.
    const forums = upsertLabel(db, account.id, { remoteId: 'CATEGORY_FORUMS', name: 'Forums', kind: 'category', role: null });
    applyThreadAction(db, id, 'add_label', forums);
    expect(pending().at(-1)).toEqual({ id: 'b', change: 'label +CATEGORY_FORUMS -' });
    for (const [action, label] of [
      ['add_label', sent],
      ['move_to', sent],
      ['remove_label', inbox],
    ] as const)
      expect(() => applyThreadAction(db, id, action, label)).toThrow(/not one of your labels|choose one of your labels/);
    expect(() => applyThreadAction(db, id, 'add_label')).toThrow(/needs a label_id/);
    expect(() => applyThreadAction(db, id, 'add_label', 9999)).toThrow(/no label/);
  });

  it("adds and removes Outlook categories, moves to folders, and refuses another account's label", () => {
    const account = ensureAccount(db, 'microsoft', 'bob@contoso.test');
    const inbox = upsertLabel(db, account.id, { remoteId: 'fld-inbox', name: 'Inbox', kind: 'folder', role: 'inbox' });
    const projects = upsertLabel(db, account.id, { remoteId: 'fld-projects', name: 'Projects', kind: 'folder', role: null });
    const red = upsertLabel(db, account.id, { remoteId: 'category:Red', name: 'Red', kind: 'category', role: null });
    writeMessages(db, account.id, [messageInput({ remoteId: 'm', threadRemoteId: 'conv', labelIds: [inbox] })]);
    const { id } = listThreadsOfAccount(db, account.id, 1)[0]!;
    applyThreadAction(db, id, 'add_label', red);
    applyThreadAction(db, id, 'move_to', projects);
    expect(pending()).toEqual([
      { id: 'm', change: 'label +category:Red -' },
      { id: 'm', change: 'move fld-projects <- fld-inbox' },
    ]);
    expect(() => applyThreadAction(db, id, 'add_label', projects)).toThrow(/is a move/);
    expect(() => applyThreadAction(db, id, 'move_to', red)).toThrow(/not a folder/);
    const other = seedAccount(db, 'other@example.test');
    expect(() => applyThreadAction(db, id, 'add_label', other.inbox)).toThrow(/another account/);
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

function describeChange(change: MessageChange): string {
  switch (change.type) {
    case 'read':
      return change.read ? 'read' : 'unread';
    case 'starred':
      return change.starred ? 'starred' : 'unstarred';
    case 'label':
      return `label +${change.add.map((l) => l.remoteId).join(',')} -${change.remove.map((l) => l.remoteId).join(',')}`;
    case 'move':
      return `move ${change.to?.remoteId ?? '-'} <- ${change.from.map((l) => l.remoteId).join(',')}`;
  }
}
