import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** Search as you type: the last word matches words that start with it as typed; completed words keep stemming. */
describe('search as you type', () => {
  let db: IndexDb;

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'meeting', subject: 'Team meeting', bodyText: 'the projects we discussed', labelIds: [inbox] }),
      messageInput({ remoteId: 'freetype', subject: 'RedHat 8.0', bodyText: 'and his own freetype build', labelIds: [inbox] }),
      messageInput({ remoteId: 'happy', subject: 'Party', bodyText: 'happiness all round, a happy crowd', labelIds: [inbox] }),
    ]);
  });
  afterAll(() => db.close());

  const ids = (q: string, prefixLast = true) =>
    searchMessages(db, parseSearchQuery(q), { limit: 20, offset: 0, prefixLast })
      .map((r) => String(db.prepare('SELECT remote_id FROM messages WHERE id = ?').pluck().get(r.id)))
      .sort();

  it('finds the word being typed at every length', () => {
    for (const typed of ['mee', 'meet', 'meeti', 'meetin', 'meeting']) expect(ids(typed), typed).toEqual(['meeting']);
    for (const typed of ['free', 'freet', 'freety', 'freetyp', 'freetype']) expect(ids(typed), typed).toEqual(['freetype']);
    expect(ids('happ')).toEqual(['happy']);
    expect(ids('happin')).toEqual(['happy']);
  });

  it('keeps stemming for the completed words before it', () => {
    expect(ids('project meetin')).toEqual(['meeting']);
    expect(ids('projects freety')).toEqual([]);
    expect(ids('his freety')).toEqual(['freetype']);
  });

  it('is off unless asked for, and a single typed character is a word', () => {
    expect(ids('meetin', false)).toEqual([]);
    expect(ids('m')).toEqual([]);
    expect(ids('pr')).toEqual(['meeting']);
  });

  it('keeps the typed prefix in step with edits and deletions', () => {
    db.prepare(`UPDATE messages SET body_text = 'now about fonts only' WHERE remote_id = 'freetype'`).run();
    expect(ids('freety')).toEqual([]);
    expect(ids('font')).toEqual(['freetype']);
    db.prepare(`DELETE FROM messages WHERE remote_id = 'meeting'`).run();
    expect(ids('meetin')).toEqual([]);
  });
});
