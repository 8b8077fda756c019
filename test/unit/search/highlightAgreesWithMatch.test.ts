import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchHitRow, searchMessages } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** The marked spans of a highlighted text, in order. */
function marks(text: string | null | undefined): string[] {
  if (!text) return [];
  return [...text.matchAll(new RegExp(`${HIGHLIGHT_START}([^${HIGHLIGHT_END}]*)${HIGHLIGHT_END}`, 'g'))].map(
    (m) => m[1] as string,
  );
}

/** Highlighting marks exactly what the query matched, where it matched (issue 20). */
describe('highlighting agrees with the match', () => {
  let db: IndexDb;

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const message = (remoteId: string, fields: Partial<Parameters<typeof messageInput>[0]>) =>
      messageInput({ remoteId, labelIds: [inbox], ...fields });
    writeMessages(db, account.id, [
      message('redhat', {
        subject: 'Installing it',
        bodyText: 'Redbum wrote: my red hat box is fine. The hat red and reddish one is not.',
      }),
      message('reply', { subject: 'Re: kernel panic', bodyText: 'Please refer to the re: line of the first mail.' }),
      message('ilug', {
        subject: 'Broadband in Cork',
        to: [{ name: 'Irish Linux Users', email: 'ilug@linux.ie' }],
        bodyText:
          "Any luck with it?\n-- \nIrish Linux Users' Group: ilug@linux.ie\nhttp://www.linux.ie/mailman/listinfo/ilug for (un)subscription",
      }),
      message('attached', {
        subject: 'Quote',
        bodyText: 'See the file.',
        attachments: [
          {
            partIndex: 1,
            remoteId: null,
            filename: 'Yinxiang Motorcycles.doc',
            mimeType: 'application/msword',
            sizeBytes: 10,
            contentId: null,
            isInline: false,
            blobSha256: null,
          },
        ],
      }),
      message('html', {
        subject: 'Newsletter',
        bodyText: 'View this message in HTML.',
        searchableText: 'Spring sale on lawnmowers and garden tools',
      }),
      message('runs', { subject: 'Track', bodyText: 'He runs, ran, and was running; the run ended; a runner watched.' }),
      message('cafe', { subject: 'Lunch', bodyText: 'Meet at the café, not the cafeteria.' }),
      message('meeting', {
        subject: 'Team meeting',
        bodyText: 'Meetings go long; we meet at ten for the meetup of all projects.',
      }),
      message('panic', { subject: 'Box trouble', bodyText: 'linux kernel, no panic; the kernel panicked later' }),
    ]);
  });
  afterAll(() => db.close());

  const hit = (q: string, remoteId: string, prefixLast = false): SearchHitRow => {
    const rows = searchMessages(db, parseSearchQuery(q), { limit: 50, offset: 0, prefixLast });
    const found = rows.find((r) => db.prepare('SELECT remote_id FROM messages WHERE id = ?').pluck().get(r.id) === remoteId);
    if (!found) throw new Error(`${q} did not find ${remoteId}`);
    return found;
  };

  it('marks a phrase only where its words stand together, in order ("red hat" never marks Redbum)', () => {
    const row = hit('"red hat"', 'redhat');
    expect(marks(row.highlight)).toEqual(['red hat']);
    expect(row.highlight_source).toBe('body');
  });

  it('marks subject: terms only in the subject (subject:re never marks "refer" or "re:" in the body)', () => {
    const row = hit('subject:re', 'reply');
    expect(marks(row.subject_highlight)).toEqual(['Re']);
    expect(marks(row.highlight)).toEqual(['Re']);
    expect(row.highlight_source).toBe('subject');
  });

  it('marks to: terms only in the participants (to:ilug@linux.ie never marks "ie" in a signature)', () => {
    const row = hit('to:ilug@linux.ie', 'ilug');
    expect(row.highlight_source).toBe('recipients');
    expect(marks(row.highlight)).toEqual(['ilug@linux.ie']);
    expect(marks(row.subject_highlight)).toEqual([]);
  });

  it('shows a match found only in searchable text, saying whether it is an attachment name', () => {
    const attached = hit('motorcycles', 'attached');
    expect(marks(attached.highlight)).toEqual(['Motorcycles']);
    expect(attached.highlight_source).toBe('attachment_name');
    const html = hit('lawnmowers', 'html');
    expect(marks(html.highlight)).toEqual(['lawnmowers']);
    expect(html.highlight_source).toBe('other_parts');
  });

  it('stems exactly as the index does, diacritics folded', () => {
    expect(marks(hit('running', 'runs').highlight)).toEqual(['runs', 'running', 'run']);
    expect(marks(hit('cafe', 'cafe').highlight)).toEqual(['café']);
  });

  it('never marks negated terms, in any field', () => {
    expect(marks(hit('linux -"kernel panic"', 'panic').highlight)).toEqual(['linux']);
    expect(marks(hit('kernel -subject:linux', 'panic').highlight)).toEqual(['kernel', 'kernel']);
    const row = hit('linux -(kernel -panic)', 'ilug');
    expect(marks(row.highlight)).toEqual(['Linux', 'linux', 'linux']);
  });

  it('marks only the words near each other with AROUND', () => {
    expect(marks(hit('hat AROUND 1 red', 'redhat').highlight)).toEqual(['red', 'hat', 'hat', 'red']);
    expect(marks(hit('kernel AROUND 0 panicked', 'panic').highlight)).toEqual(['kernel', 'panicked']);
  });

  it('marks the last word as a prefix only in a prefix search', () => {
    const typed = hit('meetin', 'meeting', true);
    expect(marks(typed.subject_highlight)).toEqual(['meeting']);
    expect(marks(typed.highlight)).toEqual(['Meetings']);
    expect(marks(hit('meet', 'meeting', true).highlight)).toEqual(['Meetings', 'meet', 'meetup']);
    expect(marks(hit('meet', 'meeting').highlight)).toEqual(['Meetings', 'meet']);
    expect(marks(hit('project meetin', 'meeting', true).highlight)).toEqual(['Meetings', 'projects']);
  });
});
