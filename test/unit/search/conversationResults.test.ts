import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { type SearchPageOptions, searchPage } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** Results as conversations: one row per thread at its newest match, its matching messages counted. */
describe('search results as conversations', () => {
  let db: IndexDb;
  const day = (n: number) => Date.UTC(2024, 0, n);

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      // A long thread: ten messages about freetype, then a last reply about something else.
      ...Array.from({ length: 10 }, (_, i) =>
        messageInput({
          remoteId: `ft${i}`,
          threadRemoteId: 'freetype-thread',
          subject: 'RedHat 8.0 and his own freetype',
          bodyText: `reply ${i} about the freetype build`,
          sentAt: day(1 + i),
          labelIds: [inbox],
        }),
      ),
      messageInput({
        remoteId: 'ft-last',
        threadRemoteId: 'freetype-thread',
        subject: 'Re: lunch',
        bodyText: 'see you at noon',
        sentAt: day(20),
        labelIds: [inbox],
      }),
      messageInput({ remoteId: 'other1', threadRemoteId: 'other', subject: 'fonts', bodyText: 'freetype 2.1', sentAt: day(5) }),
      messageInput({ remoteId: 'other2', threadRemoteId: 'other', subject: 'fonts', bodyText: 'freetype 2.2', sentAt: day(15) }),
      messageInput({ remoteId: 'solo', threadRemoteId: 'solo', subject: 'freetype', bodyText: 'once', sentAt: day(12) }),
    ]);
  });
  afterAll(() => db.close());

  const remote = (id: number) => String(db.prepare('SELECT remote_id FROM messages WHERE id = ?').pluck().get(id));
  const page = (q: string, options: Partial<SearchPageOptions> = {}) =>
    searchPage(db, parseSearchQuery(q), { limit: 25, group: 'threads', ...options });

  it('lists each conversation once, at its newest match, with its matches counted and the total in conversations', () => {
    const result = page('freetype');
    expect(result.rows.map((r) => [remote(r.id), r.matching_messages])).toEqual([
      ['other2', 2],
      ['solo', 1],
      ['ft9', 10],
    ]);
    expect(result.rows[2]?.sent_at).toBe(day(10));
    expect(result).toMatchObject({ total: 3, totalEstimated: false, next: null });
  });

  it('pages conversations without repeating one', () => {
    const seen: string[] = [];
    let cursor: SearchPageOptions['cursor'] = null;
    do {
      const result = page('freetype', { limit: 1, cursor });
      seen.push(...result.rows.map((r) => remote(r.id)));
      cursor = result.next;
    } while (cursor);
    expect(seen).toEqual(['other2', 'solo', 'ft9']);
  });

  it('still lists messages with group messages', () => {
    const result = page('freetype', { group: 'messages' });
    expect(result.rows).toHaveLength(13);
    expect(result.total).toBe(13);
    expect(result.rows.every((r) => r.matching_messages === 1)).toBe(true);
  });

  it('groups relevance-sorted results too, a conversation at its best match', () => {
    const result = page('freetype', { sort: 'relevance' });
    expect(new Set(result.rows.map((r) => r.thread_id)).size).toBe(3);
    expect(result.rows).toHaveLength(3);
  });
});
