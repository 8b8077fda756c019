import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../main/api/server.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi } from '../../support/testApi.ts';

type Segments = Array<{ text: string; match: boolean }>;
interface Hit {
  subject: string;
  highlight: Segments;
  subject_highlight: Segments;
  highlight_source?: string;
}

/** GET /v1/email/search marks what the query matched, where it matched, and says where the passage is from. */
describe('GET /v1/email/search highlighting', () => {
  let db: IndexDb;
  let app: ApiServer;
  let token: string;
  const dir = makeTempDir();

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'redhat',
        subject: 'Installing it',
        bodyText: 'Redbum wrote: my red hat box is fine. The hat red one is not.',
        labelIds: [inbox],
      }),
      messageInput({
        remoteId: 'reply',
        subject: 'Re: kernel panic',
        bodyText: 'Please refer to the re: line.',
        labelIds: [inbox],
      }),
      messageInput({
        remoteId: 'ilug',
        subject: 'Broadband in Cork',
        to: [{ name: 'Irish Linux Users', email: 'ilug@linux.ie' }],
        bodyText: 'Any luck?\n-- \nIrish Linux Users Group: ilug@linux.ie\nhttp://www.linux.ie/mailman/listinfo/ilug',
        labelIds: [inbox],
      }),
      messageInput({
        remoteId: 'html',
        subject: 'Newsletter',
        bodyText: 'View this message in HTML.',
        searchableText: 'Spring sale on lawnmowers',
        labelIds: [inbox],
      }),
    ]);
    ({ app, token } = await buildTestApi(db, dir.path));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const first = async (query: string): Promise<Hit> => {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/email/search?q=${encodeURIComponent(query)}`,
      headers: { host: '127.0.0.1:7766', authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [hit] = (response.json() as { data: Hit[] }).data;
    if (!hit) throw new Error(`${query} found nothing`);
    return hit;
  };
  const marked = (segments: Segments) => segments.filter((s) => s.match).map((s) => s.text);

  it('marks the phrase "red hat" where it stands, never Redbum', async () => {
    const hit = await first('"red hat"');
    expect(marked(hit.highlight)).toEqual(['red hat']);
    expect(hit.highlight_source).toBe('body');
  });

  it('marks subject:re only in the subject', async () => {
    const hit = await first('subject:re');
    expect(marked(hit.subject_highlight)).toEqual(['Re']);
    expect(hit.highlight_source).toBe('subject');
    expect(marked(hit.highlight)).toEqual(['Re']);
  });

  it('marks to:ilug@linux.ie only in the recipients, never in the signature', async () => {
    const hit = await first('to:ilug@linux.ie');
    expect(hit.highlight_source).toBe('recipients');
    expect(marked(hit.highlight)).toEqual(['ilug@linux.ie']);
  });

  it('shows a match in the HTML part, and leaves highlight_source out when nothing is marked', async () => {
    const html = await first('lawnmowers');
    expect([marked(html.highlight), html.highlight_source]).toEqual([['lawnmowers'], 'other_parts']);
    const unmarked = await first('is:unread');
    expect(marked(unmarked.highlight)).toEqual([]);
    expect(unmarked).not.toHaveProperty('highlight_source');
  });
});
