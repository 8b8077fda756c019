import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** Gmail leaves Spam and Trash out of every search unless the query names them. */
describe('search scope: Spam and Trash', () => {
  let db: IndexDb;

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const spam = upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' });
    const trash = upsertLabel(db, account.id, { remoteId: 'TRASH', name: 'Trash', kind: 'system', role: 'trash' });
    // An Outlook-like folder named otherwise but with the spam role.
    const junk = upsertLabel(db, account.id, { remoteId: 'junkemail', name: 'Junk Email', kind: 'folder', role: 'spam' });
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'ham', bodyText: 'cheap pills offer', labelIds: [inbox], sentAt: Date.UTC(2026, 0, 4) }),
      messageInput({ remoteId: 'spam', bodyText: 'cheap pills offer', labelIds: [spam], sentAt: Date.UTC(2026, 0, 3) }),
      messageInput({ remoteId: 'junk', bodyText: 'cheap pills offer', labelIds: [junk], sentAt: Date.UTC(2026, 0, 2) }),
      messageInput({ remoteId: 'trash', bodyText: 'cheap pills offer', labelIds: [trash], sentAt: Date.UTC(2026, 0, 1) }),
      messageInput({ remoteId: 'archived', bodyText: 'cheap pills offer', labelIds: [], sentAt: Date.UTC(2025, 11, 31) }),
    ]);
  });
  afterAll(() => db.close());

  const ids = (q: string) =>
    searchMessages(db, parseSearchQuery(q), { limit: 20, offset: 0 })
      .map((r) => String(db.prepare('SELECT remote_id FROM messages WHERE id = ?').pluck().get(r.id)))
      .sort();

  it('leaves Spam and Trash out of word and operator searches', () => {
    expect(ids('pills')).toEqual(['archived', 'ham']);
    expect(ids('is:unread')).toEqual(['archived', 'ham']);
    expect(ids('pills OR offer')).toEqual(['archived', 'ham']);
  });

  it('searches them when the query names them', () => {
    expect(ids('in:spam pills')).toEqual(['junk', 'spam']);
    expect(ids('label:spam')).toEqual(['junk', 'spam']);
    expect(ids('in:trash')).toEqual(['trash']);
    expect(ids('label:trash pills')).toEqual(['trash']);
    expect(ids('pills {in:spam in:trash}')).toEqual(['junk', 'spam', 'trash']);
  });

  it('searches everything with in:anywhere', () => {
    expect(ids('in:anywhere pills')).toEqual(['archived', 'ham', 'junk', 'spam', 'trash']);
    expect(ids('in:anywhere -in:spam pills')).toEqual(['archived', 'ham', 'trash']);
  });
});
