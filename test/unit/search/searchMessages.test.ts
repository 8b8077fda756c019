import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { HIGHLIGHT_END, HIGHLIGHT_START, searchMessages } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

describe('searchMessages over the index', () => {
  let db: IndexDb;
  let accountB: string;
  const day = (n: number) => new Date(2026, 0, n).getTime();

  beforeAll(() => {
    db = openIndex(':memory:');
    const a = seedAccount(db, 'me@example.test');
    const b = seedAccount(db, 'other@example.test');
    accountB = b.account.id;
    const receipts = upsertLabel(db, a.account.id, { remoteId: 'Label_7', name: 'Receipts', kind: 'user', role: null });
    writeMessages(db, a.account.id, [
      messageInput({
        remoteId: 'invoice',
        subject: 'Invoice for March',
        bodyText: 'Please pay the invoice.',
        sentAt: day(3),
        labelIds: [a.inbox, receipts],
        from: { name: 'Billing Dept', email: 'billing@shop.test' },
        attachments: [
          {
            partIndex: 0,
            remoteId: null,
            filename: 'march-invoice.pdf',
            mimeType: 'application/pdf',
            sizeBytes: 10,
            contentId: null,
            isInline: false,
            blobSha256: null,
          },
        ],
      }),
      messageInput({
        remoteId: 'lunch',
        subject: 'Lunch tomorrow?',
        bodyText: 'Tacos or ramen? The invoice can wait.',
        sentAt: day(5),
        labelIds: [a.inbox],
        isUnread: false,
        from: { name: 'Ann Friend', email: 'ann@friends.test' },
      }),
      messageInput({
        remoteId: 'report',
        subject: 'Weekly report',
        bodyText: 'Numbers attached for the quarterly review.',
        sentAt: day(7),
        labelIds: [a.sent],
        isStarred: true,
        from: { name: 'Me', email: 'me@example.test' },
        to: [{ name: 'Boss Person', email: 'boss@work.test' }],
      }),
    ]);
    writeMessages(db, b.account.id, [
      messageInput({
        remoteId: 'other-invoice',
        subject: 'Invoice #2',
        bodyText: 'another invoice',
        sentAt: day(2),
        labelIds: [b.inbox],
      }),
    ]);
  });
  afterAll(() => db.close());

  const ids = (q: string, options: { accountId?: string; prefixLast?: boolean; sort?: 'relevance' } = {}) =>
    searchMessages(db, parseSearchQuery(q), { limit: 20, offset: 0, ...options }).map((r) =>
      db.prepare('SELECT remote_id FROM messages WHERE id = ?').pluck().get(r.id),
    );

  it('ranks a subject match above a body match with sort relevance', () => {
    expect(ids('invoice', { accountId: undefined }).slice(0, 3)).toEqual(expect.arrayContaining(['invoice']));
    const ranked = ids('invoice', { sort: 'relevance' });
    expect(ranked.indexOf('invoice')).toBeLessThan(ranked.indexOf('lunch'));
  });

  it('filters by sender, recipient, subject and phrase', () => {
    expect(ids('from:billing')).toEqual(['invoice']);
    expect(ids('from:ann@friends.test')).toEqual(['lunch']);
    expect(ids('to:boss')).toEqual(['report']);
    expect(ids('subject:lunch')).toEqual(['lunch']);
    expect(ids('"quarterly review"')).toEqual(['report']);
    expect(ids('"review quarterly"')).toEqual([]);
  });

  it('filters by label, flags, attachments, filename and dates', () => {
    expect(ids('label:receipts')).toEqual(['invoice']);
    expect(ids('in:sent')).toEqual(['report']);
    expect(ids('is:starred')).toEqual(['report']);
    expect(ids('is:read invoice')).toEqual(['lunch']);
    expect(ids('has:attachment')).toEqual(['invoice']);
    expect(ids('filename:march')).toEqual(['invoice']);
    expect(ids('after:2026/01/04 before:2026/01/06')).toEqual(['lunch']);
  });

  it('negates, ORs, scopes to an account and matches prefixes as you type', () => {
    expect(ids('invoice -from:billing')).toEqual(expect.arrayContaining(['lunch', 'other-invoice']));
    expect(ids('invoice -from:billing')).not.toContain('invoice');
    expect(ids('subject:lunch OR subject:weekly').sort()).toEqual(['lunch', 'report']);
    expect(ids('invoice', { accountId: accountB })).toEqual(['other-invoice']);
    expect(ids('quarte')).toEqual([]);
    expect(ids('quarte', { prefixLast: true })).toEqual(['report']);
  });

  it('lists newest first when the query has no words', () => {
    expect(ids('label:inbox')).toEqual(['lunch', 'invoice', 'other-invoice']);
  });

  it('treats FTS syntax in user input as plain text', () => {
    for (const q of ['NEAR(a b)', 'a AND', '"', '*', 'subject:"x" OR', '^start', 'col:umn', "'; DROP TABLE messages; --"]) {
      expect(() => ids(q)).not.toThrow();
    }
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(4);
  });

  it('marks matched words in the highlight', () => {
    const [hit] = searchMessages(db, parseSearchQuery('tacos'), { limit: 1, offset: 0 });
    expect(hit?.highlight).toContain(`${HIGHLIGHT_START}Tacos${HIGHLIGHT_END}`);
  });
});

describe('searchMessages for words that match thousands of messages', () => {
  let db: IndexDb;
  const sentAt: number[] = [];

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    // Written in an order unrelated to their dates, as a sync writes pages of mixed ages.
    const count = 2_500;
    for (let n = 0; n < count; n++) sentAt.push(Date.UTC(2020, 0, 1) + ((n * 7919) % count) * 60_000);
    writeMessages(
      db,
      account.id,
      sentAt.map((at, n) =>
        messageInput({
          remoteId: `m${n}`,
          subject: `Status ${n}`,
          bodyText: `common words everywhere ${n}`,
          sentAt: at,
          isUnread: n % 3 === 0,
          labelIds: [inbox],
        }),
      ),
    );
  });
  afterAll(() => db.close());

  const search = (q: string, offset = 0) => searchMessages(db, parseSearchQuery(q), { limit: 10, offset });

  it('answers newest first, page after page, with the filters applied', () => {
    const newest = [...sentAt].sort((a, b) => b - a);
    expect(search('common').map((r) => r.sent_at)).toEqual(newest.slice(0, 10));
    expect(search('common', 10).map((r) => r.sent_at)).toEqual(newest.slice(10, 20));
    const unread = search('is:unread common');
    expect(unread).toHaveLength(10);
    expect(unread.every((r) => r.is_unread === 1)).toBe(true);
    expect(unread.map((r) => r.sent_at)).toEqual([...unread.map((r) => r.sent_at)].sort((a, b) => b - a));
    expect(search('common')[0]?.highlight).toContain(`${HIGHLIGHT_START}common${HIGHLIGHT_END}`);
  });

  it('reads the full-text index in date order instead of sorting every match', () => {
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT m.id FROM messages_fts CROSS JOIN messages m ON m.search_key = messages_fts.rowid
         WHERE messages_fts MATCH ? AND m.is_unread = 1 ORDER BY messages_fts.rowid DESC LIMIT 10`,
      )
      .all('common') as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toContain('messages_by_search_key');
    expect(details).not.toMatch(/TEMP B-TREE/);
  });

  it('keeps the date order when a message is rewritten with another date', () => {
    db.prepare(`UPDATE messages SET sent_at = ? WHERE remote_id = 'm5'`).run(Date.UTC(2030, 0, 1));
    expect(search('common')[0]?.subject).toBe('Status 5');
    db.prepare(`DELETE FROM messages WHERE remote_id = 'm5'`).run();
    expect(search('common')[0]?.subject).not.toBe('Status 5');
    expect(db.prepare(`SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'common'`).pluck().get()).toBe(2_499);
  });
});
