import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { updateMessageState, writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { listThreadsByLabels, listThreadsOfAccount } from '../../../main/db/queries/threadReads.ts';
import { applyThreadAction } from '../../../main/mail/threadActions.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** A sync pulling remote state while the user's change waits to be pushed must not undo it. */
describe('unpushed changes over pulled state', () => {
  let db: IndexDb;
  beforeEach(() => {
    db = openIndex(':memory:');
  });
  afterEach(() => db.close());

  it('keeps an archive, a label and a star made during a sync when the sync writes the older remote state', () => {
    const { account, inbox } = seedAccount(db);
    const travel = upsertLabel(db, account.id, { remoteId: 'Label_2', name: 'Travel', kind: 'user', role: null });
    upsertLabel(db, account.id, { remoteId: 'STARRED', name: 'Starred', kind: 'system', role: 'starred' });
    const remote = messageInput({ remoteId: 'm1', threadRemoteId: 't1', labelIds: [inbox], isUnread: true });
    writeMessages(db, account.id, [remote]);
    const thread = listThreadsOfAccount(db, account.id, 1)[0]!.id;

    applyThreadAction(db, thread, 'archive');
    applyThreadAction(db, thread, 'add_label', travel);
    applyThreadAction(db, thread, 'star');
    applyThreadAction(db, thread, 'mark_read');
    const state = () =>
      db.prepare('SELECT is_unread, is_starred FROM messages WHERE remote_id = ?').get('m1') as {
        is_unread: number;
        is_starred: number;
      };
    const shown = () => ({
      inbox: listThreadsByLabels(db, [inbox], 10).length,
      travel: listThreadsByLabels(db, [travel], 10).length,
      ...state(),
    });
    const expected = { inbox: 0, travel: 1, is_unread: 0, is_starred: 1 };
    expect(shown()).toEqual(expected);

    // The pull (history: labels only, then a full re-fetch) still has Gmail's state from before the changes.
    updateMessageState(db, account.id, 'm1', {
      labelIds: [inbox],
      isUnread: true,
      isStarred: false,
      isImportant: false,
      isDraft: false,
    });
    expect(shown()).toEqual(expected);
    writeMessages(db, account.id, [remote]);
    expect(shown()).toEqual(expected);

    // Pushed: the provider's state is the truth again.
    db.prepare('DELETE FROM pending_changes').run();
    updateMessageState(db, account.id, 'm1', {
      labelIds: [inbox],
      isUnread: true,
      isStarred: false,
      isImportant: false,
      isDraft: false,
    });
    expect(shown()).toEqual({ inbox: 1, travel: 0, is_unread: 1, is_starred: 0 });
  });
});
