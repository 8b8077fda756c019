import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { explainStatements } from '../../../main/db/queryPlans.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { type SearchPageOptions, searchMessages, searchPage } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** One order (newest first), keyset pages to the very last result, and a total. */
describe('search order, paging and totals', () => {
  let db: IndexDb;
  const COUNT = 10_500;
  const start = Date.UTC(2020, 0, 1);

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    // Written in an order unrelated to their dates; some share a second (search orders them by id).
    writeMessages(
      db,
      account.id,
      Array.from({ length: COUNT }, (_, n) => {
        const at = start + ((n * 7919) % COUNT) * 400;
        return messageInput({
          remoteId: `m${n}`,
          subject: n % 100 === 0 ? 'rare rare rare subject' : `Status ${n}`,
          bodyText: `common words ${n % 100 === 0 ? 'rare' : ''}`,
          sentAt: at,
          isUnread: n % 3 === 0,
          labelIds: [inbox],
        });
      }),
    );
  });
  afterAll(() => db.close());

  const page = (q: string, options: Partial<SearchPageOptions> = {}) =>
    searchPage(db, parseSearchQuery(q), { limit: 25, group: 'messages', ...options });
  const key = (r: { sent_at: number; id: number }) => BigInt(Math.floor(r.sent_at / 1000)) * 2n ** 31n + BigInt(r.id);

  it('answers newest first whatever the number of matches, relevance only when asked', () => {
    const few = searchMessages(db, parseSearchQuery('rare'), { limit: 200 });
    expect(few).toHaveLength(COUNT / 100);
    expect(few.map(key)).toEqual([...few.map(key)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    // Broadening the query keeps the order: the narrow query's rows come in the same order within the broad one.
    const broad = searchMessages(db, parseSearchQuery('rare OR common'), { limit: 1000 }).map((r) => r.id);
    const narrowIds = new Set(few.map((r) => r.id));
    expect(broad.filter((id) => narrowIds.has(id)).slice(0, 5)).toEqual(few.slice(0, 5).map((r) => r.id));
    const ranked = searchMessages(db, parseSearchQuery('rare'), { limit: 5, sort: 'relevance' });
    expect(ranked.every((r) => r.score !== null)).toBe(true);
    expect(ranked.map((r) => r.score)).toEqual([...ranked.map((r) => r.score as number)].sort((a, b) => a - b));
  });

  it('pages with a keyset cursor to the very last result, past 10,000, nothing repeated or skipped', () => {
    const seen = new Set<number>();
    let cursor: SearchPageOptions['cursor'] = null;
    let pages = 0;
    let previous = 2n ** 63n;
    for (;;) {
      const result = page('common', { limit: 1_000, cursor });
      for (const row of result.rows) {
        expect(key(row) < previous).toBe(true);
        previous = key(row);
        seen.add(row.id);
      }
      pages++;
      if (!result.next) break;
      cursor = result.next;
    }
    expect(seen.size).toBe(COUNT);
    expect(pages).toBe(Math.ceil(COUNT / 1_000));
  });

  it('pages operator-only queries the same way', () => {
    let cursor: SearchPageOptions['cursor'] = null;
    const ids: number[] = [];
    do {
      const result = page('is:unread', { limit: 1_000, cursor });
      ids.push(...result.rows.map((r) => r.id));
      cursor = result.next;
    } while (cursor);
    expect(ids).toHaveLength(Math.ceil(COUNT / 3));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a limit above 1,000 with a clear error instead of failing in SQL', () => {
    expect(() => searchMessages(db, parseSearchQuery('common'), { limit: 40_000 })).toThrow(/limit must be .* 1 to 1000/);
    expect(() => page('common', { limit: 0 })).toThrow(/limit/);
  });

  it('counts exactly up to 5,000 matches and estimates beyond, flagged', () => {
    expect(page('rare')).toMatchObject({ total: COUNT / 100, totalEstimated: false });
    expect(page('is:unread rare')).toMatchObject({ total: Math.ceil(COUNT / 300), totalEstimated: false });
    const common = page('common');
    expect(common.totalEstimated).toBe(true);
    expect(Math.abs(common.total - COUNT) / COUNT).toBeLessThan(0.05);
    const allMail = page('label:inbox');
    expect(allMail.totalEstimated).toBe(true);
    expect(Math.abs(allMail.total - COUNT) / COUNT).toBeLessThan(0.05);
  });

  it('counts a result that fits in the walk of its first page from that walk, without a second pass', () => {
    for (const [q, group, total] of [
      ['rare', 'messages', COUNT / 100],
      ['rare', 'threads', COUNT / 100],
      ['is:unread rare', 'threads', Math.ceil(COUNT / 300)],
      ['nothingmatchesthis', 'threads', 0],
    ] as const) {
      let result: ReturnType<typeof page> | undefined;
      const statements = explainStatements(db, () => {
        result = page(q, { group, limit: 200 });
      });
      expect(result, q).toMatchObject({ total, totalEstimated: false });
      expect(
        // Only the full-text matches' count (how many candidates) may run, never a tally of the filtered matches.
        statements.filter((s) => /FILTER \(WHERE ok\)/.test(s.sql)).map((s) => s.sql),
        `${q} ${group}`,
      ).toEqual([]);
      // No full-text match at all: its count is the only statement.
      if (total === 0) expect(statements.filter((s) => !s.sql.startsWith('SELECT count(*) FROM messages_fts'))).toEqual([]);
      // Nor a look-up of the page's conversations: the walk holds all their matches.
      expect(
        statements.some((s) => s.sql.includes('ON m.thread_id = t.value')),
        q,
      ).toBe(false);
    }
    // A page that is not the whole result still counts (exactly here: fewer than 5,000 candidates).
    expect(page('rare', { group: 'threads', limit: 25 })).toMatchObject({ total: COUNT / 100, totalEstimated: false });
  });
});
