import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { HIGHLIGHT_END as E, highlightRows, HIGHLIGHT_START as S } from '../../../main/search/highlightMatches.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { presentSearchHit } from '../../../main/search/presentSearchHit.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** The passage cut around the first match (highlightAgreesWithMatch.test.ts checks what is marked). */
describe('highlightMatches', () => {
  let db: IndexDb;
  const ids = new Map<string, number>();
  const long = `${'lorem ipsum '.repeat(30)}the kernel panicked ${'dolor sit '.repeat(40)}`;

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const bodies: Record<string, [string, string]> = {
      long: ['Long one', long],
      plain: ['Invoice 42', 'nothing here'],
      code: ['Lessons', 'Learning c++ in beta'],
      control: ['Odd', `a${S}b linux c${E} d`],
    };
    writeMessages(
      db,
      account.id,
      Object.entries(bodies).map(([remoteId, [subject, bodyText]]) =>
        messageInput({ remoteId, subject, bodyText, labelIds: [inbox] }),
      ),
    );
    for (const remoteId of Object.keys(bodies))
      ids.set(remoteId, db.prepare('SELECT id FROM messages WHERE remote_id = ?').pluck().get(remoteId) as number);
  });
  afterAll(() => db.close());

  const highlight = (q: string, remoteId: string, prefixLast = false) =>
    highlightRows(db, parseSearchQuery(q), prefixLast, [{ id: ids.get(remoteId) as number }])[0];

  it('cuts a long text around the first match, on word boundaries, with ellipses', () => {
    const result = highlight('kernel', 'long')?.highlight ?? '';
    expect(result.startsWith('…')).toBe(true);
    expect(result.endsWith('…')).toBe(true);
    expect(result).toContain(`${S}kernel${E} panicked`);
    expect(result.length).toBeLessThan(260);
    expect(result).not.toMatch(/…\S*m ipsum/); // no half word after the cut
  });

  it('falls through to the subject and marks it', () => {
    expect(highlight('invoice -spam', 'plain')).toEqual({
      highlight: `${S}Invoice${E} 42`,
      subject_highlight: `${S}Invoice${E} 42`,
      highlight_source: 'subject',
    });
  });

  it('marks nothing for a query without words, or a message the words do not match', () => {
    const nothing = { highlight: null, subject_highlight: null, highlight_source: null };
    expect(highlight('-spam', 'plain')).toEqual(nothing);
    expect(highlight('is:unread', 'plain')).toEqual(nothing);
    expect(highlight('kernel', 'plain')).toEqual({ ...nothing, subject_highlight: 'Invoice 42' });
  });

  it('treats operator and regular-expression characters in the query as text', () => {
    expect(highlight('c++ (beta)', 'code')?.highlight).toBe(`Learning ${S}c${E}++ in ${S}beta${E}`);
    expect(highlight('"c++" OR NEAR', 'code')?.highlight).toBe(`Learning ${S}c${E}++ in beta`);
  });

  it('drops the marker characters a message itself holds, so its passage stays well-formed', () => {
    expect(highlight('linux', 'control')?.highlight).toBe(`ab ${S}linux${E} c d`);
  });

  it('says in the API where the passage comes from, and nothing when the snippet stands in', () => {
    const [found] = searchMessages(db, parseSearchQuery('invoice'), { limit: 5, offset: 0 });
    const hit = presentSearchHit(found as NonNullable<typeof found>);
    expect(hit.highlight_source).toBe('subject');
    expect(hit.highlight).toEqual([
      { text: 'Invoice', match: true },
      { text: ' 42', match: false },
    ]);
    const [unmarked] = searchMessages(db, parseSearchQuery('is:unread'), { limit: 1, offset: 0 });
    expect('highlight_source' in presentSearchHit(unmarked as NonNullable<typeof unmarked>)).toBe(false);
  });
});
