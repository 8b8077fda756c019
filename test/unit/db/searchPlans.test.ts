import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { findMessages } from '../../../main/db/queries/search.ts';
import { explainStatements } from '../../../main/db/queryPlans.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchPage } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** Plans of the statements issue 20's search semantics added: no full scan of messages, no sort of every match. */
describe('query plans of Gmail-style search', () => {
  let db: WritableDb;
  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const spam = upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' });
    const promotions = upsertLabel(db, account.id, {
      remoteId: 'CATEGORY_PROMOTIONS',
      name: 'Promotions',
      kind: 'category',
      role: null,
    });
    writeMessages(
      db,
      account.id,
      Array.from({ length: 3_000 }, (_, i) =>
        messageInput({
          remoteId: `m${i}`,
          threadRemoteId: `t${i % 700}`,
          bodyText: i % 3 === 0 ? 'the weekly digest' : 'a meeting note',
          labelIds: [i % 50 === 0 ? spam : inbox, ...(i % 10 === 0 ? [promotions] : [])],
          sentAt: Date.UTC(2026, 0, 1) + i * 60_000,
          sizeBytes: i * 100,
          mailingLists: i % 4 === 0 ? [`list${i % 12}.lists.example.test`] : [],
          deliveredTo: ['me@example.test', ...(i % 7 === 0 ? ['me+lists@example.test'] : [])],
          inferenceClassification: i % 5 === 0 ? 'other' : 'focused',
        }),
      ),
    );
    db.exec('ANALYZE');
  });
  afterAll(() => db.close());

  const plansOf = (q: string, options: Partial<Parameters<typeof findMessages>[2]> = {}) => {
    const explained = explainStatements(db, () => findMessages(db, parseSearchQuery(q), { limit: 25, offset: 0, ...options }));
    expect(explained.length).toBeGreaterThan(0);
    return explained.map((s) => s.plan).join('\n');
  };
  const FULL_SCAN_OF_MESSAGES = /^SCAN (m|messages)( USING INDEX messages_by_search_key)?$/m;

  it('leaves Spam and Trash out by probing each candidate on message_labels, never listing every Spam message', () => {
    const plan = plansOf('digest');
    expect(plan).toMatch(/SEARCH l USING (COVERING )?INDEX labels_by_role \(role=\?\)/);
    // One seek per candidate: listing all Spam and Trash messages cost ~7 ms a statement at 30,000 of them.
    expect(plan).toMatch(/CORRELATED SCALAR SUBQUERY/);
    expect(plan).toMatch(
      /SEARCH ml USING (PRIMARY KEY \(message_id=\? AND label_id=\?\)|COVERING INDEX message_labels_by_label \(label_id=\? AND message_id=\?\))/,
    );
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('finds a category through its label and a Message-ID through messages_by_rfc822_id', () => {
    expect(plansOf('category:promotions digest')).toMatch(/SEARCH ml USING COVERING INDEX message_labels_by_label/);
    expect(plansOf('rfc822msgid:m7@example.test')).toMatch(/USING (COVERING )?INDEX messages_by_rfc822_id/);
  });

  it('finds list: and deliveredto: through the primary key of message_header_addresses, a list domain as one range', () => {
    for (const q of ['list:list4@lists.example.test', 'list:lists.example.test digest', 'deliveredto:me+lists@example.test']) {
      const plan = plansOf(q);
      expect(plan, q).toMatch(/SEARCH h USING PRIMARY KEY \(kind=\? AND value[=>]/);
      expect(plan, q).not.toMatch(FULL_SCAN_OF_MESSAGES);
    }
    // Alone, the list's messages are looked up by id and only they are sorted newest first.
    expect(plansOf('list:list4@lists.example.test')).toMatch(/^SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/m);
    expect(plansOf('list:lists.example.test digest')).not.toMatch(/TEMP B-TREE/);
    expect(plansOf('list:lists.example.test')).toMatch(/value>\? AND value<\?/);
    const me = plansOf('deliveredto:me digest');
    expect(me).toMatch(/SEARCH h USING PRIMARY KEY \(kind=\? AND value=\?\)/);
  });

  it('filters category:other on the newest-first walk without a sort', () => {
    const plan = plansOf('category:other');
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('walks a typed prefix alone down messages_prefix newest first, and looks it up once beside stemmed words', () => {
    const alone = plansOf('meetin', { prefixLast: true });
    expect(alone).toMatch(/SCAN messages_prefix VIRTUAL TABLE/);
    expect(alone).toMatch(/SEARCH m USING INDEX messages_by_search_key/);
    expect(alone).not.toMatch(/TEMP B-TREE/);
    const beside = plansOf('weekly meetin', { prefixLast: true });
    expect(beside).toMatch(/SCAN messages_fts VIRTUAL TABLE/);
    expect(beside).toMatch(/LIST SUBQUERY \d+\n.*SCAN messages_prefix VIRTUAL TABLE/);
    expect(beside).not.toMatch(/TEMP B-TREE/);
  });

  it("groups conversations from the page's threads (messages_by_thread), the matches listed once", () => {
    const explained = explainStatements(db, () =>
      searchPage(db, parseSearchQuery('digest'), { limit: 25, group: 'threads', prefixLast: false }),
    );
    const grouping = explained.find((s) => s.sql.includes('CROSS JOIN messages m ON m.thread_id'))?.plan ?? '';
    expect(grouping).toMatch(
      /^SCAN t VIRTUAL TABLE INDEX \d+:\nSEARCH m USING (COVERING )?INDEX messages_by_thread \(thread_id=\?\)/,
    );
    expect(grouping).toMatch(/LIST SUBQUERY \d+\n.*SCAN messages_fts VIRTUAL TABLE/);
    // Only the count's DISTINCT sorts: over at most 5,000 rows.
    const sorting = explained.filter((s) => /TEMP B-TREE/.test(s.plan)).map((s) => s.sql);
    expect(sorting.every((sql) => sql.includes('count(DISTINCT'))).toBe(true);
  });

  it('walks a date range as a range of search_key (the full-text match bounded by rowid), not from the newest match down', () => {
    const words = plansOf('digest after:2026/01/01 before:2026/01/02');
    expect(words).toMatch(/SCAN messages_fts VIRTUAL TABLE INDEX \d+:M\d+(><|<>)/);
    const alone = plansOf('after:2026/01/01 before:2026/01/02');
    expect(alone).toMatch(/SEARCH m USING INDEX messages_by_search_key \(search_key>\? AND search_key<\?\)/);
    // The range is exact with the dates' own conditions: the matches of the day, none left out.
    const find = (q: string) => findMessages(db, parseSearchQuery(q), { limit: 1000 }).rows;
    // The day as the parser reads it (its time zone), not assumed here.
    const at = (q: string) => (parseSearchQuery(q).clauses[0]?.anyOf[0] as { ms?: number } | undefined)?.ms ?? Number.NaN;
    const day = [at('after:2026/01/01'), at('before:2026/01/02')] as const;
    const inRange = find('digest after:2026/01/01 before:2026/01/02').map((r) => r.id);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange).toEqual(
      find('digest')
        .filter((r) => r.sent_at >= day[0] && r.sent_at < day[1])
        .map((r) => r.id),
    );
  });

  it('filters from:me, larger: and groups on the newest-first walk without a sort', () => {
    for (const q of ['from:me digest', 'larger:1M digest', '(weekly digest) OR meeting']) {
      const plan = plansOf(q);
      expect(plan, q).not.toMatch(/TEMP B-TREE/);
      expect(plan, q).not.toMatch(FULL_SCAN_OF_MESSAGES);
    }
  });
});
