import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { parseSearchQuery, SearchSyntaxError } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** The operators that used to answer nothing, silently. */
describe("search with Gmail's operators", () => {
  let db: IndexDb;
  const now = Date.now();
  const daysAgo = (n: number) => now - n * 24 * 3600 * 1000;

  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox, sent } = seedAccount(db, 'me@example.test');
    const other = seedAccount(db, 'work@corp.test');
    const promotions = upsertLabel(db, account.id, {
      remoteId: 'CATEGORY_PROMOTIONS',
      name: 'Promotions',
      kind: 'category',
      role: null,
    });
    const social = upsertLabel(db, account.id, { remoteId: 'CATEGORY_SOCIAL', name: 'Social', kind: 'category', role: null });
    const me = { name: 'Me', email: 'me@example.test' };
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'mine',
        subject: 'Trip plans',
        bodyText: 'the red car is parked by the blue house',
        from: { name: 'Me', email: 'ME@example.test' },
        to: [{ name: 'Bob', email: 'bob@example.test' }],
        labelIds: [sent],
        sentAt: daysAgo(2),
        sizeBytes: 3 * 1024 * 1024,
        inferenceClassification: 'focused',
      }),
      messageInput({
        remoteId: 'to-me',
        subject: 'Sale today',
        bodyText: 'the blue car is on sale, red is sold out',
        from: { name: 'Shop', email: 'deals@shop.test' },
        to: [me],
        labelIds: [inbox, promotions],
        sentAt: daysAgo(40),
        sizeBytes: 20 * 1024,
        deliveredTo: ['me@example.test'],
        mailingLists: ['deals.lists.shop.test'],
      }),
      messageInput({
        remoteId: 'cc-me',
        subject: 'Party',
        bodyText: 'a party at the house, bring a car',
        from: { name: 'Ann', email: 'ann@example.test' },
        to: [{ name: 'Bob', email: 'bob@example.test' }],
        cc: [me],
        labelIds: [inbox, social],
        rfc822MessageId: 'party.42@mail.example.test',
        sentAt: daysAgo(400),
        sizeBytes: 2_000,
        deliveredTo: ['me+party@example.test'],
        mailingLists: ['ilug.linux.ie', 'ilug.linux.ie.example.test'],
      }),
    ]);
    writeMessages(db, other.account.id, [
      messageInput({
        remoteId: 'work',
        subject: 'Quarterly numbers',
        bodyText: 'numbers for the house budget',
        from: { name: 'Boss', email: 'boss@corp.test' },
        to: [{ name: '', email: 'work@corp.test' }],
        labelIds: [other.inbox],
        sentAt: daysAgo(1),
        deliveredTo: ['work@corp.test', 'boss-forward@corp.test'],
        inferenceClassification: 'other',
      }),
    ]);
  });
  afterAll(() => db.close());

  const ids = (q: string) =>
    searchMessages(db, parseSearchQuery(q), { limit: 20, offset: 0 })
      .map((r) => String(db.prepare('SELECT remote_id FROM messages WHERE id = ?').pluck().get(r.id)))
      .sort();

  it('reads me as the account’s own address in from:, to:, cc:', () => {
    expect(ids('from:me')).toEqual(['mine']);
    expect(ids('to:me')).toEqual(['cc-me', 'to-me', 'work']);
    expect(ids('cc:me')).toEqual(['cc-me']);
    expect(ids('-from:me car')).toEqual(['cc-me', 'to-me']);
  });

  it('finds deliveredto: in the Delivered-To headers, every one of them, and me as the account’s address there', () => {
    expect(ids('deliveredto:me')).toEqual(['to-me', 'work']);
    expect(ids('deliveredto:work@corp.test')).toEqual(['work']);
    expect(ids('deliveredto:Boss-Forward@corp.test')).toEqual(['work']);
    expect(ids('deliveredto:me+party@example.test')).toEqual(['cc-me']);
    expect(ids('deliveredto:bob@example.test')).toEqual([]);
    expect(ids('-deliveredto:me car')).toEqual(['cc-me', 'mine']);
  });

  it('finds list: by List-Id or List-Post, as an address or a dotted name, and by the list’s domain', () => {
    expect(ids('list:ilug.linux.ie')).toEqual(['cc-me']);
    expect(ids('list:ilug@linux.ie')).toEqual(['cc-me']);
    expect(ids('list:<ILUG.linux.ie>')).toEqual(['cc-me']);
    expect(ids('list:linux.ie')).toEqual(['cc-me']);
    expect(ids('list:@linux.ie')).toEqual(['cc-me']);
    expect(ids('list:inux.ie')).toEqual([]);
    expect(ids('list:ilug.linux')).toEqual([]);
    expect(ids('list:deals@lists.shop.test')).toEqual(['to-me']);
    expect(ids('list:shop.test car')).toEqual(['to-me']);
    expect(ids('list:{linux.ie shop.test}')).toEqual(['cc-me', 'to-me']);
    expect(ids('-list:linux.ie house')).toEqual(['mine', 'work']);
  });

  it('finds Outlook’s Focused and Other with category:, nothing on a message without the classification', () => {
    expect(ids('category:focused')).toEqual(['mine']);
    expect(ids('category:other')).toEqual(['work']);
    expect(ids('category:Other numbers')).toEqual(['work']);
    expect(ids('category:other car')).toEqual([]);
    expect(ids('-category:other house')).toEqual(['cc-me', 'mine']);
  });

  it('filters by size with Gmail’s units', () => {
    expect(ids('larger:1M')).toEqual(['mine']);
    expect(ids('size:1m')).toEqual(['mine']);
    expect(ids('smaller:10K')).toEqual(['cc-me', 'work']);
    expect(ids('larger:10k smaller:1M')).toEqual(['to-me']);
    expect(ids('larger:1999')).toEqual(['cc-me', 'mine', 'to-me']);
  });

  it('finds Gmail’s tabs with category:', () => {
    expect(ids('category:promotions')).toEqual(['to-me']);
    expect(ids('category:social car')).toEqual(['cc-me']);
    expect(ids('category:updates')).toEqual([]);
  });

  it('finds a message by its Message-ID, with or without brackets', () => {
    expect(ids('rfc822msgid:party.42@mail.example.test')).toEqual(['cc-me']);
    expect(ids('rfc822msgid:<party.42@mail.example.test>')).toEqual(['cc-me']);
  });

  it('reads ages in days, months and years', () => {
    expect(ids('newer_than:3d')).toEqual(['mine', 'work']);
    expect(ids('older_than:1m')).toEqual(['cc-me', 'to-me']);
    expect(ids('older_than:1y')).toEqual(['cc-me']);
    expect(ids('newer_than:2y older_than:6m')).toEqual(['cc-me']);
  });

  it('groups with parentheses (all of) and braces (any of)', () => {
    expect(ids('(red car) OR numbers')).toEqual(['mine', 'to-me', 'work']);
    expect(ids('{party numbers}')).toEqual(['cc-me', 'work']);
    expect(ids('house -(car party)')).toEqual(['mine', 'work']);
    expect(ids('from:{ann boss}')).toEqual(['cc-me', 'work']);
    expect(ids('(from:me OR category:social) house')).toEqual(['cc-me', 'mine']);
    expect(ids('-{car numbers}')).toEqual([]);
  });

  it('matches words near each other with AROUND', () => {
    expect(ids('red AROUND 1 car')).toEqual(['mine']);
    expect(ids('red AROUND 5 car')).toEqual(['mine', 'to-me']);
  });

  it('searches an unknown word: as text, as Gmail does', () => {
    expect(() => ids('foo:bar')).not.toThrow();
    expect(ids('foo:bar')).toEqual([]);
  });

  it.each([
    ['list:@', /list: needs/],
    ['category:purchases', /category:purchases is not supported/],
    ['larger:big', /larger: takes a size/],
    ['is:snoozed', /is:snoozed is not supported/],
    ['rfc822msgid:<>', /rfc822msgid: needs/],
  ])('refuses %s with an error that names it', (q, message) => {
    expect(() => parseSearchQuery(q)).toThrow(SearchSyntaxError);
    expect(() => parseSearchQuery(q)).toThrow(message);
  });
});
