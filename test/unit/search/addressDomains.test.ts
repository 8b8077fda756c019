import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { findMessages } from '../../../main/db/queries/search.ts';
import { explainStatements } from '../../../main/db/queryPlans.ts';
import { recordStatements } from '../../../main/db/statements.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages, searchPage } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/**
 * from:, to:, cc:, bcc: and deliveredto: of a domain: the address's domain or
 * a domain under it (from:linux.ie finds x@lists.linux.ie, as notmuch's and
 * Gmail's phrase "linux ie" in the address does), answered from the index of
 * address domains (migration 026), not from a full-text phrase whose "ie" or
 * "com" is in most messages.
 */
describe('searching by an address domain', () => {
  let db: IndexDb;
  // More than the 5,000 rows past which a domain is probed rather than listed (mail.example.com).
  const FILLER = 5_200;

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db, 'me@example.test');
    const at = (i: number) => Date.UTC(2026, 0, 1) + i * 60_000;
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'rh',
        from: { name: 'Alice', email: 'alice@RedHat.com' },
        bodyText: 'python packaging',
        labelIds: [inbox],
        sentAt: at(FILLER + 1),
      }),
      messageInput({
        remoteId: 'rh-sub',
        from: { name: 'Bugzilla', email: 'bugzilla@bugzilla.redhat.com' },
        to: [{ name: 'Ilug', email: 'ilug@linux.ie' }],
        bodyText: 'a python bug',
        labelIds: [inbox],
        sentAt: at(FILLER + 2),
        deliveredTo: ['me@example.test'],
      }),
      messageInput({
        remoteId: 'not-rh',
        from: { name: 'Bob', email: 'bob@notredhat.com' },
        cc: [{ name: '', email: 'social@lists.linux.ie' }],
        bodyText: 'python and perl',
        labelIds: [inbox],
        sentAt: at(FILLER + 3),
        deliveredTo: ['ilug@lists.linux.ie'],
      }),
      messageInput({
        remoteId: 'ie-bcc',
        from: { name: 'Carol', email: 'carol@example.test' },
        bcc: [{ name: '', email: 'hidden@linux.ie' }],
        bodyText: 'kernel news',
        labelIds: [inbox],
        sentAt: at(FILLER + 4),
        deliveredTo: ['ilug@linux.ie'],
      }),
      // Many messages from elsewhere, so the plans below are the ones a real index gets.
      ...Array.from({ length: FILLER }, (_, i) =>
        messageInput({
          remoteId: `f${i}`,
          from: { name: 'Filler', email: `f${i % 50}@mail.example.com` },
          bodyText: i % 3 === 0 ? 'python weekly' : 'hello',
          labelIds: [inbox],
          sentAt: at(i),
        }),
      ),
    ]);
    db.exec('ANALYZE');
  });
  afterAll(() => db.close());

  const ids = (q: string) =>
    searchMessages(db, parseSearchQuery(q), { limit: 100 })
      .map((r) => r.subject.replace('Subject ', ''))
      .filter((s) => !s.startsWith('f'))
      .sort();

  it('finds a sender by the domain of the address, or a domain under it, never a longer name', () => {
    expect(ids('from:redhat.com')).toEqual(['rh', 'rh-sub']);
    expect(ids('from:bugzilla.redhat.com')).toEqual(['rh-sub']);
    expect(ids('from:REDHAT.COM python')).toEqual(['rh', 'rh-sub']);
    expect(ids('from:redhat.com packaging')).toEqual(['rh']);
    expect(ids('-from:redhat.com python')).toEqual(['not-rh']);
    expect(ids('from:redhat.com OR from:notredhat.com')).toEqual(['not-rh', 'rh', 'rh-sub']);
  });

  it('finds recipients by domain in To, Cc and Bcc (as to: and cc: search every recipient), and Delivered-To by domain', () => {
    expect(ids('to:linux.ie')).toEqual(['ie-bcc', 'not-rh', 'rh-sub']);
    expect(ids('cc:lists.linux.ie')).toEqual(['not-rh']);
    expect(ids('bcc:linux.ie kernel')).toEqual(['ie-bcc']);
    expect(ids('deliveredto:linux.ie')).toEqual(['ie-bcc', 'not-rh']);
    expect(ids('deliveredto:lists.linux.ie')).toEqual(['not-rh']);
    expect(ids('deliveredto:ilug@linux.ie')).toEqual(['ie-bcc']);
  });

  it('keeps full addresses and names working', () => {
    expect(ids('from:alice@redhat.com')).toEqual(['rh']);
    expect(ids('from:alice')).toEqual(['rh']);
    expect(ids('to:ilug@linux.ie')).toEqual(['rh-sub']);
    expect(ids('from:bugzilla')).toEqual(['rh-sub']);
  });

  it('follows a message whose sender changes when it is written again', () => {
    const { account, inbox } = seedAccount(db, 'other@example.test');
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'moved', from: { name: '', email: 'x@redhat.com' }, labelIds: [inbox] }),
    ]);
    expect(ids('from:redhat.com')).toEqual(['moved', 'rh', 'rh-sub']);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'moved', from: { name: '', email: 'x@fedora.org' }, labelIds: [inbox] }),
    ]);
    expect(ids('from:redhat.com')).toEqual(['rh', 'rh-sub']);
    expect(ids('from:fedora.org')).toEqual(['moved']);
  });

  it('looks the domain up in its index, never as a full-text phrase over the senders', () => {
    const search = () => findMessages(db, parseSearchQuery('from:redhat.com python'), { limit: 26 });
    const text = explainStatements(db, search)
      .map((s) => `${s.sql}\n${s.plan}`)
      .join('\n');
    expect(text).toMatch(/SEARCH \w+ USING (COVERING INDEX \w+|PRIMARY KEY) \(field=\? AND domain>\? AND domain<\?\)/);
    // No full-text expression names the senders' column: "com" is in most messages' senders.
    const params = recordStatements(db, search).calls.flatMap((c) => c.params.map(String));
    expect(params.some((p) => p.includes('from_text'))).toBe(false);
    expect(text).not.toMatch(/SCAN m\b(?! USING INDEX messages_by_search_key)/);
    // The domain's messages are listed by search_key: the word's matches are tested on messages_by_search_key's entries.
    expect(text).toMatch(/m\.search_key IN \(SELECT h\.search_key FROM message_address_domains h/);
    // The word's matches meet the domain's rows there, before any message is read.
    expect(text).toMatch(/AND h\.search_key IN \(SELECT rowid FROM messages_fts WHERE messages_fts MATCH \?\)\)/);
    expect(text).toMatch(/SEARCH m USING INDEX messages_by_search_key \(search_key=\?\)/);
    expect(text).not.toMatch(/TEMP B-TREE/);
  });

  it('answers a domain no message has without reading any match', () => {
    const { calls, result } = recordStatements(db, () =>
      searchPage(db, parseSearchQuery('from:nowhere.example python'), { limit: 26, group: 'threads' }),
    );
    expect(result).toMatchObject({ rows: [], total: 0, totalEstimated: false });
    expect(calls.map((c) => c.sql).filter((sql) => /FROM messages\b|messages_fts/.test(sql))).toEqual([]);
  });

  it('probes a domain of many messages on the newest-first walk, and beside words matches it as its phrase', () => {
    expect(
      searchMessages(db, parseSearchQuery('from:example.com'), { limit: 3 }).map((r) => r.subject.replace('Subject ', '')),
    ).toEqual([`f${FILLER - 1}`, `f${FILLER - 2}`, `f${FILLER - 3}`]);
    const alone = explainStatements(db, () => findMessages(db, parseSearchQuery('from:example.com'), { limit: 26 }))
      .map((s) => `${s.sql}\n${s.plan}`)
      .join('\n');
    expect(alone).toMatch(/EXISTS \(SELECT 1 FROM message_address_domains h WHERE h\.message_id = m\.id/);
    expect(alone).toMatch(/SCAN m USING INDEX messages_by_search_key/);
    // Beside a word, the word's matches bound the candidates and FTS5 meets the phrase in them.
    expect(ids('from:mail.example.com python')).toEqual([]);
    expect(searchPage(db, parseSearchQuery('from:mail.example.com python'), { limit: 26, group: 'messages' }).total).toBe(
      Math.ceil(FILLER / 3),
    );
    const params = recordStatements(db, () =>
      findMessages(db, parseSearchQuery('from:mail.example.com python'), { limit: 26 }),
    ).calls.flatMap((c) => c.params.map(String));
    expect(params).toContain('(from_text : "mail.example.com") AND ("python")');
  });
});
