import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLog, silentLog } from '../../../main/core/log.ts';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { pendingChanges } from '../../../main/db/queries/pendingChanges.ts';
import { listThreadsOfAccount } from '../../../main/db/queries/threadReads.ts';
import { applyThreadAction } from '../../../main/mail/threadActions.ts';
import { gmailLabelChange, pushGmailChanges } from '../../../main/providers/gmail/gmailChangePusher.ts';
import type { GmailSession } from '../../../main/providers/gmail/gmailSession.ts';
import { pushGraphChanges } from '../../../main/providers/graph/graphChangePusher.ts';
import type { GraphClient } from '../../../main/providers/graph/graphClient.ts';
import { ProviderError } from '../../../main/providers/providerErrors.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/**
 * The typed changes a thread action queues, as each provider receives them: Gmail's batchModify
 * label ids are exactly what Outpost sent before changes were typed; Graph gets isRead, the flag,
 * the category list and moves.
 */
describe('pushing typed local changes', () => {
  let db: WritableDb;
  beforeEach(() => {
    db = openIndex(':memory:');
  });
  afterEach(() => db.close());

  function fakeGmail() {
    const calls: Array<{ ids: string[]; addLabelIds: string[]; removeLabelIds: string[] }> = [];
    let failWith: number | null = null;
    let failures = Number.POSITIVE_INFINITY;
    const session = {
      quota: { take: async () => {} },
      log: silentLog,
      gmail: {
        users: {
          messages: {
            batchModify: async ({ requestBody }: { requestBody: (typeof calls)[number] }) => {
              if (failWith !== null && failures-- > 0)
                throw Object.assign(new Error(`HTTP ${failWith}`), {
                  response: { status: failWith, headers: { 'retry-after': '0' } },
                });
              calls.push(requestBody);
              return { data: {} };
            },
          },
        },
      },
    } as unknown as GmailSession;
    const fail = (status: number | null, times = Number.POSITIVE_INFINITY) => {
      failWith = status;
      failures = times;
    };
    return { session, calls, fail };
  }

  it('sends Gmail the label ids of every thread action, alike changes batched together and in order', async () => {
    const { account, inbox } = seedAccount(db);
    upsertLabel(db, account.id, { remoteId: 'STARRED', name: 'Starred', kind: 'system', role: 'starred' });
    upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' });
    upsertLabel(db, account.id, { remoteId: 'TRASH', name: 'Trash', kind: 'system', role: 'trash' });
    const work = upsertLabel(db, account.id, { remoteId: 'Label_7', name: 'Work', kind: 'user', role: null });
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'a', threadRemoteId: 't', labelIds: [inbox], sentAt: 1, isUnread: true }),
      messageInput({ remoteId: 'b', threadRemoteId: 't', labelIds: [inbox], sentAt: 2, isUnread: true }),
    ]);
    const thread = listThreadsOfAccount(db, account.id, 1)[0]!.id;
    for (const [action, label] of [
      ['mark_read'],
      ['star'],
      ['add_label', work],
      ['archive'],
      ['move_to_inbox'],
      ['spam'],
      ['not_spam'],
      ['trash'],
      ['move_to', work],
    ] as const)
      applyThreadAction(db, thread, action, label);
    expect(pendingChanges(db, account.id).map((p) => [p.messageRemoteId, gmailLabelChange(p.change)])).toEqual([
      ['a', { addLabelIds: [], removeLabelIds: ['UNREAD'] }],
      ['b', { addLabelIds: [], removeLabelIds: ['UNREAD'] }],
      ['b', { addLabelIds: ['STARRED'], removeLabelIds: [] }],
      ['a', { addLabelIds: ['Label_7'], removeLabelIds: [] }],
      ['b', { addLabelIds: ['Label_7'], removeLabelIds: [] }],
      ['a', { addLabelIds: [], removeLabelIds: ['INBOX'] }],
      ['b', { addLabelIds: [], removeLabelIds: ['INBOX'] }],
      ['a', { addLabelIds: ['INBOX'], removeLabelIds: ['TRASH'] }],
      ['b', { addLabelIds: ['INBOX'], removeLabelIds: ['TRASH'] }],
      ['a', { addLabelIds: ['SPAM'], removeLabelIds: ['INBOX'] }],
      ['b', { addLabelIds: ['SPAM'], removeLabelIds: ['INBOX'] }],
      ['a', { addLabelIds: ['INBOX'], removeLabelIds: ['SPAM'] }],
      ['b', { addLabelIds: ['INBOX'], removeLabelIds: ['SPAM'] }],
      ['a', { addLabelIds: ['TRASH'], removeLabelIds: ['INBOX'] }],
      ['b', { addLabelIds: ['TRASH'], removeLabelIds: ['INBOX'] }],
      ['a', { addLabelIds: ['Label_7'], removeLabelIds: ['INBOX'] }],
      ['b', { addLabelIds: ['Label_7'], removeLabelIds: ['INBOX'] }],
    ]);

    const gmail = fakeGmail();
    const settled: number[] = [];
    await pushGmailChanges(gmail.session, pendingChanges(db, account.id), (ids) => settled.push(...ids));
    expect(gmail.calls).toEqual([
      { ids: ['a', 'b'], addLabelIds: [], removeLabelIds: ['UNREAD'] },
      { ids: ['b'], addLabelIds: ['STARRED'], removeLabelIds: [] },
      { ids: ['a', 'b'], addLabelIds: ['Label_7'], removeLabelIds: [] },
      { ids: ['a', 'b'], addLabelIds: [], removeLabelIds: ['INBOX'] },
      { ids: ['a', 'b'], addLabelIds: ['INBOX'], removeLabelIds: ['TRASH'] },
      { ids: ['a', 'b'], addLabelIds: ['SPAM'], removeLabelIds: ['INBOX'] },
      { ids: ['a', 'b'], addLabelIds: ['INBOX'], removeLabelIds: ['SPAM'] },
      { ids: ['a', 'b'], addLabelIds: ['TRASH'], removeLabelIds: ['INBOX'] },
      { ids: ['a', 'b'], addLabelIds: ['Label_7'], removeLabelIds: ['INBOX'] },
    ]);
    expect(settled).toEqual(pendingChanges(db, account.id).map((p) => p.id));
  });

  it('drops Gmail changes to messages it no longer has (404, 400) and keeps the rest when Gmail fails', async () => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [messageInput({ remoteId: 'a', labelIds: [inbox], isUnread: true })]);
    applyThreadAction(db, listThreadsOfAccount(db, account.id, 1)[0]!.id, 'mark_read');
    const changes = pendingChanges(db, account.id);
    const gmail = fakeGmail();
    const settled: number[] = [];
    gmail.fail(404);
    await pushGmailChanges(gmail.session, changes, (ids) => settled.push(...ids));
    expect(settled).toEqual([changes[0]?.id]);
    gmail.fail(403);
    await expect(pushGmailChanges(gmail.session, changes, (ids) => settled.push(...ids))).rejects.toThrow(/403/);
    expect(settled).toHaveLength(1);
    // A backend error (and a rate answer) is retried like any Gmail call, then the change goes.
    gmail.fail(503, 2);
    await pushGmailChanges(gmail.session, changes, (ids) => settled.push(...ids));
    expect(settled).toEqual([changes[0]?.id, changes[0]?.id]);
    expect(gmail.calls).toHaveLength(1);
  });

  it('sends Outlook isRead, the flag, the message’s categories as the index has them, and moves; a vanished message is dropped', async () => {
    const account = ensureAccount(db, 'microsoft', 'bob@contoso.test');
    const inbox = upsertLabel(db, account.id, { remoteId: 'fld-inbox', name: 'Inbox', kind: 'folder', role: 'inbox' });
    upsertLabel(db, account.id, { remoteId: 'fld-archive', name: 'Archive', kind: 'folder', role: 'archive' });
    const red = upsertLabel(db, account.id, { remoteId: 'category:Red', name: 'Red', kind: 'category', role: null });
    const blue = upsertLabel(db, account.id, { remoteId: 'category:Blue', name: 'Blue', kind: 'category', role: null });
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'm', threadRemoteId: 'conv', labelIds: [inbox, blue], isUnread: true }),
    ]);
    const thread = listThreadsOfAccount(db, account.id, 1)[0]!.id;
    applyThreadAction(db, thread, 'mark_read');
    applyThreadAction(db, thread, 'star');
    applyThreadAction(db, thread, 'add_label', red);
    applyThreadAction(db, thread, 'archive');
    const requests: Array<[string, unknown]> = [];
    let gone = false;
    const client = {
      request: async (path: string, init: { method?: string; body?: unknown }) => {
        if (gone) throw new ProviderError('provider_error', 'Graph answered 404', 404);
        requests.push([`${init.method} ${path}`, init.body]);
        return null;
      },
    } as unknown as GraphClient;
    const settled: number[] = [];
    const memory = memoryLog('debug');
    await pushGraphChanges(db, client, account.id, pendingChanges(db, account.id), (ids) => settled.push(...ids), memory.log);
    expect(requests).toEqual([
      ['PATCH /me/messages/m', { isRead: true }],
      ['PATCH /me/messages/m', { flag: { flagStatus: 'flagged' } }],
      ['PATCH /me/messages/m', { categories: ['Blue', 'Red'] }],
      ['POST /me/messages/m/move', { destinationId: 'fld-archive' }],
    ]);
    expect(settled).toHaveLength(4);
    applyThreadAction(db, thread, 'mark_unread');
    gone = true;
    const [last] = pendingChanges(db, account.id).slice(-1);
    await pushGraphChanges(db, client, account.id, [last!], (ids) => settled.push(...ids), memory.log);
    expect(settled.at(-1)).toBe(last?.id);
    // Dropped, and said so: a change that silently vanished would hide an id mismatch.
    expect(memory.lines().filter((l) => /no longer has/.test(String(l.msg)))).toHaveLength(1);
  });
});
