import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../main/api/server.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi } from '../../support/testApi.ts';

interface Hit {
  message_id: string;
  thread_id: string;
  account_id: string;
  subject: string;
  date: string;
  matching_messages: number;
  score: number | null;
}
interface Page {
  data: Hit[];
  next_cursor: string | null;
  total: number;
  total_estimated: boolean;
}

/** GET /v1/email/search as Gmail answers: conversations, newest first, Spam and Trash left out, a total. */
describe('GET /v1/email/search with Gmail semantics', () => {
  let db: IndexDb;
  let app: ApiServer;
  let token: string;
  const dir = makeTempDir();
  const day = (n: number) => Date.UTC(2024, 0, 1) + n * 24 * 3600 * 1000;

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const spam = upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' });
    const promotions = upsertLabel(db, account.id, {
      remoteId: 'CATEGORY_PROMOTIONS',
      name: 'Promotions',
      kind: 'category',
      role: null,
    });
    writeMessages(db, account.id, [
      // 60 conversations of two messages each about the weekly digest.
      ...Array.from({ length: 120 }, (_, i) =>
        messageInput({
          remoteId: `d${i}`,
          threadRemoteId: `digest-${i % 60}`,
          subject: `Digest ${i % 60}`,
          bodyText: i % 60 === 7 ? 'weekly digest: the meeting notes' : 'weekly digest',
          sentAt: day(i),
          labelIds: [inbox],
        }),
      ),
      messageInput({ remoteId: 'spam', subject: 'Cheap pills', bodyText: 'viagra', sentAt: day(200), labelIds: [spam] }),
      messageInput({
        remoteId: 'ham',
        subject: 'Spam filter',
        bodyText: 'viagra in my filter',
        sentAt: day(150),
        labelIds: [inbox],
        mailingLists: ['spam-l.lists.example.test'],
        deliveredTo: ['me@example.test'],
      }),
      messageInput({
        remoteId: 'big',
        subject: 'Photos',
        bodyText: 'holiday photos',
        sentAt: day(160),
        sizeBytes: 5 * 1024 * 1024,
        labelIds: [inbox, promotions],
        from: { name: 'Me', email: 'me@example.test' },
        inferenceClassification: 'other',
      }),
    ]);
    ({ app, token } = await buildTestApi(db, dir.path));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const search = (query: string) =>
    app.inject({
      method: 'GET',
      url: `/v1/email/search?${query}`,
      headers: { host: '127.0.0.1:7766', authorization: `Bearer ${token}` },
    });
  const ok = async (query: string): Promise<Page> => {
    const response = await search(query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Page;
  };
  const subjects = (page: Page) => page.data.map((h) => h.subject);

  it('answers conversations by default, newest first, each once with its matches counted, and a total', async () => {
    const first = await ok('q=digest&limit=25');
    expect(first.total).toBe(60);
    expect(first.total_estimated).toBe(false);
    expect(first.data).toHaveLength(25);
    expect(new Set(first.data.map((h) => h.thread_id)).size).toBe(25);
    expect(first.data.every((h) => h.matching_messages === 2)).toBe(true);
    const dates = first.data.map((h) => h.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(first.data.every((h) => h.score === null && h.account_id)).toBe(true);
  });

  it('pages conversations to the last one with next_cursor, none repeated', async () => {
    const threads: string[] = [];
    let url = 'q=digest&limit=25';
    for (;;) {
      const page = await ok(url);
      threads.push(...page.data.map((h) => h.thread_id));
      if (!page.next_cursor) break;
      url = `q=digest&limit=25&cursor=${page.next_cursor}`;
    }
    expect(threads).toHaveLength(60);
    expect(new Set(threads).size).toBe(60);
  });

  it('lists messages with group=messages and ranks only with sort=relevance', async () => {
    const messages = await ok('q=digest&group=messages&limit=100');
    expect(messages.total).toBe(120);
    expect(messages.data).toHaveLength(100);
    expect(messages.data.every((h) => h.matching_messages === 1)).toBe(true);
    const rest = await ok(`q=digest&group=messages&limit=100&cursor=${messages.next_cursor}`);
    expect(rest.data).toHaveLength(20);
    expect(rest.next_cursor).toBeNull();
    const ranked = await ok('q=meeting OR digest&sort=relevance&limit=1');
    expect(ranked.data[0]?.subject).toBe('Digest 7');
    expect(ranked.data[0]?.score).not.toBeNull();
    const next = await ok(`q=meeting OR digest&sort=relevance&limit=1&cursor=${ranked.next_cursor}`);
    expect(next.data[0]?.thread_id).not.toBe(ranked.data[0]?.thread_id);
  });

  it('finds the word being typed with prefix=true, completed words still stemmed', async () => {
    for (const typed of ['meeti', 'meetin', 'digests meetin']) {
      expect(subjects(await ok(`q=${encodeURIComponent(typed)}&prefix=true`)), typed).toEqual(['Digest 7']);
    }
    expect((await ok('q=meetin')).data).toEqual([]);
  });

  it('leaves Spam out unless the query names it', async () => {
    expect(subjects(await ok('q=viagra'))).toEqual(['Spam filter']);
    expect(subjects(await ok('q=viagra in:spam'))).toEqual(['Cheap pills']);
    expect(subjects(await ok('q=viagra in:anywhere'))).toEqual(['Cheap pills', 'Spam filter']);
  });

  it('understands from:me, larger:, category:', async () => {
    expect(subjects(await ok('q=from:me'))).toEqual(['Photos']);
    expect(subjects(await ok('q=larger:1M'))).toEqual(['Photos']);
    expect(subjects(await ok('q=category:promotions'))).toEqual(['Photos']);
  });

  it('finds list:, deliveredto: and Outlook’s category:focused|other from what the messages say', async () => {
    expect(subjects(await ok('q=list:spam-l@lists.example.test'))).toEqual(['Spam filter']);
    expect(subjects(await ok('q=list:lists.example.test'))).toEqual(['Spam filter']);
    expect(subjects(await ok('q=deliveredto:me'))).toEqual(['Spam filter']);
    expect(subjects(await ok('q=category:other'))).toEqual(['Photos']);
    expect(subjects(await ok('q=category:focused'))).toEqual([]);
  });

  it.each([
    ['q=list:@', 'q', /list: needs/],
    ['q=digest&group=pages', 'group', /group/],
    ['q=digest&sort=best', 'sort', /sort/],
    ['q=digest&sort=relevance&cursor=ZC4xLjE', 'cursor', /cursor/],
    ['q=digest&cursor=ci4x', 'cursor', /cursor/],
  ])('refuses %s with a 400 naming %s', async (query, field, message) => {
    const response = await search(query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_error', field, message: expect.stringMatching(message) });
  });
});
