import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { findMessages } from '../../../main/db/queries/search.ts';
import { explainStatements } from '../../../main/db/queryPlans.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/**
 * list: and deliveredto: past the bound where their messages are listed
 * (5,000): deliveredto:me on Gmail, where every message says it, and a large
 * list's domain are probed per message on the newest-first walk; a small list
 * is listed, and a common word beside it starts from the list.
 */
describe('list: and deliveredto: over many messages', () => {
  let db: WritableDb;
  const N = 6_000;
  const remoteIdOf = new Map<number, string>();
  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db, 'me@example.test');
    const work = seedAccount(db, 'work@corp.test');
    writeMessages(
      db,
      account.id,
      Array.from({ length: N }, (_, i) =>
        messageInput({
          remoteId: `m${i}`,
          threadRemoteId: `t${i}`,
          bodyText: i % 2 === 0 ? 'the weekly digest' : 'a meeting note',
          labelIds: [inbox],
          sentAt: Date.UTC(2026, 0, 1) + i * 60_000,
          deliveredTo: ['me@example.test', ...(i % 100 === 0 ? ['me+alias@example.test'] : [])],
          mailingLists: i % 500 === 0 ? ['small.lists.example.test'] : i % 10 === 0 ? [] : ['big.lists.example.test'],
        }),
      ),
    );
    // The other account's newest mail was forwarded from my address: delivered to me@, but not to its own.
    writeMessages(
      db,
      work.account.id,
      Array.from({ length: 10 }, (_, i) =>
        messageInput({
          remoteId: `w${i}`,
          labelIds: [work.inbox],
          sentAt: Date.UTC(2027, 0, 1) + i,
          deliveredTo: ['me@example.test'],
        }),
      ),
    );
    for (const row of db.prepare('SELECT id, remote_id FROM messages').all() as Array<{ id: number; remote_id: string }>)
      remoteIdOf.set(row.id, row.remote_id);
    db.exec('ANALYZE');
  });
  afterAll(() => db.close());

  const page = (q: string) =>
    findMessages(db, parseSearchQuery(q), { limit: 25, offset: 0 }).rows.map((r) => remoteIdOf.get(r.id));
  const newest = (matches: (i: number) => boolean) =>
    Array.from({ length: N }, (_, i) => N - 1 - i)
      .filter(matches)
      .slice(0, 25)
      .map((i) => `m${i}`);
  const plansOf = (q: string) => {
    const explained = explainStatements(db, () => findMessages(db, parseSearchQuery(q), { limit: 25, offset: 0 }));
    return explained.map((s) => `${s.sql}\n${s.plan}`).join('\n');
  };

  it('probes deliveredto:me per message on the newest-first walk, this account’s address only', () => {
    expect(page('deliveredto:me')).toEqual(newest(() => true));
    const plan = plansOf('deliveredto:me');
    expect(plan).toMatch(/SCAN m USING INDEX messages_by_search_key/);
    expect(plan).toMatch(
      /SEARCH h USING (COVERING )?INDEX message_header_addresses_by_message \(message_id=\?\)|SEARCH h USING PRIMARY KEY \(kind=\? AND value=\? AND message_id=\?\)/,
    );
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('probes a large list domain per message, and lists a small list', () => {
    expect(page('list:lists.example.test')).toEqual(newest((i) => i % 10 !== 0 || i % 500 === 0));
    expect(plansOf('list:lists.example.test')).toMatch(
      /EXISTS \(SELECT 1 FROM message_header_addresses h WHERE h.message_id = m.id/,
    );
    expect(page('list:small@lists.example.test')).toEqual(newest((i) => i % 500 === 0));
    expect(plansOf('list:small@lists.example.test')).toMatch(/SEARCH h USING PRIMARY KEY \(kind=\? AND value=\?\)/);
    expect(page('deliveredto:me+alias@example.test')).toEqual(newest((i) => i % 100 === 0));
  });

  it('starts from a small list when a common word comes with it', () => {
    expect(page('list:small.lists.example.test digest')).toEqual(newest((i) => i % 500 === 0 && i % 2 === 0));
    // The list's few messages first (rowid IN its list), each tested against the match: not the 3,000 matches walked.
    expect(plansOf('list:small.lists.example.test digest')).toMatch(/\+m\.search_key IN \(SELECT rowid FROM messages_fts/);
  });
});
