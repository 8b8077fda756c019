import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { countMatches, findMessages } from '../../../main/db/queries/search.ts';
import { explainStatements } from '../../../main/db/queryPlans.ts';
import { recordStatements } from '../../../main/db/statements.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchPage } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/**
 * Search plans that stay fast as the index grows (issue 20, slice PERF), on an
 * index past the bounds where they change (5,000 candidates counted, 5,000
 * messages of a label listed): a large label walked newest first, a small one
 * started from, a long typed prefix read as its words, and totals estimated
 * honestly when the matches are skewed towards old mail.
 */
describe('search at scale', () => {
  let db: WritableDb;
  const COUNT = 7_200;
  /** The oldest messages are the only unread ones: a newest-first count never meets them. */
  const OLD_UNREAD = 1_800;
  const start = Date.UTC(2001, 0, 1);

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const receipts = upsertLabel(db, account.id, { remoteId: 'Label_1', name: 'Receipts', kind: 'user', role: null });
    writeMessages(
      db,
      account.id,
      Array.from({ length: COUNT }, (_, i) =>
        messageInput({
          remoteId: `m${i}`,
          threadRemoteId: `t${Math.floor(i / 3)}`,
          subject: `Status ${i}`,
          bodyText: [
            'common words',
            i % 7 === 0 ? 'linux' : '',
            i % 11 === 0 ? 'linuxconf' : '',
            i % 13 === 0 ? 'linuxmail' : '',
            i % 17 === 0 ? 'python' : '',
          ].join(' '),
          sentAt: start + i * 60_000,
          isUnread: i < OLD_UNREAD,
          attachments:
            i % 97 === 0
              ? [
                  {
                    partIndex: 0,
                    remoteId: null,
                    filename: `invoice ${i}.pdf`,
                    mimeType: 'application/pdf',
                    sizeBytes: 10,
                    contentId: null,
                    isInline: false,
                    blobSha256: null,
                  },
                ]
              : [],
          labelIds: i % 50 === 0 ? [inbox, receipts] : [inbox],
        }),
      ),
    );
    db.exec('ANALYZE');
  });
  afterAll(() => db.close());

  const find = (q: string, options: Partial<Parameters<typeof findMessages>[2]> = {}) =>
    findMessages(db, parseSearchQuery(q), { limit: 26, offset: 0, ...options }).rows.map((r) => r.id);
  const plansOf = (q: string, options: Partial<Parameters<typeof findMessages>[2]> = {}) =>
    explainStatements(db, () => findMessages(db, parseSearchQuery(q), { limit: 26, offset: 0, ...options }))
      .map((s) => s.plan)
      .join('\n');
  const newestIds = (sql: string, ...params: unknown[]) =>
    db
      .prepare(`SELECT m.id FROM messages m WHERE ${sql} ORDER BY m.search_key DESC`)
      .pluck()
      .all(...params) as number[];

  it('walks a large label (label:inbox) down the date index with a probe per message, never sorting all of it', () => {
    const plan = plansOf('label:inbox');
    expect(plan).toMatch(/^SCAN m USING INDEX messages_by_search_key$/m);
    expect(plan).toMatch(
      /SEARCH ml USING (COVERING )?INDEX \w+ \((label_id=\? AND message_id=\?|message_id=\? AND label_id=\?)\)|SEARCH ml USING PRIMARY KEY/,
    );
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(find('label:inbox', { limit: 500 })).toEqual(newestIds('1').slice(0, 500));
  });

  it('starts label:receipts with words from the label (fewer messages than matches), the matches listed once', () => {
    const explained = explainStatements(db, () =>
      findMessages(db, parseSearchQuery('label:receipts common'), { limit: 26, offset: 0 }),
    );
    const plan = explained.find((s) => s.sql.includes('ORDER BY m.search_key DESC'))?.plan ?? '';
    expect(plan).toMatch(/^SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)\n/);
    expect(plan).toMatch(/LIST SUBQUERY \d+\n.*SCAN messages_fts VIRTUAL TABLE/);
    const expected = newestIds(
      `m.id IN (SELECT message_id FROM message_labels WHERE label_id = (SELECT id FROM labels WHERE name = 'Receipts'))
       AND m.search_key IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'linux')`,
    );
    expect(find('label:receipts linux', { limit: 1000 })).toEqual(expected);
    // Walking the matches instead (a page of one: fewer rows than the label's), the label is a filter, never a lookup per listed id.
    const walk = explainStatements(db, () =>
      findMessages(db, parseSearchQuery('label:receipts common'), { limit: 1, offset: 0 }),
    ).find((s) => s.sql.includes('ORDER BY messages_fts.rowid DESC'))?.plan;
    expect(walk).toMatch(/^SEARCH m USING INDEX messages_by_search_key \(search_key=\?\)$/m);
    expect(find('label:receipts linux', { limit: 1 })).toEqual(expected.slice(0, 1));
    // Paging from the label keeps the newest-first keyset.
    const firstPage = findMessages(db, parseSearchQuery('label:receipts common'), { limit: 10 }).rows;
    const last = firstPage.at(-1) as { sent_at: number; id: number };
    const next = find('label:receipts common', { limit: 10, after: { sentAt: last.sent_at, id: last.id } });
    const receipts = newestIds(
      `m.id IN (SELECT message_id FROM message_labels WHERE label_id = (SELECT id FROM labels WHERE name = 'Receipts'))`,
    );
    expect([...firstPage.map((r) => r.id), ...next]).toEqual(receipts.slice(0, 20));
  });

  it('reads has:attachment newest first from its partial index, alone or started from with words, and counts it exactly', () => {
    const withAttachments = newestIds('m.has_attachments = 1');
    expect(withAttachments).toHaveLength(Math.ceil(COUNT / 97));
    const alone = plansOf('has:attachment');
    expect(alone).toMatch(/^SCAN m USING INDEX messages_with_attachments$/m);
    expect(alone).not.toMatch(/TEMP B-TREE/);
    expect(find('has:attachment', { limit: 1000 })).toEqual(withAttachments);
    const explained = explainStatements(db, () =>
      findMessages(db, parseSearchQuery('has:attachment common'), { limit: 26, offset: 0 }),
    );
    const page = explained.find((s) => s.sql.includes('ORDER BY m.search_key DESC'))?.plan ?? '';
    expect(page).toMatch(/^SCAN m USING INDEX messages_with_attachments\n/);
    expect(page).not.toMatch(/TEMP B-TREE/);
    expect(find('has:attachment common', { limit: 1000 })).toEqual(withAttachments);
    expect(countMatches(db, parseSearchQuery('has:attachment common'), { threads: true })).toEqual({
      messages: withAttachments.length,
      threads: withAttachments.length,
      estimated: false,
    });
  });

  it('walks an OR of a common word newest first, probing its matches, instead of sorting the union of all of them', () => {
    const explained = explainStatements(db, () =>
      findMessages(db, parseSearchQuery('common OR linuxc'), { limit: 26, offset: 0, prefixLast: true }),
    );
    const page = explained.find((s) => s.sql.includes('ORDER BY m.search_key DESC'))?.plan ?? '';
    expect(page).toMatch(/^SCAN m USING INDEX messages_by_search_key\n/);
    expect(page).not.toMatch(/MULTI-INDEX OR|TEMP B-TREE/);
    expect(find('common OR linuxc', { prefixLast: true, limit: 200 })).toEqual(newestIds('1').slice(0, 200));
    // Few matches on each side stay a union of the two lists, with the same results.
    const few = newestIds(
      `m.search_key IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'python')
       OR m.search_key IN (SELECT rowid FROM messages_prefix WHERE messages_prefix MATCH '"linuxm" *')`,
    );
    expect(find('python OR linuxm', { prefixLast: true, limit: 1000 })).toEqual(few);
  });

  it('searches a typed prefix longer than the prefix indexes as the words it starts, with the same results', () => {
    const { calls } = recordStatements(db, () => find('linux', { prefixLast: true, limit: 1000 }));
    const matches = calls.flatMap((c) => c.params).filter((p): p is string => typeof p === 'string' && p.includes('"linux'));
    expect(matches.length).toBeGreaterThan(0);
    for (const m of matches) {
      expect(m).not.toContain('*');
      expect(m).toContain('"linuxconf" OR "linuxmail"');
    }
    const expected = db
      .prepare(
        `SELECT rowid & 2147483647 FROM messages_prefix WHERE messages_prefix MATCH '"linux" *' ORDER BY rowid DESC LIMIT 1000`,
      )
      .pluck()
      .all();
    expect(find('linux', { prefixLast: true, limit: 1000 })).toEqual(expected);
    // Shorter prefixes are the prefix indexes' (one doclist each); a prefix with no word matches nothing.
    expect(find('lin', { prefixLast: true, limit: 1000 })).toEqual(expected);
    expect(find('linuxq', { prefixLast: true })).toEqual([]);
  });

  it('counts exactly up to the bound and estimates honestly above it, however skewed towards old mail', () => {
    const count = (q: string, threads = false) => countMatches(db, parseSearchQuery(q), { threads });
    expect(count('python')).toEqual({ messages: Math.ceil(COUNT / 17), threads: 0, estimated: false });
    expect(count('label:receipts')).toMatchObject({ messages: COUNT / 50, estimated: false });
    // Every unread message is older than the newest 5,000: the newest candidates alone would say none.
    for (const q of ['is:unread common', 'is:unread']) {
      const counted = count(q, true);
      expect(counted.estimated, q).toBe(true);
      expect(counted.messages / OLD_UNREAD, q).toBeGreaterThan(0.85);
      expect(counted.messages / OLD_UNREAD, q).toBeLessThan(1.15);
      // Conversations of three: each counted once, not once per sampled message.
      expect(counted.threads / (OLD_UNREAD / 3), q).toBeGreaterThan(0.85);
      expect(counted.threads / (OLD_UNREAD / 3), q).toBeLessThan(1.15);
    }
    // The API's total says the same.
    const page = searchPage(db, parseSearchQuery('is:unread common'), { limit: 26, group: 'threads' });
    expect(page.totalEstimated).toBe(true);
    expect(page.total / (OLD_UNREAD / 3)).toBeGreaterThan(0.85);
    expect(page.total / (OLD_UNREAD / 3)).toBeLessThan(1.15);
  });

  it("reads a page's conversations from the threads' messages (messages_by_thread), whatever the query lists", () => {
    for (const q of ['label:receipts', 'label:receipts common', 'linux']) {
      const explained = explainStatements(db, () =>
        // From a cursor (here above every message): a first page that walks every match looks no conversation up.
        searchPage(db, parseSearchQuery(q), {
          limit: 26,
          group: 'threads',
          prefixLast: true,
          cursor: { after: { sentAt: 4102444800000, id: 2 ** 31 - 1 } },
        }),
      );
      const grouping = explained.find((s) => s.sql.includes('CROSS JOIN messages m ON m.thread_id'))?.plan ?? '';
      expect(grouping, q).toMatch(
        /^SCAN t VIRTUAL TABLE INDEX \d+:\nSEARCH m USING (COVERING )?INDEX messages_by_thread \(thread_id=\?\)/,
      );
    }
  });
});
