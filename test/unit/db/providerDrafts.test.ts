import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { saveComposeDraft } from '../../../main/db/queries/composeDrafts.ts';
import {
  dropDraftPush,
  pendingDrafts,
  providerDraft,
  queueDraftDelete,
  queueDraftSave,
  settleDraftDelete,
  settleDraftSave,
} from '../../../main/db/queries/providerDrafts.ts';
import { seedAccount } from '../../support/indexFixtures.ts';

/**
 * provider_drafts holds a state per draft, not a queue: saves coalesce into one push of the latest
 * text, and a push settles only the version it pushed (a save made while it was under way waits).
 */
describe('drafts waiting for the provider', () => {
  let db: IndexDb;
  let accountId: string;
  const id = '7d3f1f0e-2d1c-4a57-9d7e-6f1c3c1b2a10';
  const save = (text: string) => {
    saveComposeDraft(db, { id, draft_json: JSON.stringify({ text }), updated_at: 1 });
    queueDraftSave(db, {
      compose_id: id,
      account_id: accountId,
      rfc822_message_id: 'm1@example.test',
      message_remote_id: `outpost-draft:${id}`,
      thread_remote_id: null,
    });
  };
  beforeEach(() => {
    db = openIndex(':memory:');
    accountId = seedAccount(db).account.id;
  });
  afterEach(() => db.close());

  it('saves while one waits are one push, of the latest text', () => {
    save('first');
    save('second');
    save('third');
    const waiting = pendingDrafts(db, accountId);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ pending: 'save', version: 3, draft_json: JSON.stringify({ text: 'third' }) });
  });

  it('a push settles only the version it pushed: a save made meanwhile is pushed next, under the draft id learned', () => {
    save('first');
    const pushed = pendingDrafts(db, accountId)[0];
    save('typed during the push');
    settleDraftSave(db, id, pushed?.version ?? 0, { draftId: 'r1', messageRemoteId: 'g1', threadRemoteId: 't1' });
    expect(providerDraft(db, id)).toMatchObject({ pending: 'save', provider_draft_id: 'r1', message_remote_id: 'g1' });
    const next = pendingDrafts(db, accountId)[0];
    settleDraftSave(db, id, next?.version ?? 0, { draftId: 'r1', messageRemoteId: 'g2', threadRemoteId: 't1' });
    expect(providerDraft(db, id)).toMatchObject({ pending: null, message_remote_id: 'g2' });
    expect(pendingDrafts(db, accountId)).toEqual([]);
  });

  it('a delete replaces a waiting save and ends the row once pushed; a refused push is dropped', () => {
    save('first');
    settleDraftSave(db, id, 1, { draftId: 'r1', messageRemoteId: 'g1', threadRemoteId: 't1' });
    queueDraftDelete(db, id);
    const waiting = pendingDrafts(db, accountId);
    expect(waiting).toMatchObject([{ pending: 'delete', provider_draft_id: 'r1' }]);
    settleDraftDelete(db, id, waiting[0]?.version ?? 0);
    expect(providerDraft(db, id)).toBeUndefined();

    save('again');
    dropDraftPush(db, id, providerDraft(db, id)?.version ?? 0);
    expect(pendingDrafts(db, accountId)).toEqual([]);
  });

  it('the draft leaves with its account', () => {
    save('first');
    db.prepare('DELETE FROM accounts WHERE id = ?').run(accountId);
    expect(providerDraft(db, id)).toBeUndefined();
  });
});
